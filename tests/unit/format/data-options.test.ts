import { describe, expect, it } from 'vitest';
import { parseNotebook, serializeChecked, serializeNotebook } from '../../../src/format/notebook-text.ts';

const TEXT = `---
aisle: 1
title: Ratings
data:
  ratings:
    path: ml-100k/u.data
    header: false
    delim: ws
    names:
      - user
      - item
  sales: sample/online_retail_50k.parquet
---

# Ratings
`;

describe('data sources with import options in the front matter', () => {
  it('reads a source written as { path, …options } and writes it back as it was', () => {
    const notebook = parseNotebook(TEXT);
    expect(notebook.data).toEqual({ ratings: 'ml-100k/u.data', sales: 'sample/online_retail_50k.parquet' });
    expect(notebook.dataOptions).toEqual({ ratings: { header: false, delim: 'ws', names: ['user', 'item'] } });
    expect(serializeNotebook(notebook)).toBe(TEXT);
    expect(serializeChecked(notebook)).toBe(TEXT);
  });

  it('refuses a source with options but no path, naming it', () => {
    expect(() => parseNotebook(TEXT.replace('    path: ml-100k/u.data\n', ''))).toThrow('`data` entry ratings must name its file with `path:`');
  });
});
