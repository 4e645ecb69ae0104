/**
 * Notebooks bound to the user's tables. A notebook's front matter names the tables it reads (`sales`); a binding
 * says which loaded table plays one (`sales ← online_retail_2011`). It is made of views:
 * `sales` → `online_retail_2011`, `sales_canonical` → `online_retail_2011_canonical`, `sales_clean` →
 * `online_retail_2011_clean`. A table already loaded as `sales` (the bundled sample, or a file of that name) is set
 * aside under a hidden name meanwhile and put back when the binding ends, so binding never loses data.
 *
 * Views rather than rewriting the cells' SQL: the notebook's text stays as written (and portable: `sales` means "your
 * sales table" to whoever opens it), every cell, spec, chart and the dependency graph read `sales` unchanged, DuckDB's
 * errors name what the cell says, and a view costs nothing — no copy of the data.
 */
import type { Database } from './ports.ts';
import { quoteIdent } from '../util/sql.ts';
import { dialectOf } from '../util/dialect/index.ts';
import { relationKeyword } from '../data/formats.ts';
import { holdsData, kindOfType, type RelationKindName } from './catalog.ts';

/** Notebook table name → the loaded table that plays it. A name absent plays the data its front matter names. */
export type Bindings = Readonly<Record<string, string>>;

/** The hidden name a table bound over is kept under: listed nowhere (`__aisle` names are not), restored by `unbindTable`. */
export function setAsideName(name: string): string {
  return `__aisle_bound_${name}`;
}

/** One change to the bindings in DuckDB. */
export type BindingStep = { readonly kind: 'unbind'; readonly name: string } | { readonly kind: 'bind'; readonly name: string; readonly table: string };

/**
 * The steps from the bindings now in DuckDB (`current`) to those a notebook wants (`wanted`), unbinding first so a
 * name is free before it is bound again. A wanted binding whose table is not loaded (removed, or restored under
 * another name) is left out and reported in `unavailable`, so the name falls back to the notebook's own data.
 * `bindingPlan({ sales: 'a' }, { sales: 'b' }, ['a', 'b'])` → steps `unbind sales`, `bind sales ← b`.
 */
export function bindingPlan(
  current: Bindings,
  wanted: Bindings,
  loadedTables: readonly string[],
): { steps: BindingStep[]; unavailable: { name: string; table: string }[] } {
  const loaded = new Set(loadedTables.map((table) => table.toLowerCase()));
  const unavailable: { name: string; table: string }[] = [];
  const effective = new Map<string, string>();
  for (const [name, table] of Object.entries(wanted)) {
    if (table.toLowerCase() === name.toLowerCase()) continue;
    if (loaded.has(table.toLowerCase())) effective.set(name.toLowerCase(), table);
    else unavailable.push({ name, table });
  }
  const steps: BindingStep[] = [];
  for (const [name, table] of Object.entries(current)) {
    if (effective.get(name.toLowerCase()) !== table) steps.push({ kind: 'unbind', name });
  }
  const currentByName = new Map(Object.entries(current).map(([name, table]) => [name.toLowerCase(), table]));
  for (const [name, table] of Object.entries(wanted)) {
    if (effective.get(name.toLowerCase()) === table && currentByName.get(name.toLowerCase()) !== table) steps.push({ kind: 'bind', name, table });
  }
  return { steps, unavailable };
}

/** The bindings that name `table`, with `table` renamed `renamed` (or dropped when `renamed` is undefined). */
export function retargetBindings(bindings: Bindings, table: string, renamed: string | undefined): Record<string, string> {
  const next: Record<string, string> = {};
  for (const [name, bound] of Object.entries(bindings)) {
    if (bound.toLowerCase() !== table.toLowerCase()) next[name] = bound;
    else if (renamed !== undefined) next[name] = renamed;
  }
  return next;
}

/** What a bound table offers beside itself: its canonical view and clean table, when its layout was recognised. */
export interface BindingSource {
  readonly table: string;
  readonly canonicalView?: string;
  readonly cleanTable?: string;
}

/** Kinds of the relations named, as the database lists them (tables, views and files read in place of the work schema). */
async function relationKinds(db: Database, names: readonly string[]): Promise<Map<string, RelationKindName>> {
  const result = await db.query(dialectOf(db).listTables(names));
  return new Map(result.toArray().map((row) => [String(row.name), kindOfType(row.type)]));
}

function dropSql(name: string, kind: RelationKindName | undefined): string[] {
  return kind === undefined ? [] : [`DROP ${relationKeyword(kind)} ${quoteIdent(name)};`];
}

