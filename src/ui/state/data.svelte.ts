import {
  DataFileError,
  compressLoaded,
  freeDataName,
  importFile,
  importOptionsFrom,
  listTables,
  type DataFile,
  type GenerateRequest,
  type ImportedTable,
  type TextImportOptions,
  type TablePreview,
  type ImportRequest,
  type ImportSheet,
  type InspectedFile,
  importOptionsOf,
  sheetFor,
} from '../../engine/index.ts';
import { messageOf } from '../../util/errors.ts';
import { tableNameFromFile } from '../../util/sql.ts';
import { TableState } from './tables.svelte.ts';

/** A file the import sheet shows: the file, the worker holding it, and the sheet as detected. */
export interface OfferedFile {
  readonly file: DataFile;
  readonly inspected: InspectedFile;
  readonly sheet: ImportSheet;
}

/** The tables in DuckDB (see TableState) and loading new ones: files, the import sheet's queue, URLs, generated data. */
export class DataState extends TableState {
  /** The file the import sheet is open on; further picked files wait their turn. */
  offer = $state.raw<OfferedFile | null>(null);
  private waiting: DataFile[] = [];
  private opening = false;

  /**
   * Load files the user picked or dropped, one after the other. A file named like a cell of the open notebook is
   * loaded under a free name (`query_data`), never over the cell's table, and the notice says so.
   */
  async loadFiles(files: readonly DataFile[], tableName?: string, text?: Partial<TextImportOptions>): Promise<void> {
    for (const file of files) {
      if (this.refusesFile(file.fileName)) continue;
      await this.withTask(`Loading ${file.fileName}`, null, async (signal) => {
        const name = this.nameForLoad(tableName ?? tableNameFromFile(file.fileName));
        const info = await importFile(this.services.db, this.services.parquet, file, { tableName: name.table, signal, text, ...this.readingFeedback() });
        await this.afterLoad(info);
        this.loaded(file.fileName, info, name.note);
      });
    }
  }

  /**
   * Offer picked, dropped or fetched files to the import sheet, one at a time. A file that needs no sheet (Parquet,
   * or no text at all) is loaded straight away, so the importer's message names any problem.
   */
  async offerFiles(files: readonly DataFile[]): Promise<void> {
    this.waiting.push(...files.filter((file) => !this.refusesFile(file.fileName)));
    if (this.opening || this.offer !== null) return;
    this.opening = true;
    try {
      while (this.offer === null) {
        const file = this.waiting.shift();
        if (file === undefined) return;
        let inspected: InspectedFile;
        try {
          inspected = await this.services.inspector.open(file.fileName, file.source);
        } catch (error) {
          this.notices.add('error', `Could not read "${file.fileName}": ${messageOf(error)}`);
          continue;
        }
        const sheet = sheetFor(file.fileName, inspected.inspection);
        if (sheet === null) {
          inspected.close();
          await this.loadFiles([file]);
        } else this.offer = { file, inspected, sheet };
      }
    } finally {
      this.opening = false;
    }
  }

  /** Fetch a file on this site and offer it to the import sheet. */
  async offerUrl(url: string): Promise<void> {
    let file: DataFile;
    try {
      file = await this.services.fetchSameOrigin(url);
    } catch (error) {
      if (error instanceof DataFileError) this.notices.add('error', error.message, undefined, error.details);
      else this.notices.add('error', `Fetching ${url} failed: ${messageOf(error)}`);
      return;
    }
    await this.offerFiles([file]);
  }

  /** Close the import sheet without loading anything; the next waiting file gets the sheet. */
  async cancelOffer(): Promise<void> {
    this.closeOffer();
    await this.offerFiles([]);
  }

  /** Import the offered file as the sheet says, then offer the next waiting file. */
  async importOffer(request: ImportRequest): Promise<void> {
    const offered = this.closeOffer();
    if (offered === null) return;
    const { file } = offered;
    await this.withTask(`Loading ${file.fileName}`, null, async (signal) => {
      const options = importOptionsOf(request);
      const name = this.nameForLoad(options.tableName);
      const info = await importFile(this.services.db, this.services.parquet, file, {
        ...options,
        tableName: name.table,
        signal,
        ...this.readingFeedback(),
      });
      await this.afterLoad(info);
      this.loaded(file.fileName, info, name.note);
    });
    await this.offerFiles([]);
  }

  private closeOffer(): OfferedFile | null {
    const offered = this.offer;
    offered?.inspected.close();
    this.offer = null;
    return offered;
  }

