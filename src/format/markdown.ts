import { marked } from 'marked';
import DOMPurify, { type DOMPurify as Purifier, type WindowLike } from 'dompurify';

/**
 * Markdown → HTML that cannot run script or send anything away: marked renders; DOMPurify removes scripts,
 * handlers, `javascript:` links, forms and their controls (a button in a saved report could submit to any
 * site), and images or media from other sites (fetching one tells that site the notebook was opened).
 * DOMPurify works on the window given: the page's in the browser, a jsdom window in Node. (linkedom does not do:
 * DOMPurify needs `document.implementation` and a parser that parses HTML as a browser does.)
 * `markdownRenderer(new JSDOM('').window)('# Revenue')` → `<h1>Revenue</h1>`
 */
export function markdownRenderer(window: WindowLike): (source: string) => string {
  const purify = DOMPurify(window);
  return (source) => sanitizedMarkdown(purify, source);
}

/** Elements that submit, embed or restyle the page: never kept from a notebook's markdown. */
const FORBIDDEN_TAGS = ['form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'object', 'embed', 'base', 'link', 'meta', 'style'];
/** Attributes that fetch or submit: every value is checked by `isOutside`. */
const RESOURCE_ATTRIBUTES = ['src', 'srcset', 'poster', 'background', 'action', 'formaction', 'ping'];
/** An absolute or protocol-relative URL names another site; `#…`, relative paths and `data:` do not. */
const isOutside = (value: string): boolean => /^\s*(?:[a-z][a-z0-9+.-]*:|\/\/|\\\\)/i.test(value) && !/^\s*data:image\//i.test(value);

/** Markdown → safe HTML with a DOMPurify instance already bound to a window. */
export function sanitizedMarkdown(purify: Purifier, source: string): string {
  // Without a usable DOM, DOMPurify hands its input back unchanged: refuse rather than pass markup through.
  if (!purify.isSupported) throw new Error('markdown cannot be sanitised here: DOMPurify needs a DOM window (in Node, a jsdom window)');
  const html = marked.parse(source, { async: false, gfm: true });
  purify.addHook('uponSanitizeAttribute', (_node, data) => {
    if (RESOURCE_ATTRIBUTES.includes(data.attrName) && isOutside(data.attrValue)) data.keepAttr = false;
  });
  try {
    return purify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: FORBIDDEN_TAGS });
  } finally {
    purify.removeHook('uponSanitizeAttribute');
  }
}
