// (c) Native DuckDB (@duckdb/node-api, the root install's in native/): the reference every ratio divides by.
// A long-lived child of bench/run.mjs, so runs of all engines can be interleaved. Protocol: one JSON command
// per stdin line, one JSON reply per stdout line (see lib/protocol.mjs):
//   {op:'info'}                                   → {version, defaultThreads}
//   {op:'run', format, path, threads: null|1}     → {loadMs, aggregateMs, check}
// Two in-memory instances: one with DuckDB's default thread count, one with SET threads = 1.

import { importNative } from './lib/native-dependency.mjs';
import { AGGREGATE_SQL, CHECK_SQL, CSV_TYPES, now } from './lib/common.mjs';
import { serve } from './lib/protocol.mjs';

const { DuckDBInstance } = await importNative();

const quote = (text) => `'${text.replaceAll("'", "''")}'`;

function loadSql(format, file) {
  const read = format === 'csv' ? `read_csv(${quote(file)}, header=true, ${CSV_TYPES})` : `read_parquet(${quote(file)})`;
  return `CREATE TABLE t AS SELECT * FROM ${read}`;
}

async function open(threads) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  if (threads) await connection.run(`SET threads = ${Number(threads)}`);
  return connection;
}

const connections = { default: await open(null), one: await open(1) };

serve({
  async info() {
    const reader = await connections.default.runAndReadAll("SELECT version() AS v, current_setting('threads') AS t");
    const [version, threads] = reader.getRows()[0];
    return { version, defaultThreads: Number(threads) };
  },
  async run({ format, path, threads }) {
    const connection = threads === 1 ? connections.one : connections.default;
    await connection.run('DROP TABLE IF EXISTS agg; DROP TABLE IF EXISTS t;');
    let start = now();
    await connection.run(loadSql(format, path));
    const loadMs = now() - start;
    start = now();
    await connection.run(AGGREGATE_SQL);
    const aggregateMs = now() - start;
    const [n, spend] = (await connection.runAndReadAll(CHECK_SQL)).getRows()[0];
    const [rows] = (await connection.runAndReadAll('SELECT count(*)::DOUBLE FROM t')).getRows()[0];
    await connection.run('DROP TABLE IF EXISTS agg; DROP TABLE IF EXISTS t;');
    return { loadMs, aggregateMs, check: { tableRows: Number(rows), aggRows: Number(n), spend: Number(spend) } };
  },
});
