import type { Database } from './ports.ts';
import type { ColumnInfo, TableInfo } from './catalog.ts';
import { clean, createCanonicalView, validate, type CleaningReport, type ValidationReport } from './profile.ts';
import { customProfile, detectProfile, type RetailProfile } from '../data/retail.ts';
import { orderPairs } from '../data/retail-pair.ts';
import type { RetailSource } from '../data/retail-sql.ts';

/** What Aisle made of a loaded table that looks like retail transactions. */
export interface RetailTableReport {
  readonly table: string;
  readonly profile: RetailProfile;
  readonly validation: ValidationReport;
  /** `<table>_canonical`: the canonical columns as a view; absent when required columns are missing. */
  readonly canonicalView?: string;
  /** `<table>_clean`: the standard cleaning applied, as a table. */
  readonly cleanTable?: string;
  readonly cleaning?: CleaningReport;
}

/**
 * Recognise a retail layout, validate the data, and offer the canonical view and the cleaned table.
 * `loaded` are the other loaded tables: an order-lines table whose orders table is among them is read joined
 * to it (see `retail-pair.ts`). Returns null for a table that matches no known layout.
 */
export async function prepareRetailTable(
  db: Database,
  table: string,
  columns: readonly ColumnInfo[],
  loaded: readonly TableInfo[] = [],
): Promise<RetailTableReport | null> {
  const names = columns.map((column) => column.name);
  const pair = orderPairs([...loaded.filter((other) => other.name !== table), { name: table, columns: names }].map(columnNames)).find(
    (found) => found.lines === table,
  );
  if (pair !== undefined) return applyRetailProfile(db, table, pair.profile, { name: table, sql: pair.sql });
  const profile = detectProfile(names);
  return profile === null ? null : applyRetailProfile(db, table, profile);
}

/** The order-lines tables among `loaded` that read the orders table `orders`: they must be prepared again when it changes. */
export function linesOfOrders(orders: string, loaded: readonly TableInfo[]): string[] {
  return orderPairs(loaded.map(columnNames))
    .filter((pair) => pair.orders === orders)
    .map((pair) => pair.lines);
}

function columnNames(table: { readonly name: string; readonly columns: readonly (ColumnInfo | string)[] }) {
  return { name: table.name, columns: table.columns.map((column) => (typeof column === 'string' ? column : column.name)) };
}

/**
 * The same for a hand mapping: `mapping` is canonical column → the table's column. Throws a MappingError
 * naming a column the table does not have.
 */
export async function mapRetailTable(
  db: Database,
  table: string,
  columns: readonly ColumnInfo[],
  mapping: Readonly<Record<string, string | undefined>>,
): Promise<RetailTableReport> {
  const profile = customProfile(mapping, columns.map((column) => column.name));
  return applyRetailProfile(db, table, profile);
}

async function applyRetailProfile(db: Database, table: string, profile: RetailProfile, source: RetailSource = table): Promise<RetailTableReport> {
  const validation = await validate(db, source, profile);
  if (profile.missing.length > 0) return { table, profile, validation };
  const canonicalView = `${table}_canonical`;
  const cleanTable = `${table}_clean`;
  await createCanonicalView(db, canonicalView, source, profile);
  const cleaning = await clean(db, canonicalView, cleanTable);
  return { table, profile, validation, canonicalView, cleanTable, cleaning };
}
