import { describe, expect, it } from 'vitest';
import { MARK_TYPES, MARKS } from '../../../../src/engine/chart/index.ts';

describe('the mark list', () => {
  it('declares every mark a chart can draw exactly once, under its own Plot name', () => {
    expect(Object.keys(MARKS).sort()).toEqual([...MARK_TYPES].sort());
    for (const [name, definition] of Object.entries(MARKS)) expect(definition.type).toBe(name);
  });

  it('measures x for horizontal marks, fill for a heatmap and y for the rest', () => {
    const byValue = (channel: string) => MARK_TYPES.filter((type) => MARKS[type].valueChannel === channel);
    expect(byValue('x')).toEqual(['barX', 'ruleX', 'tickX']);
    expect(byValue('fill')).toEqual(['cell']);
  });
});
