import { excelSerialToMs } from './dates.ts';
import type { SheetContext } from './workbook.ts';
import { runText, xmlText } from './xml.ts';

/** Receives a sheet's cells row by row, in document order; columns count from 0. */
export interface CellSink {
  /** A row starts (1-based, as Excel numbers it); returning false stops the scan. */
  startRow(rowNumber: number): boolean;
  number(column: number, value: number): void;
  /** A date or time cell, as milliseconds since 1970 (UTC). */
  date(column: number, epochMs: number): void;
  text(column: number, value: string): void;
  boolean(column: number, value: boolean): void;
  endRow(): void;
}

/** Character codes the scanner compares. */
const Char = {
  Tab: 9,
  NewLine: 10,
  Return: 13,
  Space: 32,
  Quote: 34,
  Apostrophe: 39,
  Slash: 47,
  Zero: 48,
  Nine: 57,
  Equals: 61,
  GreaterThan: 62,
  A: 65,
  Z: 90,
  LowerR: 114,
  LowerS: 115,
  LowerT: 116,
} as const;

const isTagEnd = (code: number) => code === Char.Space || code === Char.GreaterThan || code === Char.Slash || code === Char.NewLine || code === Char.Tab || code === Char.Return;

/**
 * A hand-written scanner of a worksheet's XML (`<sheetData><row r><c r t s><v>…</v></c></row>`), fed the text
 * in pieces as it is inflated. A DOM or a general XML parser would hold or visit far more than the cells: on the
 * 541,909-row Online Retail sheet this is what keeps reading faster than pandas. Merged ranges (`<mergeCells>`,
 * after the rows) are collected for the caller.
 */
export class SheetXmlScanner {
  private rest = '';
  private prefix: string | null = null;
  private state: 'before' | 'rows' | 'after' | 'stopped' = 'before';
  private tail = '';
  private lastRow = 0;
  private tags = { row: '<row', rowClose: '</row>', cell: '<c', cellClose: '</c>', value: '<v', valueClose: '</v>', inline: '<is', inlineClose: '</is>', dataClose: '</sheetData>' };

  constructor(
    private readonly context: SheetContext,
    private readonly sink: CellSink,
  ) {}

  /** Scan the next piece of text; false once the sink has stopped the scan (nothing more is needed). */
  feed(piece: string): boolean {
    if (this.state === 'stopped') return false;
    if (this.state === 'after') {
      this.tail += piece;
      return true;
    }
    const text = this.rest + piece;
    let at = 0;
    if (this.state === 'before') {
      at = this.findSheetData(text);
      if (at < 0) {
        this.rest = text.slice(-64);
        return true;
      }
    }
    const { row, rowClose } = this.tags;
    for (;;) {
      const start = text.indexOf(row, at);
      if (start >= 0 && start + row.length >= text.length) break;
      if (start < 0 || !isTagEnd(text.charCodeAt(start + row.length))) {
        if (start >= 0 || text.indexOf(this.tags.dataClose, at) >= 0) {
          // `<rowBreaks>` or the end of the data: what follows are the merged ranges, if any.
          const end = text.indexOf(this.tags.dataClose, at);
          this.state = 'after';
          this.tail = end >= 0 ? text.slice(end) : text.slice(at);
          this.rest = '';
          return true;
        }
        // Keep a possibly cut `<ro`.
        this.rest = text.slice(Math.max(at, text.length - 16));
        return true;
      }
      const openEnd = text.indexOf('>', start);
      if (openEnd < 0) break;
      const selfClosing = text.charCodeAt(openEnd - 1) === Char.Slash;
      let close = openEnd;
      if (!selfClosing) {
        close = text.indexOf(rowClose, openEnd);
        if (close < 0) break;
      }
      const rowNumber = this.rowNumber(text, start + row.length, openEnd);
      if (!this.sink.startRow(rowNumber)) {
        this.state = 'stopped';
        this.rest = '';
        return false;
      }
      if (!selfClosing) this.cells(text, openEnd + 1, close);
      this.sink.endRow();
      at = selfClosing ? openEnd + 1 : close + rowClose.length;
    }
    this.rest = text.slice(at);
    return true;
  }

  /** Merged ranges (`A1:C1`), known once the whole sheet has been fed. */
  mergedRanges(): string[] {
    const pattern = new RegExp(`<${this.prefix ?? ''}mergeCell\\b[^>]*?\\bref\\s*=\\s*["']([^"']+)["']`, 'g');
    return [...this.tail.matchAll(pattern)].map((match) => match[1]!);
  }

  /** Index just after `<sheetData>`, or -1 when it is not in `text` yet; learns the namespace prefix on the way. */
  private findSheetData(text: string): number {
    if (this.prefix === null) {
      const root = /<(?!\?|!)([\w.-]+:)?worksheet\b/.exec(text);
      if (!root) return -1;
      this.setPrefix(root[1] ?? '');
    }
    const open = text.indexOf(`<${this.prefix}sheetData`);
    if (open < 0) return -1;
    const end = text.indexOf('>', open);
    if (end < 0) return -1;
    if (text.charCodeAt(end - 1) === Char.Slash) {
      this.state = 'after';
      this.tail = text.slice(end + 1);
      return -1;
    }
    this.state = 'rows';
    return end + 1;
  }

  private setPrefix(prefix: string): void {
    this.prefix = prefix;
    this.tags = {
      row: `<${prefix}row`,
      rowClose: `</${prefix}row>`,
      cell: `<${prefix}c`,
      cellClose: `</${prefix}c>`,
      value: `<${prefix}v`,
      valueClose: `</${prefix}v>`,
      inline: `<${prefix}is`,
      inlineClose: `</${prefix}is>`,
      dataClose: `</${prefix}sheetData>`,
    };
  }

