import { tableToIPC, tableFromIPC, Table } from 'apache-arrow';
import { openNodeDatabase } from '../src/db/duckdb-node.ts';
const db = await openNodeDatabase();
const t = await db.query(`SELECT * FROM (VALUES ('a', 1.0)) v(x, y)`);
console.log(t instanceof Table, t.numRows, tableFromIPC(tableToIPC(t, 'stream')).numRows, t.batches.length);
await db.close();
