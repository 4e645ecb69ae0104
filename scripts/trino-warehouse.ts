/**
 * Writes retail lines into the local Trino warehouse as Hive-layout Parquet partitioned by month
 * (`<warehouse>/retail/<table>/month=2011-01/part-0.parquet`) and registers them as `hive.retail.<table>`.
 * Usage: tsx scripts/trino-warehouse.ts --table lines --from public/sample/online_retail_50k.parquet
 *        tsx scripts/trino-warehouse.ts --table lines_2m --rows 2000000 [--seed 42]
 * Reads AISLE_TRINO_URL (http://127.0.0.1:18080) and AISLE_TRINO_WAREHOUSE (the directory the catalog's
 * `local.location` names). The rows are read and split by DuckDB in Node; Trino reads the files where they lie.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { tableToIPC } from 'apache-arrow';
import { openNodeDatabase } from '../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
import { TrinoDatabase } from '../src/db/trino.ts';
import { generate, toArrowTable } from '../src/data/generate.ts';
import { quoteIdent, quoteLiteral } from '../src/util/sql.ts';

const { values } = parseArgs({
  options: { table: { type: 'string' }, from: { type: 'string' }, rows: { type: 'string' }, seed: { type: 'string' } },
});
const table = values.table ?? 'lines';
if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`--table ${table}: lower-case letters, digits and _ only`);
if ((values.from === undefined) === (values.rows === undefined)) throw new Error('give --from file.parquet or --rows N');
const server = process.env.AISLE_TRINO_URL ?? 'http://127.0.0.1:18080';
const warehouse = process.env.AISLE_TRINO_WAREHOUSE;
if (warehouse === undefined) throw new Error('AISLE_TRINO_WAREHOUSE is not set (eval "$(scripts/trino.sh env)")');

/** DuckDB's type names → the Hive table's column types. */
function trinoType(duckdb: string): string {
  switch (duckdb) {
    case 'VARCHAR':
      return 'varchar';
    case 'DOUBLE':
    case 'FLOAT':
      return 'double';
    case 'BIGINT':
      return 'bigint';
    case 'INTEGER':
      return 'integer';
    case 'TIMESTAMP':
    case 'TIMESTAMP_MS':
      return 'timestamp(3)';
    case 'DATE':
      return 'date';
    default:
      throw new Error(`no Hive column type for DuckDB's ${duckdb}`);
  }
}

const started = performance.now();
const duck = await openNodeDatabase();
try {
  if (values.from !== undefined) {
    await duck.insertArrowIpc('source', await nodeParquetCodec.toArrowIpc(new Uint8Array(readFileSync(values.from))));
  } else {
    const rows = Number(values.rows);
    const generated = generate({ rows, seed: values.seed === undefined ? 42 : Number(values.seed), layout: 'online-retail' });
    await duck.insertArrowIpc('source', tableToIPC(toArrowTable(generated), 'stream'));
  }
  const columns = (await duck.query('DESCRIBE source')).toArray().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  if (!columns.some((column) => column.name === 'InvoiceDate')) throw new Error('the lines need an InvoiceDate to partition by');
  // The UCI layout keeps dates as text (`12/1/2010 8:26`); rows whose date does not read go to month=unknown, so the
  // retail cleaning downstream still sees (and drops) them.
  const month = `coalesce(strftime(coalesce(try_cast("InvoiceDate" AS TIMESTAMP), try_strptime(CAST("InvoiceDate" AS VARCHAR), '%m/%d/%Y %H:%M')), '%Y-%m'), 'unknown')`;
  // The month is read once per line (reading text dates is most of the work), not once per partition written.
  await duck.query(`CREATE TABLE keyed AS SELECT *, ${month} AS __aisle_month FROM source`);
  const months = (await duck.query('SELECT DISTINCT __aisle_month AS m FROM keyed ORDER BY 1'))
    .toArray()
    .map((row) => String(row.m));

  const location = join(warehouse, 'retail', table);
  rmSync(location, { recursive: true, force: true });
  let bytes = 0;
  for (const value of months) {
    await duck.query(`CREATE OR REPLACE TABLE part AS SELECT * EXCLUDE (__aisle_month) FROM keyed WHERE __aisle_month = ${quoteLiteral(value)}`);
    const parquet = await nodeParquetCodec.fromArrowIpc(await duck.exportArrowIpc('part'));
    mkdirSync(join(location, `month=${value}`), { recursive: true });
    writeFileSync(join(location, `month=${value}`, 'part-0.parquet'), parquet);
    bytes += parquet.byteLength;
  }
  const total = Number((await duck.query('SELECT count(*) AS n FROM source')).get(0)?.n);

  const trino = await TrinoDatabase.open(`trino://aisle@${server.replace(/^https?:\/\//, '')}/hive/retail`);
  await trino.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
  const definitions = [...columns.map((column) => `${quoteIdent(column.name)} ${trinoType(column.type)}`), '"month" varchar'];
  await trino.query(
    `CREATE TABLE ${quoteIdent(table)} (${definitions.join(', ')}) WITH (external_location = ${quoteLiteral(`local:///retail/${table}`)}, format = 'PARQUET', partitioned_by = ARRAY['month'])`,
  );
  await trino.query(`CALL system.sync_partition_metadata('retail', ${quoteLiteral(table)}, 'FULL')`);
  const seen = Number((await trino.query(`SELECT count(*) AS n FROM ${quoteIdent(table)}`)).get(0)?.n);
  if (seen !== total) throw new Error(`Trino reads ${seen} rows of hive.retail.${table}; ${total} were written`);
  console.log(
    `hive.retail.${table}: ${total} rows in ${months.length} month partitions, ${(bytes / 1e6).toFixed(1)} MB of Parquet under ${location} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
} finally {
  await duck.close();
}
