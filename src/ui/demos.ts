import { parseNotebook } from '../engine/index.ts';

/** A notebook shipped in `notebooks/`, bundled as text. */
export interface Demo {
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  readonly text: string;
}

const files = import.meta.glob('../../notebooks/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** The demo notebooks, welcome first, then by title. */
export const DEMOS: readonly Demo[] = Object.entries(files)
  .map(([path, text]) => {
    const notebook = parseNotebook(text);
    const prose = notebook.cells.find((cell) => cell.kind === 'markdown')?.source ?? '';
    const summary = prose.split('\n\n').find((paragraph) => !paragraph.startsWith('#'))?.replace(/[*`]/g, '') ?? '';
    return { slug: path.replace(/^.*\//, '').replace(/\.md$/, ''), title: notebook.title, summary, text };
  })
  .sort((a, b) => (a.slug === 'welcome' ? -1 : b.slug === 'welcome' ? 1 : a.title.localeCompare(b.title)));

export function demoBySlug(slug: string): Demo | undefined {
  return DEMOS.find((demo) => demo.slug === slug);
}