  /**
   * Load a file on this site; `tableName` is the name a notebook's front matter gives it, which data keeps (a cell so
   * named is the error); `options` are its import options as the front matter writes them.
   */
  async loadUrl(url: string, tableName?: string, options?: Readonly<Record<string, unknown>>): Promise<void> {
    if (this.refusesFile(tableName ?? url)) return;
    await this.withTask(`Fetching ${url}`, null, async (signal) => {
      const given = options === undefined ? {} : importOptionsFrom(options);
      const file = await this.services.fetchSameOrigin(url);
      if (signal.aborted) return;
      const name = tableName === undefined ? this.nameForLoad(tableNameFromFile(file.fileName)) : { table: tableName, note: '' };
      const info = await importFile(this.services.db, this.services.parquet, file, { ...given, tableName: name.table, signal, ...this.readingFeedback() });
      await this.afterLoad(info);
      this.loaded(file.fileName, info, name.note);
    });
  }

  /**
   * True (and said in a notice) when the server's engine reads its tables from a catalog: it takes no file, and a
   * table is bound when the server starts instead.
   */
  private refusesFile(what: string): boolean {
    if (this.services.server?.catalogTables === undefined) return false;
    this.notices.add(
      'error',
      `${what} was not loaded: a Trino engine reads tables from its catalog; start aisle serve with --table name=catalog.schema.table to bind one (this server has ${this.services.server.catalogTables.join(', ') || 'none'}).`,
    );
    return true;
  }

  /**
   * The server's catalog tables (a Trino engine's `--table` bindings) as this page's data: listed, protected and
   * prepared (canonical view, clean table) as a restored table is; nothing of them is saved in the browser.
   */
  async adoptCatalogTables(names: readonly string[]): Promise<void> {
    await this.refresh();
    for (const name of names) {
      const info = this.tables.find((table) => table.name.toLowerCase() === name.toLowerCase());
      if (info === undefined) {
        this.notices.add('error', `Table ${name}, bound by the server, is not in its schema.`);
        continue;
      }
      await this.withTask(`Preparing ${name}`, null, () => this.afterLoad(info, true));
    }
  }

  /** Where text is transcoded and Excel and JSON files are read, and the task's progress and preview while they are. */
  private readingFeedback() {
    return {
      records: this.services.records,
      transcoder: this.services.textTranscoder,
      parquetReader: this.services.server?.parquetReader,
      onProgress: (progress: number) => {
        this.task = this.task && { ...this.task, progress };
      },
      onPreview: (preview: TablePreview) => {
        this.task = this.task && { ...this.task, preview };
      },
    };
  }

  /** `wanted`, or a free name when a cell of the open notebook claims it, with a sentence saying why. */
  private nameForLoad(wanted: string): { table: string; note: string } {
    const table = freeDataName(wanted, this.isCellName);
    return { table, note: table === wanted ? '' : ` A cell of this notebook is named ${wanted}, so the data was not loaded over it.` };
  }

  /** Load a table from Arrow IPC bytes (generated data, a restored workspace); `onInserted` before it is prepared. */
  async loadIpc(tableName: string, ipc: Uint8Array, restored = false, onInserted?: () => void): Promise<void> {
    await this.services.db.insertArrowIpc(tableName, ipc);
    onInserted?.();
    const info = (await listTables(this.services.db)).find((table) => table.name === tableName);
    if (info) await this.afterLoad(await compressLoaded(this.services.db, info), restored);
  }

  async generate(request: GenerateRequest, wanted: string): Promise<void> {
    const tableName = freeDataName(wanted, this.isCellName);
    await this.withTask(`Generating ${request.rows.toLocaleString('en')} rows`, 0, async (signal) => {
      const ipc = await this.services.generator.generate(
        request,
        (progress) => {
          // A block, not an expression: the callback's return value would cross back to the worker.
          this.task = this.task && { ...this.task, progress };
        },
        signal,
      );
      await this.loadIpc(tableName, ipc);
      this.notices.add('info', `Generated table ${tableName} (${request.rows.toLocaleString('en')} rows, seed ${request.seed}).`);
    });
  }

  private loaded(fileName: string, info: ImportedTable, note: string): void {
    const readAs = info.readAsNote === undefined ? '' : ` ${info.readAsNote}`;
    this.notices.add('info', `Loaded ${fileName} as table ${info.name} (${info.rowCount.toLocaleString('en')} rows).${readAs}${note}`);
    for (const warning of info.warnings) this.notices.add('warning', warning);
  }

}
