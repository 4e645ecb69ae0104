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
  readonly totalMs: number;
  /** Rows loaded, kept by cleaning, customers scored. */
  readonly check?: { tableRows: number; cleanRows: number; customers: number };
  /** The message the user would see when a step failed (a refusal before loading, or DuckDB out of memory). */
  readonly error?: string;
  readonly failedStep?: 'load' | 'clean' | 'rfm';
}

const RFM_COLUMNS = { customer: 'customer_id', invoice: 'invoice_id', date: 'invoice_date', amount: 'amount' };

/** `reader`: who reads the Parquet, as the app picks it (the codec in the tab; DuckDB itself on a native server). */
export async function loadCleanRfm(
  db: Database,
  codec: ParquetCodec,
  fileName: string,
  size: number,
  source: FileSource,
  reader: ImportOptions['parquetReader'] = 'codec',
): Promise<BigRunResult> {
  await db.query('DROP TABLE IF EXISTS rfm; DROP TABLE IF EXISTS big_clean; DROP VIEW IF EXISTS big_canonical; DROP TABLE IF EXISTS big;');
  const started = performance.now();
  const times: { loadMs?: number; cleanMs?: number; rfmMs?: number } = {};
  let step: 'load' | 'clean' | 'rfm' = 'load';
  let mark = started;
  const lap = () => {
    const now = performance.now();
    const elapsed = Math.round(now - mark);
    mark = now;
    return elapsed;
  };
  try {
    const info = await importFile(db, codec, { fileName, size, source }, { tableName: 'big', parquetReader: reader });
    times.loadMs = lap();
    step = 'clean';
    const report = await prepareRetailTable(db, 'big', info.columns);
    if (!report?.cleanTable) throw new Error('the file was not recognised as retail transactions');
    times.cleanMs = lap();
    step = 'rfm';
    await db.query(`CREATE OR REPLACE TABLE rfm AS ${rfmSql(report.cleanTable, { columns: RFM_COLUMNS })}`);
    times.rfmMs = lap();
    const customers = Number((await db.query('SELECT count(*) AS n FROM rfm')).get(0)?.n);
    return {
      ...times,
      totalMs: Math.round(performance.now() - started),
      check: { tableRows: info.rowCount, cleanRows: report.cleaning?.rowsOut ?? 0, customers },
    };
  } catch (error) {
    return { ...times, totalMs: Math.round(performance.now() - started), error: messageOf(error), failedStep: step };
  } finally {
    await db.query('DROP TABLE IF EXISTS rfm; DROP TABLE IF EXISTS big_clean; DROP VIEW IF EXISTS big_canonical; DROP TABLE IF EXISTS big;').catch(() => undefined);
  }
}
