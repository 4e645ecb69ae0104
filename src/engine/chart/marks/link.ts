import { markDefinition } from '../mark.ts';

/** A straight link from (x1, y1) to (x2, y2), as a network's edges; it is drawn from raw rows only. */
export const link = markDefinition('link', {
  needsPosition: false,
  aggregates: false,
  requires: { channels: ['x1', 'y1', 'x2', 'y2'], message: (at) => `a link mark needs "${at}x1", "${at}y1", "${at}x2" and "${at}y2"` },
});
