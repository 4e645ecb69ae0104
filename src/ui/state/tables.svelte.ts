import {
  DataFileError,
  bindTable,
  bindingPlan,
  removeLoadedTable,
  renameLoadedTable,
  retargetBindings,
  tableInfo,
  tableRenameProblem,
  unbindTable,
  type Bindings,
  type ColumnFilter,
  countFiltered,
  pickValues,
  displayReader,
  linesOfOrders,
  listTables,
  mapRetailTable,
  markLoadedTable,
  markedLoadedTables,
  prepareRetailTable,
  protectedNames,
  type DisplayValue,
  type RetailTableReport,
  type SortOrder,
  type TableInfo,
  type TablePreview,
} from '../../engine/index.ts';
import { isCancelled, messageOf } from '../../util/errors.ts';
import type { Notices } from './notices.svelte.ts';
import type { Services } from './services.ts';

/** A long task in the data panel (a load or a generation) with progress and a cancel. */
export interface Task {
  readonly label: string;
  readonly progress: number | null;
  readonly cancel: () => void;
  /** The first rows of a file being read (Excel, JSON), shown while the rest is. */
  readonly preview?: TablePreview;
}

/**
 * The tables in DuckDB and what Aisle made of them: which are loaded data, their retail reports, the notebook's
 * bindings to them, renaming and removing them, and reading their rows. Loading new ones is DataState's.
 */
export class TableState {
  tables = $state.raw<TableInfo[]>([]);
  /**
   * The tables loaded as data (files, URLs, generated, restored or imported with a notebook), as loaded. Only these,
   * their canonical views and clean tables are data; every other table in DuckDB is something a cell made.
   */
  dataTables = $state.raw<readonly string[]>([]);
  reports = $state.raw<Record<string, RetailTableReport>>({});
  task = $state.raw<Task | null>(null);
  /** Notebook table name → the loaded table playing it, as bound in DuckDB now (views; see engine/bindings.ts). */
  bound = $state.raw<Bindings>({});

  constructor(
    protected readonly services: Services,
    protected readonly notices: Notices,
    /**
     * Called after a table is (re)loaded, so the notebook can re-run what reads it; `restored` when it came
     * from the workspace (so it need not be saved again).
     */
    private readonly onTableLoaded: (name: string, restored: boolean) => void | Promise<void>,
    /** True when a cell of the open notebook claims the name (its own table or a model cell's `<cell>__<part>`). */
    protected readonly isCellName: (name: string) => boolean = () => false,
    /**
     * Called as soon as a loaded table is in DuckDB, before it is prepared or listed: the moment it must start being
     * kept. `settled` resolves once its preparation and the re-run it starts have ended, however they ended.
     */
    private readonly onTableImported: (name: string, restored: boolean, settled: Promise<void>) => void = () => {},
    /** Called after a loaded table was renamed (`to`) or removed (`to` undefined): its saved copy and bindings follow. */
    private readonly onTableGone: (name: string, to: string | undefined) => void | Promise<void> = () => {},
  ) {}

  /** True for loaded data, its canonical view and its clean table (any case), and the names bound to loaded data. */
  isData(name: string): boolean {
    return protectedNames(this.dataNames).has(name.toLowerCase());
  }

  /** The loaded tables and the notebook names bound to them: cells may read these, never write them. */
  get dataNames(): string[] {
    return [...this.dataTables, ...Object.keys(this.bound)];
  }

  /**
   * Make DuckDB's bindings those `wanted` (see bindingPlan): a table set aside by a binding comes back with its
   * canonical view and clean table. Returns the wanted bindings whose table is not loaded (they are not made).
   */
  async applyBindings(wanted: Bindings): Promise<{ name: string; table: string }[]> {
    const { steps, unavailable } = bindingPlan(this.bound, wanted, this.dataTables);
    try {
      for (const step of steps) {
        switch (step.kind) {
          case 'unbind': {
            const restored = await unbindTable(this.services.db, step.name);
            const bound = { ...this.bound };
            delete bound[step.name];
            this.bound = bound;
            if (restored) await this.prepare(step.name);
            break;
          }
          case 'bind': {
            const report = this.reports[step.table];
            await bindTable(this.services.db, step.name, { table: step.table, canonicalView: report?.canonicalView, cleanTable: report?.cleanTable });
            this.bound = { ...this.bound, [step.name]: step.table };
            // The report of a table set aside would describe rows nothing reads now.
            const reports = { ...this.reports };
            delete reports[step.name];
            this.reports = reports;
            break;
          }
        }
      }
    } catch (error) {
      this.notices.add('error', `The notebook's tables could not be bound: ${messageOf(error)}`);
    }
    await this.refresh();
    return unavailable;
  }