/**
 * The statements binding `name` to `source`, given the kinds of the relations now under `name`, `name_canonical`
 * and `name_clean`: a table `name` (or a file read in place) is set aside, its canonical view and clean table (rebuilt
 * when it is put back) dropped, and the three views created — in one transaction, so a failure leaves everything as it was.
 */
export function bindSql(name: string, source: BindingSource, existing: ReadonlyMap<string, RelationKindName>): string {
  const canonical = `${name}_canonical`;
  const clean = `${name}_clean`;
  const statements = [...dropSql(clean, existing.get(clean)), ...dropSql(canonical, existing.get(canonical))];
  const own = existing.get(name);
  if (own !== undefined && holdsData(own)) statements.push(`ALTER ${relationKeyword(own)} ${quoteIdent(name)} RENAME TO ${quoteIdent(setAsideName(name))};`);
  else statements.push(...dropSql(name, own));
  statements.push(`CREATE VIEW ${quoteIdent(name)} AS SELECT * FROM ${quoteIdent(source.table)};`);
  if (source.canonicalView !== undefined) statements.push(`CREATE VIEW ${quoteIdent(canonical)} AS SELECT * FROM ${quoteIdent(source.canonicalView)};`);
  if (source.cleanTable !== undefined) statements.push(`CREATE VIEW ${quoteIdent(clean)} AS SELECT * FROM ${quoteIdent(source.cleanTable)};`);
  return ['BEGIN;', ...statements, 'COMMIT;'].join('\n');
}

/** Bind notebook table `name` to `source` (see bindSql). */
export async function bindTable(db: Database, name: string, source: BindingSource): Promise<void> {
  const existing = await relationKinds(db, [name, `${name}_canonical`, `${name}_clean`]);
  await runInTransaction(db, bindSql(name, source, existing));
}

/**
 * End the binding of `name`: drop its three views and put back the table set aside for it. Returns true when a table
 * came back (its canonical view and clean table must then be made again), false when nothing was set aside.
 */
export async function unbindTable(db: Database, name: string): Promise<boolean> {
  const canonical = `${name}_canonical`;
  const clean = `${name}_clean`;
  const hidden = setAsideName(name);
  const existing = await relationKinds(db, [name, canonical, clean, hidden]);
  const statements = [clean, canonical, name].flatMap((view) => (existing.get(view) === 'view' ? dropSql(view, 'view') : []));
  const hiddenKind = existing.get(hidden);
  const ownKind = existing.get(name);
  const restored = hiddenKind !== undefined && holdsData(hiddenKind) && !(ownKind !== undefined && holdsData(ownKind));
  if (restored) statements.push(`ALTER ${relationKeyword(hiddenKind)} ${quoteIdent(hidden)} RENAME TO ${quoteIdent(name)};`);
  if (statements.length > 0) await runInTransaction(db, ['BEGIN;', ...statements, 'COMMIT;'].join('\n'));
  return restored;
}

/** Run a BEGIN … COMMIT script, rolling back when a statement fails so no half-made binding stays. */
async function runInTransaction(db: Database, script: string): Promise<void> {
  try {
    await db.query(script);
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** One table a notebook names, as the data bar shows it. */
export interface DataBarRow {
  /** The notebook's name for it: `sales`. */
  readonly name: string;
  /** What its front matter loads when nothing else plays it: `sample/online_retail_50k.parquet`. */
  readonly source: string;
  /** True when that is a sample bundled with the app. */
  readonly bundled: boolean;
  /** The loaded table playing it, if the user picked one. */
  readonly boundTo?: string;
  /** Loaded tables the user may pick: the user's own, never one the notebook names itself. */
  readonly choices: readonly string[];
}

/**
 * The data bar of a notebook: each table its front matter names, what plays it, and what could.
 * `dataBarRows({ sales: 'sample/a.parquet' }, { sales: 'mine' }, ['sales', 'mine'])`
 * → `[{ name: 'sales', source: 'sample/a.parquet', bundled: true, boundTo: 'mine', choices: ['mine'] }]`.
 */
export function dataBarRows(data: Readonly<Record<string, string>>, bindings: Bindings, loadedTables: readonly string[]): DataBarRow[] {
  const named = new Set(Object.keys(data).map((name) => name.toLowerCase()));
  const choices = loadedTables.filter((table) => !named.has(table.toLowerCase())).sort((a, b) => a.localeCompare(b));
  return Object.entries(data).map(([name, source]) => {
    const boundTo = bindings[name];
    const row = { name, source, bundled: source.startsWith('sample/'), choices };
    return boundTo === undefined ? row : { ...row, boundTo };
  });
}
