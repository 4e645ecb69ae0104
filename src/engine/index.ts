/** The engine's public surface: the UI and the composition root import from here only. */
export type { Database, FileSource, ParquetCodec, QueryOptions, SampleGenerator, GenerateRequest, ModelRunner, ModelRequest, TextTranscoder } from './ports.ts';
export type { ColumnInfo, TableInfo } from './catalog.ts';
export { listTables, tableInfo, describe, holdsData } from './catalog.ts';
export { importFile, compressLoaded, DataFileError, MAX_PARQUET_BYTES, type DataFile, type ImportedTable, type ImportOptions } from './datasets.ts';
export type { RecordFileReader } from '../data/record-files.ts';
export type { FileInspector, InspectedFile, FileInspection } from './ports.ts';
export {
  editSheet,
  sheetFor,
  sheetProblems,
  sheetTableName,
  previewKey,
  importRequest,
  detectedRequest,
  importOptionsOf,
  textSheetPreview,
  recordSheetPreview,
  type ImportSheet,
  type SheetEdit,
  type SheetPreview,
  type SheetProblem,
  type ImportRequest,
} from './import-sheet.ts';
export type { TablePreview, PreviewValue } from '../data/column-builder.ts';
export { localTextTranscoder, readAsNote, resolveTextOptions } from './text-import.ts';
export {
  detect,
  preview,
  defaultColumnNames,
  delimiterLabel,
  encodingLabel,
  DETECT_BYTES,
  PREVIEW_ROWS,
  TEXT_ENCODINGS,
  WHITESPACE,
  BASKET_COLUMNS,
  PREVIEW_TYPES,
  type TextImportOptions,
  type TextPreview,
  type PreviewColumn,
  type PreviewType,
  type TextLayout,
  type TextEncoding,
  type Delimiter,
} from '../data/text-dialect.ts';
export { importOptionsFrom, parseImportOptions, mergeImportOptions, ImportOptionsError, IMPORT_OPTION_KEYS, type GivenImportOptions } from '../data/import-options.ts';
export { runSql, type SqlOutcome } from './run-sql.ts';
export { exportTableCsv, type FormulaHandling } from './csv-export.ts';
export { Scheduler, type RunLogEvent, type Evaluate, type RunContext } from './scheduler.ts';
export { cellsAtOnce } from './turns.ts';
export { createEvaluator } from './evaluate/index.ts';
export { ModelInputCache } from './model-inputs.ts';
export { ModelOutputWatch } from './model-outputs.ts';
export { modelForms, modelSpec, type ModelForm, type ModelField, type ModelFieldType } from './models.ts';
export type { CellStates, CellState, CellStatus, CellOutput } from './status.ts';
export { describeCellError, type CellError } from './errors.ts';
export { profileTable, type TableProfile, type ColumnProfile, type HistogramBin, type TopValue, type ProfileKind } from './column-profile.ts';
export { inputsFromQuery, queryWithInputs, PAGE_PARAMETERS, type UrlInputs } from './url-inputs.ts';
export { parseSpec, inputSpec, SpecError, type InputSpec, type InputValue, type InputControl } from './specs.ts';
export { fetchPage, displayReader, type DisplayReader, type DisplayValue, type SortOrder, type PageRequest } from './result-page.ts';
export { countFiltered, filterCellSql, filterKindFor, filterWhere, isFilterEmpty, parseBound, pickValues, PICK_LIMIT, type ColumnFilter } from './grid-filter.ts';
export { isNumericType, type ColumnDisplay } from './number-display.ts';
export * from './notebook.ts';
export { prepareRetailTable, mapRetailTable, linesOfOrders, type RetailTableReport } from './retail-table.ts';
export { CANONICAL_COLUMNS, LAYOUT_NAMES, type CanonicalColumn } from '../data/retail.ts';
export { CLEANING_RULES, describeCleaningRule, type CleaningReport, type ValidationReport, type ValidationIssue } from '../data/retail-reports.ts';
export { parseNotebook, readNotebook, serializeNotebook, serializeChecked, NotebookFormatError, NotebookSaveError, type NotebookProblem } from '../format/notebook-text.ts';
export { type ChartSpec, type PlotPlan, chartSpec, plotPlan, isChart3d, MARK_TYPES, AGGREGATES } from './chart/index.ts';
export { selectProblem, intervalAt, intervalPixels, pointAt, pointPixels, isSelectionValue, selectionLabel, type SelectSpec, type SelectionValue, type PlotScale } from './chart/index.ts';
export { type View3d, DEFAULT_VIEW, dragView } from './chart/scatter-3d.ts';
export { buildReport } from './report.ts';
export { exportTableParquet, tableToKeep, type TableOrigin } from './table-files.ts';
export { drawChart, type ChartOutput } from './chart-draw.ts';
export { newChartSpec, newChartTable, retargetChart } from './chart/builder.ts';
export { protectedNames, tableAndDerived, freeDataName, notebookResults, markLoadedTable, markedLoadedTables } from './data-tables.ts';
export { summarizeNotebookEffects, sqlEffects, type NotebookEffects, type SqlCellEffects, type ObjectEffect, type EffectAction, type FlaggedStatement } from './effects.ts';
export { runsOnOpen, type NotebookOrigin } from './trust.ts';
export type { Workspace, FileSealer, LockState, NotebookEntry, LoadedTables } from './ports.ts';
export { StoreError, DamagedRecordError, type DamagedRecord, type RecordKind } from '../util/store-errors.ts';
export { createAutosaver, type Autosaver, type AutosaveState } from './autosave.ts';
export { createTableSaves, saveStatus, type SaveStatus, type TableSaves, type TableSavesSnapshot } from './table-saves.ts';
export { sqlReads, type SqlReads } from './sql/references.ts';
export { bindingPlan, bindTable, unbindTable, retargetBindings, dataBarRows, type Bindings, type BindingStep, type BindingSource, type DataBarRow } from './bindings.ts';
export { tableRenameProblem, tableReaders, removalWarning, renameLoadedTable, removeLoadedTable, type TableReaders } from './loaded-tables.ts';
export { dashboardLayout, placeCells, showsAsTiles, tileLabel, type DashboardLayout, type CellHint, type GridPlacement } from './dashboard-layout.ts';
export {
  APP_FILE_LIST,
  SITE_META_NAME,
  SiteError,
  assembleSite,
  openSealedSite,
  parseAppFileList,
  readSiteManifest,
  zipSite,
  type SiteFile,
  type SiteManifest,
} from './site.ts';