  /** Validate a loaded table again and remake its canonical view and clean table (after it was set aside or renamed). */
  private async prepare(name: string, mapping?: RetailTableReport['profile']): Promise<void> {
    const info = await tableInfo(this.services.db, name, 'table');
    const loaded = this.tables.filter((table) => table.name !== name && this.dataTables.includes(table.name));
    const report =
      mapping?.layout === 'custom'
        ? await mapRetailTable(this.services.db, name, info.columns, mapping.mapping)
        : await prepareRetailTable(this.services.db, name, info.columns, loaded);
    const reports = { ...this.reports };
    if (report) reports[name] = report;
    else delete reports[name];
    this.reports = reports;
  }

  /** Why loaded table `from` cannot be called `to`, or undefined. */
  renameProblem(from: string, to: string): string | undefined {
    return tableRenameProblem(from, to, [...this.tables.map((table) => table.name), ...Object.keys(this.bound)], this.isCellName);
  }

  /** Rename a loaded table; its canonical view, clean table, saved copy and the bindings to it follow. */
  async renameTable(from: string, to: string): Promise<void> {
    const problem = this.renameProblem(from, to);
    if (problem !== undefined) {
      this.notices.add('error', `Table ${from} was not renamed: ${problem}.`);
      return;
    }
    if (from === to) return;
    await this.withTask(`Renaming ${from}`, null, async () => {
      const profile = this.reports[from]?.profile;
      await renameLoadedTable(this.services.db, from, to);
      this.dataTables = this.dataTables.map((table) => (table === from ? to : table));
      const reports = { ...this.reports };
      delete reports[from];
      this.reports = reports;
      await this.refresh();
      await this.prepare(to, profile);
      for (const [name, table] of Object.entries(this.bound)) {
        if (table !== from) continue;
        const report = this.reports[to];
        await bindTable(this.services.db, name, { table: to, canonicalView: report?.canonicalView, cleanTable: report?.cleanTable });
      }
      this.bound = retargetBindings(this.bound, from, to);
      const settled = latch();
      this.onTableImported(to, false, settled.promise);
      try {
        await this.onTableGone(from, to);
        await this.refresh();
        await this.onTableLoaded(to, false);
      } finally {
        settled.release();
      }
      this.notices.add('info', `Renamed table ${from} to ${to}.`);
    });
  }

  /** Remove a loaded table with its canonical view, clean table and saved copy; a name bound to it gets its own data back. */
  async removeTable(table: string): Promise<void> {
    await this.withTask(`Removing ${table}`, null, async () => {
      for (const [name, bound] of Object.entries(this.bound)) {
        if (bound !== table) continue;
        await this.applyBindings(retargetBindings(this.bound, table, undefined));
        if (this.dataTables.includes(name)) await this.onTableLoaded(name, true);
      }
      await removeLoadedTable(this.services.db, table);
      this.dataTables = this.dataTables.filter((name) => name !== table);
      const reports = { ...this.reports };
      delete reports[table];
      this.reports = reports;
      await this.onTableGone(table, undefined);
      await this.refresh();
      this.notices.add('info', `Removed table ${table}.`);
    });
  }

  /** Table name → column names, for SQL completion. */
  get schema(): Record<string, string[]> {
    return Object.fromEntries(this.tables.map((table) => [table.name, table.columns.map((column) => column.name)]));
  }

