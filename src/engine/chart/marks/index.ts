import type { MarkDefinition, MarkType } from '../mark.ts';
import { area, areaY } from './area.ts';
import { barX, barY } from './bar.ts';
import { boxY } from './box.ts';
import { cell } from './cell.ts';
import { dot } from './dot.ts';
import { line, lineY } from './line.ts';
import { link } from './link.ts';
import { ruleX, ruleY } from './rule.ts';
import { text } from './text.ts';
import { tickX, tickY } from './tick.ts';

/** Every mark a chart can draw, by its Plot name; the record's type makes a missing mark a compile error. */
export const MARKS: Readonly<Record<MarkType, MarkDefinition>> = { barY, barX, line, lineY, area, areaY, dot, cell, ruleX, ruleY, text, boxY, tickX, tickY, link };
