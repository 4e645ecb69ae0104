import {
  DataFileError,
  fetchPage,
  importFile,
  listTables,
  prepareRetailTable,
  mapRetailTable,
  runSql,
  editSource,
  addSqlCell,
  removeCell,
  type Database,
  type DataFile,
  type DisplayValue,
  type Notebook,
  type ParquetCodec,
  type RetailTableReport,
  type SampleGenerator,
  type GenerateRequest,
  type SortOrder,
  type SqlOutcome,
  type TableInfo,
} from '../engine/index.ts';
import { isCancelled, messageOf } from '../util/errors.ts';

/** The adapters the UI works through; built in main.ts. */
export interface Services {
  readonly db: Database;
  readonly parquet: ParquetCodec;
  readonly generator: SampleGenerator;
  /** Which DuckDB build runs, shown in the footer. */
  readonly engineLabel: string;
  /** Fetch a file from the app's own origin; cross-origin URLs are refused (privacy). */
  readonly fetchSameOrigin: (url: string) => Promise<DataFile>;
  /** Persist the notebook text; called after each edit. */
  readonly saveNotebook: (notebook: Notebook) => void;
}

export type CellStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

export interface CellRun {
  readonly status: CellStatus;
  /** Increases with every run of the cell; a finished run whose stamp is not current is dropped. */
  readonly version: number;
  readonly outcome?: SqlOutcome;
  readonly error?: string;
  readonly durationMs?: number;
}

/** A long task in the data panel (a load or a generation) with progress and a cancel. */
export interface Task {
  readonly label: string;
  readonly progress: number | null;
  readonly cancel: () => void;
}

export interface Notice {
  readonly id: number;
  readonly kind: 'error' | 'info';
  readonly text: string;
}

/** The page's state and the operations on it. Holds no DOM; components read its fields and call its methods. */
export class Session {
  notebook = $state.raw<Notebook>({ title: 'Untitled', data: {}, cells: [], extra: {} });
  runs = $state.raw<Record<string, CellRun>>({});
  tables = $state.raw<TableInfo[]>([]);
  reports = $state.raw<Record<string, RetailTableReport>>({});
  task = $state.raw<Task | null>(null);
  notices = $state.raw<Notice[]>([]);
  ready = $state(false);

  private readonly controllers = new Map<string, AbortController>();
  private noticeId = 0;

  constructor(readonly services: Services) {}

  /** Table name → column names, for SQL completion. */
  get schema(): Record<string, string[]> {
    return Object.fromEntries(this.tables.map((table) => [table.name, table.columns.map((column) => column.name)]));
  }

  /** Show a message; information fades after a few seconds, errors stay until dismissed. */
  notify(kind: Notice['kind'], text: string): void {
    this.noticeId += 1;
    const id = this.noticeId;
    this.notices = [...this.notices, { id, kind, text }];
    if (kind === 'info') setTimeout(() => this.dismiss(id), 6000);
  }

  /** Tables that hold a cell's result, as opposed to loaded data. */
  get cellTables(): Set<string> {
    return new Set(this.notebook.cells.flatMap((cell) => (cell.kind === 'sql' ? [cell.name] : [])));
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((notice) => notice.id !== id);
  }

  async refreshTables(): Promise<void> {
    this.tables = await listTables(this.services.db);
  }

  setNotebook(notebook: Notebook): void {
    this.notebook = notebook;
    this.services.saveNotebook(notebook);
  }

  editCell(cellId: string, source: string): void {
    this.setNotebook(editSource(this.notebook, cellId, source));
  }

  addCell(afterId?: string): string {
    const { notebook, cell } = addSqlCell(this.notebook, afterId, '');
    this.setNotebook(notebook);
    return cell.id;
  }

  deleteCell(cellId: string): void {
    this.cancelCell(cellId);
    this.setNotebook(removeCell(this.notebook, cellId));
  }

