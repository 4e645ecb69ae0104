import { openNativeDatabase } from '../src/db/duckdb-native.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
import { exportModelInput } from '../src/engine/model-inputs.ts';
const db = (await openNativeDatabase({ parquet: nodeParquetCodec }))!;
await db.query(`CREATE TABLE t AS SELECT "StockCode" AS product_id, "Description" AS description, "Quantity" AS quantity, "UnitPrice" AS unit_price, "InvoiceDate" AS invoice_date FROM read_parquet('bench/out/data/retail-2000000-s42.parquet') LIMIT ${process.argv[2]}`);
let t = performance.now();
const ipc = await exportModelInput(db, 't', undefined);
console.log('bytes', ipc.byteLength, 'ms', Math.round(performance.now() - t), 'heap MB', Math.round(process.memoryUsage().heapUsed / 1e6), 'rss', Math.round(process.memoryUsage().rss/1e6));
await db.close();
