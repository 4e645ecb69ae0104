import { marked } from 'marked';
import DOMPurify, { type DOMPurify as Purifier, type WindowLike } from 'dompurify';

/** Markdown → HTML that cannot run script: marked renders, DOMPurify removes scripts, handlers and `javascript:` links. */
export function renderMarkdown(source: string): string {
  return sanitizedMarkdown(DOMPurify, source);
}

/**
 * renderMarkdown with DOMPurify on another window than the page's: in Node, a jsdom window. (linkedom does not do:
 * DOMPurify needs `document.implementation` and a parser that parses HTML as a browser does.)
 * `markdownRenderer(new JSDOM('').window)('# Revenue')` → `<h1>Revenue</h1>`
 */
export function markdownRenderer(window: WindowLike): (source: string) => string {
  const purify = DOMPurify(window);
  return (source) => sanitizedMarkdown(purify, source);
}

function sanitizedMarkdown(purify: Purifier, source: string): string {
  // Without a usable DOM, DOMPurify hands its input back unchanged: refuse rather than pass markup through.
  if (!purify.isSupported) throw new Error('markdown cannot be sanitised here: DOMPurify needs a DOM window (in Node, a jsdom window)');
  const html = marked.parse(source, { async: false, gfm: true });
  return purify.sanitize(html, { USE_PROFILES: { html: true } });
}
