import { markDefinition } from '../mark.ts';

/** A line through x and y in x order, one per stroke series. */
export const line = markDefinition('line', { series: true, accent: { option: 'stroke', unless: ['stroke'] } });

/** A line of y over x (Plot's lineY); the same rows as `line`. */
export const lineY = markDefinition('lineY', { series: true, accent: { option: 'stroke', unless: ['stroke'] } });
