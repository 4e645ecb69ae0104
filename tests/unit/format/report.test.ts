import { describe, expect, it } from 'vitest';
import { escapeHtml, reportHtml, sanitizeSvg } from '../../../src/format/report.ts';

const report = reportHtml({
  title: 'Q4 <review>',
  date: '22 November 2026, 03:20',
  data: [{ name: 'sales', rowCount: 541909, columns: 8 }],
  blocks: [
    { kind: 'markdown', html: '<h1>Revenue</h1><p>As <em>expected</em>.</p>' },
    { kind: 'table', name: 'top', table: { columns: ['product', 'revenue'], rows: [['<b>MUG</b>', 12.5], ['TEA', null]], rowCount: 40 } },
    { kind: 'chart', name: 'chart', svg: '<svg viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script><rect width="5" height="5"></rect><a href="https://example.com/x">x</a><use href="#m"></use></svg>', note: '5,000 of 9,000 points, sampled' },
    { kind: 'error', name: 'broken', message: 'Binder Error: no column "x"' },
  ],
});

describe('reportHtml', () => {
  it('is one document with title, date, the data read, prose, tables and charts', () => {
    expect(report.startsWith('<!doctype html>')).toBe(true);
    expect(report).toContain('<title>Q4 &lt;review&gt;</title>');
    expect(report).toContain('Report made 22 November 2026, 03:20');
    expect(report).toContain('<code>sales</code> — 541,909 rows, 8 columns');
    expect(report).toContain('<h1>Revenue</h1><p>As <em>expected</em>.</p>');
    expect(report).toContain('<td>&lt;b&gt;MUG&lt;/b&gt;</td><td class="num">12.5</td>');
    expect(report).toContain('<td class="null">null</td>');
    expect(report).toContain('the first 2 of 40 rows');
    expect(report).toContain('<rect width="5" height="5"></rect>');
    expect(report).toContain('5,000 of 9,000 points, sampled');
    expect(report).toContain('Binder Error: no column &quot;x&quot;');
    expect(report).toContain('@media print');
  });

  it('runs nothing and refers to nothing outside itself', () => {
    expect(report).not.toMatch(/<script/i);
    expect(report).not.toMatch(/\son[a-z]+=/i);
    expect(report).not.toMatch(/(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(report).not.toMatch(/@import|url\(/i);
    expect(report).toContain('<use href="#m"></use>');
    expect(report).toContain(`default-src 'none'`);
  });
});

describe('escapeHtml and sanitizeSvg', () => {
  it('escape markup and strip active SVG content', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(sanitizeSvg('<svg><foreignObject><div>x</div></foreignObject><image href="data:image/png;base64,AA" /></svg>')).toBe('<svg><image href="data:image/png;base64,AA" /></svg>');
  });
});
