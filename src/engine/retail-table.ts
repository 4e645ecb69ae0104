import type { Database } from './ports.ts';
import type { ColumnInfo } from './catalog.ts';
import { clean, createCanonicalView, validate, type CleaningReport, type ValidationReport } from './profile.ts';
import { customProfile, detectProfile, type RetailProfile } from '../data/retail.ts';

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
 * Returns null for a table that matches no known layout.
 */
export async function prepareRetailTable(
  db: Database,
  table: string,
  columns: readonly ColumnInfo[],
): Promise<RetailTableReport | null> {
  const profile = detectProfile(columns.map((column) => column.name));
  return profile === null ? null : applyRetailProfile(db, table, profile);
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

async function applyRetailProfile(db: Database, table: string, profile: RetailProfile): Promise<RetailTableReport> {
  const validation = await validate(db, table, profile);
  if (profile.missing.length > 0) return { table, profile, validation };
  const canonicalView = `${table}_canonical`;
  const cleanTable = `${table}_clean`;
  await createCanonicalView(db, canonicalView, table, profile);
  const cleaning = await clean(db, canonicalView, cleanTable);
  return { table, profile, validation, canonicalView, cleanTable, cleaning };
}
