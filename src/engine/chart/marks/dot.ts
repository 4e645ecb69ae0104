import { markDefinition } from '../mark.ts';

/** A dot at (x, y); with `z` too, a rotatable 3-D scatter. The only mark that may take z. */
export const dot = markDefinition('dot', { threeD: true, accent: { option: 'stroke', unless: ['fill', 'stroke'] } });
