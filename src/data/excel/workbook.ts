import { RecordFileError } from '../record-file-error.ts';
import { isDateFormat } from './dates.ts';
import { attribute, elements, runText } from './xml.ts';
import { entryBytes, zipEntries, type ZipEntry } from './zip.ts';

/** A worksheet as the workbook lists it. */
export interface SheetInfo {
  readonly name: string;
  /** Hidden sheets are listed too; a picker may show them apart. */
  readonly hidden: boolean;
}

/** What reading any sheet needs from the rest of the workbook. */
export interface Workbook {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly entries: Map<string, ZipEntry>;
  readonly sheets: readonly (SheetInfo & { readonly path: string })[];
  readonly date1904: boolean;
  readonly sharedStringsPath: string;
  readonly stylesPath: string;
}

const RELATIONSHIP_TYPE = /\/(officeDocument|worksheet|sharedStrings|styles)$/;

/** Open a workbook's structure: its sheets (name → part), and whether it counts dates from 1904. */
export function openWorkbook(bytes: Uint8Array, fileName: string): Workbook {
  const entries = zipEntries(bytes, fileName);
  const workbookPath = relationshipTargets(entries, bytes, fileName, '_rels/.rels', '').get('officeDocument')?.[0] ?? 'xl/workbook.xml';
  const workbookXml = partText(entries, bytes, fileName, workbookPath);
  if (workbookXml === undefined) {
    throw new RecordFileError(`"${fileName}" is a ZIP archive but not an .xlsx workbook (it has no ${workbookPath}).`);
  }
  const base = workbookPath.includes('/') ? workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1) : '';
  const relsPath = `${base}_rels/${workbookPath.slice(base.length)}.rels`;
  const byId = new Map<string, string>();
  const relsXml = partText(entries, bytes, fileName, relsPath) ?? '';
  for (const relation of elements(relsXml, 'Relationship')) {
    const id = relation.get('Id');
    const target = relation.get('Target');
    if (id !== undefined && target !== undefined && /\/worksheet$/.test(relation.get('Type') ?? '')) byId.set(id, resolvePart(base, target));
  }
  const targets = relationshipTargets(entries, bytes, fileName, relsPath, base);
  const sheets = elements(workbookXml, 'sheet').flatMap((sheet) => {
    const path = byId.get(attribute(sheet, 'id') ?? '');
    // Chart sheets and dialog sheets have no rows: they are not offered.
    if (path === undefined) return [];
    return [{ name: sheet.get('name') ?? path, hidden: (sheet.get('state') ?? 'visible') !== 'visible', path }];
  });
  const properties = elements(workbookXml, 'workbookPr')[0];
  const date1904 = /^(1|true)$/i.test(properties?.get('date1904') ?? '');
  return {
    fileName,
    bytes,
    entries,
    sheets,
    date1904,
    sharedStringsPath: targets.get('sharedStrings')?.[0] ?? `${base}sharedStrings.xml`,
    stylesPath: targets.get('styles')?.[0] ?? `${base}styles.xml`,
  };
}

/** The shared strings and the styles that show dates, which every cell of a sheet may refer to. */
export interface SheetContext {
  readonly sharedStrings: readonly string[];
  /** By cell style index (`s`): 1 when the style's number format shows a date or time. */
  readonly dateStyles: Uint8Array;
  readonly date1904: boolean;
}

export function sheetContext(workbook: Workbook): SheetContext {
  const { entries, bytes, fileName } = workbook;
  const sharedXml = partText(entries, bytes, fileName, workbook.sharedStringsPath);
  const stylesXml = partText(entries, bytes, fileName, workbook.stylesPath);
  return { sharedStrings: sharedXml === undefined ? [] : sharedStrings(sharedXml), dateStyles: dateStyles(stylesXml ?? ''), date1904: workbook.date1904 };
}

/** `<si>` items in order; a rich-text item is the text of its runs. */
function sharedStrings(xml: string): string[] {
  const prefix = /<(\w+:)?sst\b/.exec(xml)?.[1] ?? '';
  const open = `<${prefix}si`;
  const close = `</${prefix}si>`;
  const strings: string[] = [];
  let at = 0;
  for (;;) {
    const start = xml.indexOf(open, at);
    if (start < 0) break;
    const tagEnd = xml.indexOf('>', start);
    if (xml.charCodeAt(tagEnd - 1) === 47) {
      strings.push('');
      at = tagEnd + 1;
      continue;
    }
    const end = xml.indexOf(close, tagEnd);
    if (end < 0) break;
    strings.push(runText(xml.slice(tagEnd + 1, end), prefix));
    at = end + close.length;
  }
  return strings;
}

/** Which cell styles (`<cellXfs>` entries, by index) show numbers as dates. */
function dateStyles(xml: string): Uint8Array {
  const custom = new Map<number, string>();
  for (const format of elements(xml, 'numFmt')) {
    custom.set(Number(format.get('numFmtId')), format.get('formatCode') ?? '');
  }
  const cellXfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? '';
  const styles = elements(cellXfs, 'xf');
  const dates = new Uint8Array(styles.length);
  styles.forEach((style, index) => {
    const id = Number(style.get('numFmtId') ?? 0);
    if (isDateFormat(id, custom.get(id))) dates[index] = 1;
  });
  return dates;
}

/** Relationship targets of one `.rels` part by type (`worksheet`, `styles`…), resolved against `base`. */
function relationshipTargets(entries: Map<string, ZipEntry>, bytes: Uint8Array, fileName: string, relsPath: string, base: string): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  for (const relation of elements(partText(entries, bytes, fileName, relsPath) ?? '', 'Relationship')) {
    const type = RELATIONSHIP_TYPE.exec(relation.get('Type') ?? '')?.[1];
    const target = relation.get('Target');
    if (type === undefined || target === undefined) continue;
    targets.set(type, [...(targets.get(type) ?? []), resolvePart(base, target)]);
  }
  return targets;
}

/** A relationship target as a part name: `resolvePart('xl/', 'worksheets/sheet1.xml')` → `xl/worksheets/sheet1.xml`. */
function resolvePart(base: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
  const resolved: string[] = [];
  for (const part of parts) {
    if (part === '..') resolved.pop();
    else if (part !== '.' && part !== '') resolved.push(part);
  }
  return resolved.join('/');
}

/** A part's text, or undefined when the archive has no such part. */
function partText(entries: Map<string, ZipEntry>, bytes: Uint8Array, fileName: string, path: string): string | undefined {
  const entry = entries.get(path.toLowerCase());
  return entry === undefined ? undefined : new TextDecoder().decode(entryBytes(bytes, entry, fileName));
}
