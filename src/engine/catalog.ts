import type { Table } from 'apache-arrow';
import type { Database } from './ports.ts';
import { quoteIdent, quoteLiteral } from '../util/sql.ts';
import { dialectOf, duckdbDialect, type SqlDialect } from '../util/dialect/index.ts';
import type { RelationKind } from '../data/formats.ts';

export interface ColumnInfo {
  readonly name: string;
  /** DuckDB's type name, e.g. `VARCHAR`, `DOUBLE`, `TIMESTAMP`. */
  readonly type: string;
}

export interface TableInfo {
  readonly name: string;
  /** `file`: a loaded file read in place (native DuckDB's Parquet), data like a loaded table but a view to DuckDB. */
  readonly kind: RelationKindName;
  readonly rowCount: number;
  readonly columns: readonly ColumnInfo[];
}

export type RelationKindName = Exclude<RelationKind, null>;

/** The kind of a `listTables` row's `type`. */
export function kindOfType(type: unknown): RelationKindName {
  return type === 'VIEW' ? 'view' : type === 'FILE' ? 'file' : 'table';
}

/** True for what holds data of its own (a table, or a file read in place): what a loaded table can be. */
export function holdsData(kind: RelationKindName): boolean {
  return kind !== 'view';
}

/** Columns of a table, view or query expression (`DESCRIBE`), in order. */
export async function describe(db: Database, relation: string, signal?: AbortSignal): Promise<ColumnInfo[]> {
  const result = await db.query(dialectOf(db).describe(relation), { signal });
  return result.toArray().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

/**
 * Every user table and view in the main schema, with row counts and columns, sorted by name. A view that can no
 * longer be read (its table is gone), or a table dropped since the list was read, is left out rather than failing the
 * whole list.
 */
export async function listTables(db: Database): Promise<TableInfo[]> {
  const dialect = dialectOf(db);
  const listed = (await db.query(dialect.listTables())).toArray().map((row) => ({ name: String(row.name), kind: kindOfType(row.type) }));
  if (dialect.shapes !== undefined && listed.length > 1) {
    try {
      return shapesOf(await db.query(dialect.shapes(listed.map((table) => table.name))), listed);
    } catch {
      // A view that can no longer be read fails the one query: then each relation is asked on its own, as below.
    }
  }
  const tables: TableInfo[] = [];
  for (const { name, kind } of listed) {
    try {
      tables.push(await tableInfo(db, name, kind));
    } catch (error) {
      // A table can go between the list and its shape (Trino swaps a cell's new table in by DROP and RENAME; opening
      // another notebook drops the last one's tables): the next list has it right. A DuckDB table still there that
      // cannot be read is an error worth showing.
      if (kind === 'table' && dialect.name === 'duckdb' && (await relationExists(db, name))) throw error;
    }
  }
  return tables;
}

/** Row count and columns of one table or view. */
export async function tableInfo(db: Database, name: string, kind: TableInfo['kind']): Promise<TableInfo> {
  return { name, kind, ...shapeOf(await db.query(shapeSql(name, dialectOf(db)))) };
}

/** One query for a table's columns and row count: `SELECT column_name, column_type, n FROM (DESCRIBE t) …`. */
export function shapeSql(table: string, dialect: SqlDialect = duckdbDialect): string {
  return dialect.shape(table);
}

/** `listed` with their columns and row counts from one `SqlDialect.shapes` result. */
function shapesOf(result: Table, listed: readonly { name: string; kind: RelationKindName }[]): TableInfo[] {
  const shapes = new Map<string, { columns: ColumnInfo[]; rowCount: number }>();
  for (const row of result.toArray()) {
    const name = String(row.name);
    let shape = shapes.get(name);
    if (shape === undefined) shapes.set(name, (shape = { columns: [], rowCount: Number(row.n) }));
    shape.columns.push({ name: String(row.column_name), type: String(row.column_type) });
  }
  return listed.map(({ name, kind }) => {
    const shape = shapes.get(name);
    if (shape === undefined) throw new Error(`table ${name} was listed but its columns were not found`);
    return { name, kind, ...shape };
  });
}

/** The columns and row count from a shapeSql result. */
export function shapeOf(result: Table): { columns: ColumnInfo[]; rowCount: number } {
  const rows = result.toArray();
  const columns = rows.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  return { columns, rowCount: Number(rows[0]?.n ?? 0) };
}

/** True when a table or view of that name exists. */
export async function relationExists(db: Database, name: string): Promise<boolean> {
  const result = await db.query(
    `SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ${quoteLiteral(name)}`,
  );
  return result.getChild('n')?.get(0) === 1;
}
