import { markDefinition } from '../mark.ts';

/** A filled area under y along x, from zero, one per fill series. */
export const area = markDefinition('area', { series: true, startsAtZero: 'y', accent: { option: 'fill', unless: ['fill'] } });

/** An area of y over x (Plot's areaY); the same rows as `area`. */
export const areaY = markDefinition('areaY', { series: true, startsAtZero: 'y', accent: { option: 'fill', unless: ['fill'] } });
