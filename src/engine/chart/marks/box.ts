import { markDefinition } from '../mark.ts';

/** A box plot of y per x band; it summarises its own rows, so it takes no `aggregate`. */
export const boxY = markDefinition('boxY', { aggregates: false, bandAxis: 'x' });