  /** The row's `r`, or the one after the last when it has none. */
  private rowNumber(text: string, from: number, to: number): number {
    const at = attributeValue(text, from, to, Char.LowerR);
    let number = 0;
    if (at >= 0) {
      for (let i = at; ; i++) {
        const code = text.charCodeAt(i);
        if (code < Char.Zero || code > Char.Nine) break;
        number = number * 10 + code - Char.Zero;
      }
    }
    this.lastRow = number > 0 ? number : this.lastRow + 1;
    return this.lastRow;
  }

  private cells(text: string, from: number, to: number): void {
    const { cell, cellClose, value, valueClose, inline, inlineClose } = this.tags;
    const { sharedStrings, dateStyles, date1904 } = this.context;
    const sink = this.sink;
    let column = -1;
    let at = from;
    while (at < to) {
      const start = text.indexOf(cell, at);
      if (start < 0 || start >= to) return;
      const attrsFrom = start + cell.length;
      if (!isTagEnd(text.charCodeAt(attrsFrom))) {
        at = attrsFrom;
        continue;
      }
      const openEnd = text.indexOf('>', attrsFrom);
      // Attributes: r (reference), t (type), s (style); others (cm, vm, ph) are not needed.
      let type = 0;
      let style = 0;
      let reference = -1;
      for (let i = attrsFrom; i < openEnd; ) {
        const code = text.charCodeAt(i);
        if (code === Char.Space || code === Char.NewLine || code === Char.Tab || code === Char.Return || code === Char.Slash) {
          i++;
          continue;
        }
        const equals = text.indexOf('=', i);
        const quote = text.charCodeAt(equals + 1);
        const valueStart = equals + 2;
        const valueEnd = text.indexOf(quote === Char.Apostrophe ? "'" : '"', valueStart);
        if (equals - i === 1) {
          if (code === Char.LowerR) reference = valueStart;
          else if (code === Char.LowerT) {
            const second = text.charCodeAt(valueStart + 1);
            type = text.charCodeAt(valueStart) * 256 + (second === Char.Apostrophe ? Char.Quote : second);
          }
          else if (code === Char.LowerS) style = Number.parseInt(text.slice(valueStart, valueEnd), 10);
        }
        i = valueEnd + 1;
      }
      column = reference >= 0 ? columnIndex(text, reference) : column + 1;
      if (text.charCodeAt(openEnd - 1) === Char.Slash) {
        at = openEnd + 1;
        continue;
      }
      const end = text.indexOf(cellClose, openEnd);
      at = end + cellClose.length;
      if (type === INLINE_STRING) {
        const inlineStart = text.indexOf(inline, openEnd);
        if (inlineStart < 0 || inlineStart > end) continue;
        const inlineEnd = text.indexOf(inlineClose, inlineStart);
        const found = runText(text.slice(inlineStart, inlineEnd), this.prefix ?? '');
        if (found !== '') sink.text(column, found);
        continue;
      }
      const valueStart = text.indexOf(value, openEnd);
      if (valueStart < 0 || valueStart > end) continue;
      const valueOpenEnd = text.indexOf('>', valueStart);
      if (text.charCodeAt(valueOpenEnd - 1) === Char.Slash) continue;
      const raw = text.slice(valueOpenEnd + 1, text.indexOf(valueClose, valueOpenEnd));
      switch (type) {
        case SHARED_STRING: {
          const shared = sharedStrings[Number.parseInt(raw, 10)];
          if (shared !== undefined && shared !== '') sink.text(column, shared);
          break;
        }
        case BOOLEAN:
          sink.boolean(column, raw === '1' || raw === 'true');
          break;
        case FORMULA_STRING:
        case ERROR: {
          const found = xmlText(raw);
          if (found !== '') sink.text(column, found);
          break;
        }
        case ISO_DATE: {
          const ms = Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : /[zZ]|[+-]\d\d:\d\d$/.test(raw) ? raw : `${raw}Z`);
          if (Number.isFinite(ms)) sink.date(column, ms);
          else if (raw !== '') sink.text(column, raw);
          break;
        }
        default: {
          if (raw === '') break;
          const number = Number(raw);
          if (dateStyles[style] === 1 && Number.isFinite(number)) sink.date(column, excelSerialToMs(number, date1904));
          else sink.number(column, number);
        }
      }
    }
  }
}

// The first two characters of a cell's `t` attribute; no `t` (0) and `n` are numbers.
const INLINE_STRING = 105 * 256 + 110; // "in"
const SHARED_STRING = 115 * 256 + 34; // `s"`
const BOOLEAN = 98 * 256 + 34; // `b"`
const FORMULA_STRING = 115 * 256 + 116; // "st"
const ERROR = 101 * 256 + 34; // `e"`
const ISO_DATE = 100 * 256 + 34; // `d"`

/** Where the value of a one-letter attribute starts inside a start tag, or -1. */
function attributeValue(text: string, from: number, to: number, name: number): number {
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) === name && text.charCodeAt(i + 1) === Char.Equals && isSpaceBefore(text.charCodeAt(i - 1))) return i + 3;
  }
  return -1;
}

function isSpaceBefore(code: number): boolean {
  return code === Char.Space || code === Char.NewLine || code === Char.Tab || code === Char.Return;
}

/** `A1` → 0, `AB12` → 27: the letters of a cell reference starting at `from`. */
function columnIndex(text: string, from: number): number {
  let index = 0;
  for (let i = from; ; i++) {
    const code = text.charCodeAt(i);
    if (code < Char.A || code > Char.Z) break;
    index = index * 26 + code - Char.A + 1;
  }
  return index - 1;
}
