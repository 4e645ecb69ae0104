import { openNativeDatabase } from '../src/db/duckdb-native.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
const db = (await openNativeDatabase({ parquet: nodeParquetCodec }))!;
await db.query(`CREATE TYPE xy AS ENUM ('x', 'y'); CREATE TABLE f AS SELECT 'x'::xy k, 1.5::DECIMAL(12,2) d, 'x'::ENUM('x','y') e`);
console.log((await db.query(`SELECT column_name, column_type FROM (DESCRIBE f)`)).toArray().map((r) => `${r.column_name}:${r.column_type}`));
await db.close();
