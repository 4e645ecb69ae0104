import { describe, expect, it } from 'vitest';
import { dashboardLayout } from '../../../src/engine/dashboard-layout.ts';
import { parseNotebook, serializeChecked, serializeNotebook } from '../../../src/format/notebook-text.ts';

describe('layout hints in the notebook text', () => {
  const text = `---
aisle: 1
title: Shop
layout: grid
cells:
  kpis: { tiles: true }
  trend: { width: 12, height: 360 }
---

\`\`\`sql kpis
SELECT 1 AS revenue
\`\`\`

\`\`\`chart trend
{ "data": "kpis" }
\`\`\`
`;

  it('round-trip: the hints read, write back as the same text, and pass the checked save', () => {
    const notebook = parseNotebook(text);
    expect(notebook.extra).toEqual({ layout: 'grid', cells: { kpis: { tiles: true }, trend: { width: 12, height: 360 } } });
    expect(serializeNotebook(notebook)).toBe(text);
    expect(serializeChecked(notebook)).toBe(text);
    const layout = dashboardLayout(parseNotebook(serializeNotebook(notebook)));
    expect(layout.kind === 'grid' && [...layout.hints]).toEqual([
      ['kpis', { tiles: true }],
      ['trend', { width: 12, height: 360 }],
    ]);
  });

  it('hints written as blocks read the same, and are written back one line per cell', () => {
    const blocks = text.replace('  kpis: { tiles: true }\n  trend: { width: 12, height: 360 }', '  kpis:\n    tiles: true\n  trend:\n    width: 12\n    height: 360');
    expect(blocks).not.toBe(text);
    expect(parseNotebook(blocks).extra).toEqual(parseNotebook(text).extra);
    expect(serializeNotebook(parseNotebook(blocks))).toBe(text);
  });
});
