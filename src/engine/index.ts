/** The engine's public surface: the UI and the composition root import from here only. */
export type { Database, FileSource, ParquetCodec, QueryOptions, SampleGenerator, GenerateRequest, ModelRunner, ModelRequest } from './ports.ts';
export type { ColumnInfo, TableInfo } from './catalog.ts';
export { listTables, tableInfo, describe } from './catalog.ts';
export { importFile, DataFileError, MAX_PARQUET_BYTES, type DataFile } from './datasets.ts';
export { runSql, type SqlOutcome } from './run-sql.ts';
export { Scheduler, type RunLogEvent, type Evaluate, type RunContext } from './scheduler.ts';
export { createEvaluator } from './evaluate/index.ts';
export type { CellStates, CellState, CellStatus, CellOutput } from './status.ts';
export { describeCellError, type CellError } from './errors.ts';
export { parseSpec, inputSpec, SpecError, type InputSpec, type InputValue, type InputControl } from './specs.ts';
export { fetchPage, type DisplayValue, type SortOrder, type PageRequest } from './result-page.ts';
export * from './notebook.ts';
export { prepareRetailTable, mapRetailTable, type RetailTableReport } from './retail-table.ts';
export { CANONICAL_COLUMNS, type CanonicalColumn } from '../data/retail.ts';
export { CLEANING_RULES, describeCleaningRule, type CleaningReport, type ValidationReport, type ValidationIssue } from '../data/retail-reports.ts';
export { parseNotebook, readNotebook, serializeNotebook, serializeChecked, NotebookFormatError, NotebookSaveError, type NotebookProblem } from '../format/notebook-text.ts';
export { type ChartSpec, type PlotPlan, chartSpec, plotPlan } from './chart.ts';
