import DOMPurify from 'dompurify';
import { sanitizedMarkdown } from '../format/markdown.ts';

/** Markdown → safe HTML in the page (DOMPurify on the page's window); the rules are in `format/markdown.ts`. */
export function renderMarkdown(source: string): string {
  return sanitizedMarkdown(DOMPurify, source);
}
