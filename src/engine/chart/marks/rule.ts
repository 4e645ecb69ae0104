import { markDefinition } from '../mark.ts';

/** A vertical rule at x across the frame; a spec's `"rule"` with x only becomes this one. */
export const ruleX = markDefinition('ruleX', { valueChannel: 'x', accent: { option: 'stroke', unless: ['stroke'] } });

/** A horizontal rule at y (a target line); a spec's `"rule"` with y becomes this one. */
export const ruleY = markDefinition('ruleY', { accent: { option: 'stroke', unless: ['stroke'] } });
