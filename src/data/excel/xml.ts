const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * XML text → the string it holds: entities (`&amp;`, `&#233;`) and OOXML's `_xHHHH_` escapes for characters XML
 * cannot carry (`_x000D_` is a carriage return; `_x005F_` escapes a literal underscore).
 */
export function xmlText(raw: string): string {
  let text = raw;
  if (text.includes('&')) {
    text = text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name] ?? whole;
    });
  }
  if (text.includes('_x')) text = text.replace(/_x([0-9a-f]{4})_/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return text;
}

/** The attributes of one start tag's inner text (`name="x" r:id='y'`), by name as written (prefix kept). */
export function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    found.set(match[1]!, xmlText(match[2] ?? match[3] ?? ''));
  }
  return found;
}

/** Every element `<name …>` (any namespace prefix), as its attributes: `elements(xml, 'sheet')`. */
export function elements(xml: string, name: string): Map<string, string>[] {
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${name}(?=[\\s/>])([^>]*)>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => attributes(match[1] ?? ''));
}

/** The attribute `local` whatever its prefix (`r:id`, `id`): `attribute(attrs, 'id')`. */
export function attribute(attrs: Map<string, string>, local: string): string | undefined {
  const direct = attrs.get(local);
  if (direct !== undefined) return direct;
  for (const [name, value] of attrs) if (name.endsWith(`:${local}`)) return value;
  return undefined;
}

/**
 * The text of the `<t>` runs in `xml` (a shared string's `<si>` or a cell's `<is>`, sliced out by the caller so
 * every search stays inside it), skipping phonetic runs (`<rPh>`): reading aids, not part of the value.
 */
export function runText(xml: string, prefix: string): string {
  const open = `<${prefix}t`;
  const close = `</${prefix}t>`;
  const source = xml.includes(`<${prefix}rPh`) ? xml.replace(new RegExp(`<${prefix}rPh[\\s>][\\s\\S]*?</${prefix}rPh>`, 'g'), '') : xml;
  let text = '';
  let at = 0;
  for (;;) {
    const start = source.indexOf(open, at);
    if (start < 0) break;
    const next = source.charCodeAt(start + open.length);
    const tagEnd = source.indexOf('>', start);
    // `<t>` or `<t xml:space="preserve">`, not `<tabColor>`; `<t/>` is empty.
    if ((next !== 62 && next !== 32) || tagEnd < 0 || source.charCodeAt(tagEnd - 1) === 47) {
      at = start + open.length;
      continue;
    }
    const end = source.indexOf(close, tagEnd);
    if (end < 0) break;
    text += source.slice(tagEnd + 1, end);
    at = end + close.length;
  }
  return xmlText(text);
}
