/**
 * Charts as data: `spec.ts` checks a chart spec, `query.ts` plans the SQL each mark reads, `plan.ts` assembles the
 * Plot options from the rows; what differs between marks is declared once per mark in `marks/`.
 */
export { MARK_TYPES, CHANNELS, AGGREGATES, type MarkType, type Channel, type Aggregate, type MarkSpec, type MarkDefinition } from './mark.ts';
export { MARKS } from './marks/index.ts';
export { chartSpec, chartTables, chartSpecReads, type ChartSpec, type ScaleSpec, type ScaleType } from './spec.ts';
export { isColour } from './colour.ts';
export { chartQuery, type ChartQuery, type TableShape } from './query.ts';
export { plotPlan, isChart3d, type Row, type PlotMarkPlan, type ScalePlan, type PlotPlan, type PlotPlanOptions } from './plan.ts';
export { selectSpec, selectProblem, intervalAt, intervalPixels, pointAt, pointPixels, selectionSql, isSelectionValue, selectionLabel, timestampText, type SelectSpec, type SelectType, type SelectChannel, type SelectionValue, type PlotScale } from './select.ts';