  /** Run one SQL cell; a newer run of the same cell cancels and supersedes this one. */
  async runCell(cellId: string): Promise<void> {
    const cell = this.notebook.cells.find((c) => c.id === cellId);
    if (!cell || cell.kind !== 'sql') return;
    this.controllers.get(cellId)?.abort();
    const controller = new AbortController();
    this.controllers.set(cellId, controller);
    const version = (this.runs[cellId]?.version ?? 0) + 1;
    this.setRun(cellId, { ...this.runs[cellId], status: 'running', version, error: undefined });
    const started = performance.now();
    try {
      const outcome = await runSql(this.services.db, cell.name, cell.source, controller.signal);
      if (this.runs[cellId]?.version !== version) return;
      this.setRun(cellId, { status: 'done', version, outcome, durationMs: performance.now() - started });
      void this.refreshTables();
    } catch (error) {
      if (this.runs[cellId]?.version !== version) return;
      const cancelled = isCancelled(error);
      this.setRun(cellId, {
        status: cancelled ? 'cancelled' : 'error',
        version,
        error: cancelled ? 'Cancelled.' : messageOf(error),
        durationMs: performance.now() - started,
      });
    } finally {
      if (this.controllers.get(cellId) === controller) this.controllers.delete(cellId);
    }
  }

  cancelCell(cellId: string): void {
    this.controllers.get(cellId)?.abort();
  }

  /** Run every SQL cell in notebook order; stops at the first error. */
  async runAll(): Promise<void> {
    for (const cell of this.notebook.cells) {
      if (cell.kind !== 'sql') continue;
      await this.runCell(cell.id);
      if (this.runs[cell.id]?.status !== 'done') return;
    }
  }

  rows(table: { name: string; kind: 'table' | 'view' }, columns: TableInfo['columns']) {
    return (offset: number, limit: number, sort: SortOrder | null): Promise<DisplayValue[][]> =>
      fetchPage(this.services.db, table, columns, { offset, limit, sort });
  }

  /** Load files the user picked or dropped, one after the other. */
  async loadFiles(files: readonly DataFile[], tableName?: string): Promise<void> {
    for (const file of files) {
      await this.withTask(`Loading ${file.fileName}`, null, async (signal) => {
        const info = await importFile(this.services.db, this.services.parquet, file, { tableName, signal });
        await this.afterLoad(info);
        this.notify('info', `Loaded ${file.fileName} as table ${info.name} (${info.rowCount.toLocaleString('en')} rows).`);
      });
    }
  }

  async loadUrl(url: string, tableName?: string): Promise<void> {
    await this.withTask(`Fetching ${url}`, null, async (signal) => {
      const file = await this.services.fetchSameOrigin(url);
      if (signal.aborted) return;
      const info = await importFile(this.services.db, this.services.parquet, file, { tableName, signal });
      await this.afterLoad(info);
      this.notify('info', `Loaded ${file.fileName} as table ${info.name} (${info.rowCount.toLocaleString('en')} rows).`);
    });
  }

  async generate(request: GenerateRequest, tableName: string): Promise<void> {
    await this.withTask(`Generating ${request.rows.toLocaleString('en')} rows`, 0, async (signal) => {
      const ipc = await this.services.generator.generate(
        request,
        (progress) => (this.task = this.task && { ...this.task, progress }),
        signal,
      );
      await this.services.db.insertArrowIpc(tableName, ipc);
      const info = (await listTables(this.services.db)).find((table) => table.name === tableName);
      if (info) await this.afterLoad(info);
      this.notify('info', `Generated table ${tableName} (${request.rows.toLocaleString('en')} rows, seed ${request.seed}).`);
    });
  }

  /** Apply a hand mapping (canonical column → table column) to a table no layout matched. */
  async mapTable(info: TableInfo, mapping: Record<string, string | undefined>): Promise<void> {
    await this.withTask(`Mapping ${info.name}`, null, async () => {
      const report = await mapRetailTable(this.services.db, info.name, info.columns, mapping);
      this.reports = { ...this.reports, [info.name]: report };
      await this.refreshTables();
    });
  }

  private async afterLoad(info: TableInfo): Promise<void> {
    const report = await prepareRetailTable(this.services.db, info.name, info.columns);
    const reports = { ...this.reports };
    if (report) reports[info.name] = report;
    else delete reports[info.name];
    this.reports = reports;
    await this.refreshTables();
  }

  private async withTask(label: string, progress: number | null, work: (signal: AbortSignal) => Promise<void>) {
    const controller = new AbortController();
    this.task = { label, progress, cancel: () => controller.abort() };
    try {
      await work(controller.signal);
    } catch (error) {
      if (isCancelled(error)) this.notify('info', `${label}: cancelled.`);
      else this.notify('error', error instanceof DataFileError ? error.message : `${label} failed: ${messageOf(error)}`);
    } finally {
      this.task = null;
    }
  }

  private setRun(cellId: string, run: CellRun): void {
    this.runs = { ...this.runs, [cellId]: run };
  }
}
