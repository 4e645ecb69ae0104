import { markDefinition } from '../mark.ts';

/** Vertical bars: one per x band, as tall as y (summed, counted, …), from zero. */
export const barY = markDefinition('barY', { bandAxis: 'x', startsAtZero: 'y', accent: { option: 'fill', unless: ['fill'] } });

/** Horizontal bars: one per y band, as long as x, from zero. */
export const barX = markDefinition('barX', { valueChannel: 'x', bandAxis: 'y', startsAtZero: 'x', accent: { option: 'fill', unless: ['fill'] } });