  /**
   * On a page `aisle serve` served: the tables other pages loaded into the server's database are this page's data
   * too (one database, many pages), listed with the rest and validated as a restored table is (its canonical view
   * and clean table made again, the same rows). Their saved copies stay with the page that loaded them.
   */
  async adoptServerTables(): Promise<void> {
    if (!this.services.server) return;
    try {
      const known = new Set(this.dataTables.map((name) => name.toLowerCase()));
      const adopted = (await markedLoadedTables(this.services.db)).filter((name) => !known.has(name.toLowerCase()));
      this.dataTables = [...this.dataTables, ...adopted];
      await this.refresh();
      for (const name of adopted) await this.prepare(name);
    } catch (error) {
      this.notices.add('error', `The server's tables could not be read: ${messageOf(error)}`);
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.tables = await listTables(this.services.db);
    } catch (error) {
      this.notices.add('error', `The list of tables could not be read: ${messageOf(error)}`);
    }
  }

  /** Pages of a table as shown: numbers grouped in the browser's locale, one decimal count per column. */
  rows(table: { name: string; kind: TableInfo['kind'] }, columns: TableInfo['columns']) {
    const reader = displayReader(this.services.db, table, columns);
    return (offset: number, limit: number, sort: SortOrder | null, where: string | null = null): Promise<DisplayValue[][]> =>
      reader.page({ offset, limit, sort, where });
  }

  /** Rows of a result that pass a grid's filters, counted by DuckDB. */
  countFiltered(table: string, filters: readonly ColumnFilter[]): Promise<number> {
    return countFiltered(this.services.db, table, filters);
  }

  /** The few values of a text column to pick from, or null when it has too many. */
  pickValues(table: string, column: string): Promise<readonly string[] | null> {
    return pickValues(this.services.db, table, column);
  }

  /** Apply a hand mapping (canonical column → table column) to a table no layout matched. */
  async mapTable(info: TableInfo, mapping: Record<string, string | undefined>): Promise<void> {
    await this.withTask(`Mapping ${info.name}`, null, async () => {
      const report = await mapRetailTable(this.services.db, info.name, info.columns, mapping);
      this.reports = { ...this.reports, [info.name]: report };
      await this.refresh();
      await this.onTableLoaded(info.name, false);
    });
  }

  /** Make a table that arrived data: listed, marked, kept, validated (with the order lines that read it), then re-run. */
  protected async afterLoad(info: TableInfo, restored = false): Promise<void> {
    const lower = info.name.toLowerCase();
    if (!this.dataTables.some((name) => name.toLowerCase() === lower)) this.dataTables = [...this.dataTables, info.name];
    // Other pages on the same server find it as data by this mark (adoptServerTables).
    if (this.services.server) await markLoadedTable(this.services.db, info.name).catch((error: unknown) => this.notices.add('warning', `Other pages on this server may not list table ${info.name} as data: ${messageOf(error)}`));
    const settled = latch();
    this.onTableImported(info.name, restored, settled.promise);
    try {
      const loaded = this.tables.filter((table) => table.name !== info.name && this.dataTables.includes(table.name));
      const report = await prepareRetailTable(this.services.db, info.name, info.columns, loaded);
      const reports = { ...this.reports };
      if (report) reports[info.name] = report;
      else delete reports[info.name];
      // Order lines read their orders table: with a new orders table they get a customer, a date and a clean table.
      const lines = linesOfOrders(info.name, [...loaded, info]).flatMap((name) => loaded.filter((table) => table.name === name));
      for (const table of lines) {
        const linesReport = await prepareRetailTable(this.services.db, table.name, table.columns, [info]);
        if (linesReport) reports[table.name] = linesReport;
      }
      this.reports = reports;
      await this.refresh();
      await this.onTableLoaded(info.name, restored);
      for (const table of lines) await this.onTableLoaded(table.name, restored);
    } finally {
      settled.release();
    }
  }

  protected async withTask(label: string, progress: number | null, work: (signal: AbortSignal) => Promise<void>) {
    const controller = new AbortController();
    this.task = { label, progress, cancel: () => controller.abort() };
    try {
      await work(controller.signal);
    } catch (error) {
      if (isCancelled(error)) this.notices.add('info', `${label}: cancelled.`);
      else if (error instanceof DataFileError) this.notices.add('error', error.message, undefined, error.details);
      else this.notices.add('error', `${label} failed: ${messageOf(error)}`);
    } finally {
      this.task = null;
    }
  }
}

/** A promise resolved by `release()` (Promise.withResolvers, which Node 20 lacks). */
function latch(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}
