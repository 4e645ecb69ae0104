import { marked } from 'marked';
import DOMPurify from 'dompurify';

/** Markdown → HTML that cannot run script: marked renders, DOMPurify removes scripts, handlers and `javascript:` links. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}
