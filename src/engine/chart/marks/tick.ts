import { markDefinition } from '../mark.ts';

/** A vertical tick at x in each y band. */
export const tickX = markDefinition('tickX', { valueChannel: 'x', bandAxis: 'y', accent: { option: 'stroke', unless: ['stroke'] } });

/** A horizontal tick at y in each x band. */
export const tickY = markDefinition('tickY', { bandAxis: 'x', accent: { option: 'stroke', unless: ['stroke'] } });
