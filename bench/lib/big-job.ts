// Load + clean + RFM of one Parquet file through the app's own steps (`importFile`, `prepareRetailTable`, `rfmSql`), as
// a user who drops a file and runs the RFM model waits for it; shared by Node (wasm-node.ts) and the bench page.
import type { Database, FileSource, ParquetCodec } from '../../src/engine/index.ts';
// Bundled into the bench page too: the engine's index would add every engine module (Plot and all) to it.
import { importFile, type ImportOptions } from '../../src/engine/datasets.ts';
import { prepareRetailTable } from '../../src/engine/retail-table.ts';
import { rfmSql } from '../../src/models/segmentation/rfm.ts';
import { messageOf } from '../../src/util/errors.ts';

export interface BigRunResult {
  /** Milliseconds per step; absent for a step not reached. */
  readonly loadMs?: number;
  readonly cleanMs?: number;
  readonly rfmMs?: number;
  /** The follow-up step's time (the dashboard notebook on the loaded table), when one was given. */
  readonly afterMs?: number;
  readonly totalMs: number;
  /** Rows loaded, kept by cleaning, customers scored. */
  readonly check?: { tableRows: number; cleanRows: number; customers: number };
  /** The message the user would see when a step failed (a refusal before loading, or DuckDB out of memory). */
  readonly error?: string;
  readonly failedStep?: 'load' | 'clean' | 'rfm' | 'after';
}

export interface BigRunOptions {
  /** Who reads the Parquet, as the app picks it (the codec in the tab; DuckDB itself on a native server). */
  readonly reader?: ImportOptions['parquetReader'];
  /** The table the file is loaded as (default `big`); its cleaned table is `<table>_clean`. */
  readonly table?: string;
  /** Run after RFM while the tables are still there (e.g. a notebook reading `<table>_clean`). */
  readonly after?: () => Promise<void>;
}

const RFM_COLUMNS = { customer: 'customer_id', invoice: 'invoice_id', date: 'invoice_date', amount: 'amount' };

export async function loadCleanRfm(
  db: Database,
  codec: ParquetCodec,
  fileName: string,
  size: number,
  source: FileSource,
  { reader = 'codec', table = 'big', after }: BigRunOptions = {},
): Promise<BigRunResult> {
  const dropAll = `DROP TABLE IF EXISTS rfm; DROP TABLE IF EXISTS ${table}_clean; DROP VIEW IF EXISTS ${table}_canonical; DROP TABLE IF EXISTS ${table};`;
  await db.query(dropAll);
  const started = performance.now();
  const times: { loadMs?: number; cleanMs?: number; rfmMs?: number; afterMs?: number } = {};
  let step: NonNullable<BigRunResult['failedStep']> = 'load';
  let mark = started;
  const lap = () => {
    const now = performance.now();
    const elapsed = Math.round(now - mark);
    mark = now;
    return elapsed;
  };
  try {
    const info = await importFile(db, codec, { fileName, size, source }, { tableName: table, parquetReader: reader });
    times.loadMs = lap();
    step = 'clean';
    const report = await prepareRetailTable(db, table, info.columns);
    if (!report?.cleanTable) throw new Error('the file was not recognised as retail transactions');
    times.cleanMs = lap();
    step = 'rfm';
    await db.query(`CREATE OR REPLACE TABLE rfm AS ${rfmSql(report.cleanTable, { columns: RFM_COLUMNS })}`);
    times.rfmMs = lap();
    const customers = Number((await db.query('SELECT count(*) AS n FROM rfm')).get(0)?.n);
    if (after !== undefined) {
      step = 'after';
      await after();
      times.afterMs = lap();
    }
    return {
      ...times,
      totalMs: Math.round(performance.now() - started),
      check: { tableRows: info.rowCount, cleanRows: report.cleaning?.rowsOut ?? 0, customers },
    };
  } catch (error) {
    return { ...times, totalMs: Math.round(performance.now() - started), error: messageOf(error), failedStep: step };
  } finally {
    await db.query(dropAll).catch(() => undefined);
  }
}
