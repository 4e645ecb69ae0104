import { markDefinition } from '../mark.ts';

/** A heatmap cell at (x, y) coloured by fill, the value an aggregate measures. */
export const cell = markDefinition('cell', { valueChannel: 'fill', bandAxis: 'x', bandsBoth: true });
