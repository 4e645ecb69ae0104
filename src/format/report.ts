/**
 * A notebook as one self-contained HTML report: title, date, the data it read, prose, tables and charts as inline
 * SVG. No script, no stylesheet or font from anywhere, so it opens offline and prints cleanly to PDF. Pure: the
 * page hands over already-sanitised markdown HTML and chart SVG; every other text is escaped here.
 */

export interface ReportTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** Per column, whether it holds numbers (already formatted for display as text): they align right. */
  readonly numeric?: readonly boolean[];
  /** All rows of the table; more than `rows.length` means the report shows the first ones only. */
  readonly rowCount: number;
}

/** A block of the report; `width` (columns of 12) places it on the grid of a `layout: grid` notebook. */
export type ReportBlock = ReportContent & { readonly width?: number };

export type ReportContent =
  /** Markdown already rendered and sanitised (DOMPurify) by the page. */
  | { readonly kind: 'markdown'; readonly html: string }
  | { readonly kind: 'table'; readonly name: string; readonly table: ReportTable }
  /** A chart's SVG as Plot drew it (no scripts; `sanitizeSvg` strips anything active all the same). */
  | { readonly kind: 'chart'; readonly name: string; readonly svg: string; readonly note?: string }
  | { readonly kind: 'value'; readonly name: string; readonly value: string }
  /** A one-row result as value boxes: each column's label and its value, formatted for display. */
  | { readonly kind: 'tiles'; readonly name: string; readonly tiles: readonly { readonly label: string; readonly value: string | null }[] }
  | { readonly kind: 'error'; readonly name: string; readonly message: string };

export interface Report {
  readonly title: string;
  /** When the report was made, as shown (e.g. "22 November 2026, 03:20"). */
  readonly date: string;
  /** The data tables the notebook read: name, rows, columns. */
  readonly data: readonly { readonly name: string; readonly rowCount: number; readonly columns: number }[];
  readonly blocks: readonly ReportBlock[];
}

/** `<`, `>`, `&`, `"` and `'` as entities: text from data can never become markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Plot's SVG without anything that could run or fetch: script and foreignObject elements, on* attributes, and
 * href/src that are not in-document (#…) or data: images. Plot draws none of these; this is the belt to its braces.
 */
export function sanitizeSvg(svg: string): string {
  return svg
    .replace(/<script[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<foreignObject[\s\S]*?<\/foreignObject\s*>/gi, '')
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/\s(?:xlink:)?(?:href|src)\s*=\s*("|')(?!#|data:image\/)[^"']*\1/gi, '');
}

function cell(value: unknown, numeric = false): string {
  if (value === null || value === undefined) return '<td class="null">null</td>';
  if (numeric && typeof value === 'string') return `<td class="num">${escapeHtml(value)}</td>`;
  if (typeof value === 'number') return `<td class="num">${escapeHtml(Number.isInteger(value) ? String(value) : value.toPrecision(10).replace(/\.?0+$/, ''))}</td>`;
  if (typeof value === 'bigint') return `<td class="num">${escapeHtml(String(value))}</td>`;
  if (value instanceof Date) return `<td>${escapeHtml(value.toISOString().replace('T00:00:00.000Z', '').replace('.000Z', 'Z'))}</td>`;
  return `<td>${escapeHtml(String(value))}</td>`;
}

function tableHtml(name: string, table: ReportTable): string {
  const head = table.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const body = table.rows.map((row) => `<tr>${row.map((value, index) => cell(value, table.numeric?.[index])).join('')}</tr>`).join('\n');
  const shown = table.rows.length < table.rowCount ? `the first ${table.rows.length.toLocaleString('en-US')} of ${table.rowCount.toLocaleString('en-US')} rows` : `${table.rowCount.toLocaleString('en-US')} row${table.rowCount === 1 ? '' : 's'}`;
  return `<section class="block"><h3>${escapeHtml(name)}</h3><div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div><p class="meta">${shown}</p></section>`;
}

function blockHtml(block: ReportBlock): string {
  const html = contentHtml(block);
  return block.width === undefined ? html : html.replace('<section class="block', `<section class="w${block.width} block`);
}

function contentHtml(block: ReportContent): string {
  switch (block.kind) {
    case 'markdown':
      return `<section class="block prose">${block.html}</section>`;
    case 'table':
      return tableHtml(block.name, block.table);
    case 'chart':
      return `<section class="block chart"><h3>${escapeHtml(block.name)}</h3>${sanitizeSvg(block.svg)}${block.note ? `<p class="meta">${escapeHtml(block.note)}</p>` : ''}</section>`;
    case 'value':
      return `<section class="block"><p><strong>${escapeHtml(block.name)}</strong> = ${escapeHtml(block.value)}</p></section>`;
    case 'tiles':
      return `<section class="block"><h3>${escapeHtml(block.name)}</h3><div class="tiles">${block.tiles
        .map((tile) => `<div class="tile"><span class="value">${escapeHtml(tile.value ?? 'null')}</span><span class="label">${escapeHtml(tile.label)}</span></div>`)
        .join('')}</div></section>`;
    case 'error':
      return `<section class="block error"><h3>${escapeHtml(block.name)}</h3><p>${escapeHtml(block.message)}</p></section>`;
  }
}

const STYLE = `
:root { color-scheme: light; --text: #1d1d1b; --muted: #6f6f68; --line: #e4e2da; --accent: #2f6f4e; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 980px; padding: 32px 24px 64px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--text); background: #fff; }
header { border-bottom: 2px solid var(--accent); margin-bottom: 24px; }
header h1 { margin: 0 0 4px; font-size: 28px; }
.meta, .data { color: var(--muted); font-size: 13px; }
.data ul { margin: 4px 0 12px; padding-left: 18px; }
.block { margin: 0 0 24px; break-inside: avoid; }
.block h3 { font-size: 13px; font-family: ui-monospace, Menlo, Consolas, monospace; color: var(--accent); margin: 0 0 6px; }
.prose h1, .prose h2 { margin: 28px 0 8px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f5f0; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.null { color: var(--muted); font-style: italic; }
.chart svg { max-width: 100%; height: auto; }
.error { color: #a3261b; }
main.grid { display: grid; grid-template-columns: repeat(12, minmax(0, 1fr)); column-gap: 20px; }
${Array.from({ length: 12 }, (_, index) => `.w${index + 1} { grid-column: span ${index + 1}; }`).join(' ')}
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; display: flex; flex-direction: column; }
.tile .value { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.tile .label { color: var(--muted); font-size: 13px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .scroll { overflow: visible; }
  thead { display: table-header-group; }
  tr, .chart { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  @page { margin: 16mm; }
}`;

/** The report as one HTML document. */
export function reportHtml(report: Report): string {
  const data = report.data.length === 0
    ? ''
    : `<div class="data">Data: <ul>${report.data.map((table) => `<li><code>${escapeHtml(table.name)}</code> — ${table.rowCount.toLocaleString('en-US')} rows, ${table.columns} columns</li>`).join('')}</ul></div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(report.title)}</h1><p class="meta">Report made ${escapeHtml(report.date)} with Aisle</p>${data}</header>
<main${report.blocks.some((block) => block.width !== undefined) ? ' class="grid"' : ''}>
${report.blocks.map(blockHtml).join('\n')}
</main>
<footer>Made in the browser with Aisle; this file needs no network and runs no code.</footer>
</body>
</html>
`;
}
