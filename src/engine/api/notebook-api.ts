import { DataType, tableFromIPC } from 'apache-arrow';
import type { Database } from '../ports.ts';
import type { Scheduler } from '../scheduler.ts';
import type { ColumnInfo } from '../catalog.ts';
import type { Graph } from '../graph.ts';
import type { InputValue } from '../specs.ts';
import type { ModelOutputWatch } from '../model-outputs.ts';
import { ancestors } from '../graph.ts';
import { describeCellError } from '../errors.ts';
import { isNamed, type NamedCell, type Notebook } from '../notebook.ts';
import { quoteIdent } from '../../util/sql.ts';
import { ApiError } from './errors.ts';
import { limitOf, lookupPlan } from './lookup.ts';
import { LookupIndex, MAX_INDEXED_ROWS } from './lookup-index.ts';
import { openApiDocument, type ApiDescription, type ApiTableCell } from './openapi.ts';
import { jsonRows, type JsonRow, type JsonValue } from './rows.ts';
import { runInputs, type ApiInput } from './run-inputs.ts';

/** An input cell the API can set: its id besides its name and spec. */
interface InputCell extends ApiInput {
  readonly id: string;
}

/** A cell's table held for lookups: undefined when it is too large to hold (the database answers instead). */
interface HeldTable {
  readonly table: string;
  readonly columns: readonly ColumnInfo[];
  readonly index: Promise<LookupIndex | undefined>;
}

export interface LookupResult {
  readonly cell: string;
  readonly rows: readonly JsonRow[];
}

export interface RunResult {
  readonly cell: string;
  /** The values of the inputs that feed the cell, as this run used them. */
  readonly inputs: Readonly<Record<string, InputValue>>;
  readonly rowCount: number;
  readonly rows: readonly JsonRow[];
}

/**
 * What a cell's table is at: `<cell id>@<version>` while the cell that makes it (`segments` for `segments__model`)
 * is done, else undefined. A served notebook's tables change only when the scheduler runs their cell, which gives
 * it a new version, so an unchanged stamp means unchanged rows (the key of a ModelInputCache).
 */
export function cellTableStamp(scheduler: Scheduler, table: string): string | undefined {
  const name = table.toLowerCase();
  const { byName } = scheduler.graph;
  const id = byName.get(name) ?? byName.get(name.split('__')[0]!);
  const state = id === undefined ? undefined : scheduler.cellStates[id];
  return state?.status === 'done' && state.output?.kind === 'table' ? `${id}@${state.version}` : undefined;
}

/**
 * A notebook that has run, answering the prediction API's requests against its database.
 *
 * One database holds one table per cell, so two runs with different inputs cannot coexist: every run, and every
 * read of a cell that an input feeds, takes its turn in one queue. A run leaves its inputs in place, and the next
 * read of a cell they feed first puts the notebook's own values back, so a lookup never sees another request's
 * inputs. Reads of cells no input feeds skip the queue: no run rewrites them but a run of the cell itself, and that
 * replaces the table in one transaction.
 *
 * Lookups are answered from the cell's rows held in memory with a map per column looked up, read once per run of the
 * cell (its state's version), so a lookup costs no query. A cell an input feeds is held as the notebook's own inputs
 * make it (the notebook gives the same rows every time it runs with them): lookups of it then wait for no run.
 */
export class NotebookApi {
  private queue: Promise<unknown> = Promise.resolve();
  /** Input cell id → the value the notebook's own run used. */
  private readonly baseline = new Map<string, InputValue>();
  /** Cell id → its table held for lookups, read at that version of the cell (no input feeds these cells). */
  private readonly held = new Map<string, HeldTable & { readonly version: number }>();
  /** Cell id → its table as the notebook's own input values make it (inputs feed these cells). */
  private readonly heldAtBaseline = new Map<string, HeldTable>();
  private feeding: { graph: Graph; byCell: Map<string, InputCell[]> } | undefined;

  constructor(
    private readonly db: Database,
    private readonly scheduler: Scheduler,
    private readonly notebook: Notebook,
    /** Which engine runs the SQL, e.g. `DuckDB-WASM 1.4 (Node), 1 thread`. */
    readonly engine: string,
    /** Told the rows model cells insert (the evaluator's): a run of a model cell is answered from them. */
    private readonly modelOutputs?: ModelOutputWatch,
  ) {
    for (const input of this.inputCells()) {
      const value = scheduler.inputValue(input.id);
      if (value !== undefined) this.baseline.set(input.id, value);
    }
  }

  health(): JsonValue {
    const states = Object.values(this.scheduler.cellStates);
    return {
      status: 'ok',
      notebook: this.notebook.title,
      engine: this.engine,
      cells: { done: states.filter((state) => state.status === 'done').length, failed: states.filter((state) => state.status === 'error' || state.status === 'blocked').length },
    };
  }

  /** The cells with tables and the inputs feeding each, for the OpenAPI document. */
  description(): ApiDescription {
    const cells: ApiTableCell[] = [];
    for (const cell of this.notebook.cells.filter(isNamed)) {
      const output = this.scheduler.cellStates[cell.id]?.output;
      if (output?.kind !== 'table') continue;
      cells.push({ name: cell.name, kind: cell.kind, columns: output.columns, inputs: this.inputsFeeding(cell.id).map((input) => input.name) });
    }
    return { title: this.notebook.title, cells, inputs: this.inputCells() };
  }

  openApi(): JsonValue {
    return openApiDocument(this.description());
  }

  /** `GET /api/tables/<cell>?<column>=<value>&limit=`. */
  async lookup(cellName: string, query: URLSearchParams): Promise<LookupResult> {
    const cell = this.cellNamed(cellName);
    const feeding = this.inputsFeeding(cell.id);
    if (feeding.length === 0) return this.answerLookup(cell, query, this.heldAt(cell));
    const atBaseline = this.heldAtBaseline.get(cell.id);
    if (atBaseline !== undefined) {
      const plan = lookupPlan(cell.name, atBaseline.table, atBaseline.columns, query);
      const rows = (await atBaseline.index)?.find(plan.conditions, plan.query.limit);
      if (rows !== undefined) return { cell: cell.name, rows };
    }
    return this.exclusive(async () => {
      const changed = this.setInputs(feeding, new Map());
      if (changed.length > 0) await this.scheduler.run(changed);
      const { table, columns } = this.tableOf(cell);
      let held = this.heldAtBaseline.get(cell.id);
      if (held === undefined) {
        const fresh = { table, columns, index: this.readIndex(cell, table) };
        this.heldAtBaseline.set(cell.id, fresh);
        fresh.index.catch(() => {
          if (this.heldAtBaseline.get(cell.id) === fresh) this.heldAtBaseline.delete(cell.id);
        });
        held = fresh;
      }
      return this.answerLookup(cell, query, held);
    });
  }

  private async answerLookup(cell: NamedCell, query: URLSearchParams, held: HeldTable): Promise<LookupResult> {
    const plan = lookupPlan(cell.name, held.table, held.columns, query);
    const rows = (await held.index)?.find(plan.conditions, plan.query.limit);
    return { cell: cell.name, rows: rows ?? jsonRows(await this.db.query(plan.query.sql, { params: plan.query.params })) };
  }

  /** The cell's table held for lookups at the cell's current version; read afresh when the cell ran again. */
  private heldAt(cell: NamedCell): HeldTable {
    const { table, columns } = this.tableOf(cell);
    const state = this.scheduler.cellStates[cell.id];
    const version = state?.version ?? 0;
    const held = this.held.get(cell.id);
    if (held !== undefined && held.version === version && held.table === table) return held;
    // While the cell re-runs its table may be either run's: the database answers until the run is done.
    if (state?.status !== 'done') return { table, columns, index: Promise.resolve(undefined) };
    const fresh = { table, columns, version, index: this.readIndex(cell, table) };
    this.held.set(cell.id, fresh);
    fresh.index.catch(() => {
      if (this.held.get(cell.id) === fresh) this.held.delete(cell.id);
    });
    return fresh;
  }

  /** The rows of a cell's table, indexed; undefined for a table too large to hold. */
  private async readIndex(cell: NamedCell, table: string): Promise<LookupIndex | undefined> {
    const output = this.scheduler.cellStates[cell.id]?.output;
    if (output?.kind !== 'table' || output.rowCount > MAX_INDEXED_ROWS) return undefined;
    return new LookupIndex(jsonRows(await this.db.query(`SELECT * FROM ${quoteIdent(table)}`)));
  }

  /** `POST /api/run/<cell>` with `{ "<input>": value }`: the cell and its dependents re-run with those inputs. */
  async run(cellName: string, body: unknown, query: URLSearchParams): Promise<RunResult> {
    const cell = this.cellNamed(cellName);
    const limit = limitOf(query);
    const feeding = this.inputsFeeding(cell.id);
    const values = runInputs(body, cell.name, feeding, this.inputCells().map((input) => input.name));
    return this.exclusive(async () => {
      for (const input of feeding) {
        const value = values.get(input.name);
        if (value !== undefined) await this.checkTableOption(input, value);
      }
      const changed = this.setInputs(feeding, values);
      this.modelOutputs?.watch(cell.name);
      await this.scheduler.run([...changed, cell.id]);
      const produced = this.modelOutputs?.take(cell.name);
      const { table } = this.tableOf(cell);
      const state = this.scheduler.cellStates[cell.id];
      const rowCount = state?.output?.kind === 'table' ? state.output.rowCount : 0;
      const rows = (produced && producedRows(produced, table === cell.name, limit)) ?? jsonRows(await this.db.query(`SELECT * FROM ${quoteIdent(table)} LIMIT ${limit}`));
      const used = Object.fromEntries(feeding.flatMap((input) => {
        const value = this.scheduler.inputValue(input.id);
        return value === undefined ? [] : [[input.name, value] as const];
      }));
      return { cell: cell.name, inputs: used, rowCount, rows };
    });
  }

  /** Run `work` after every earlier queued request has settled. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Give each input feeding the cell its requested value, else the notebook's; the ids of those that changed. */
  private setInputs(feeding: readonly InputCell[], values: ReadonlyMap<string, InputValue>): string[] {
    const changed: string[] = [];
    for (const input of feeding) {
      const wanted = values.get(input.name) ?? this.baseline.get(input.id);
      if (wanted === undefined || JSON.stringify(wanted) === JSON.stringify(this.scheduler.inputValue(input.id))) continue;
      this.scheduler.presetInput(input.id, wanted);
      changed.push(input.id);
    }
    return changed;
  }

  /** A select whose options are a table's column takes only values found there (the app's select would not offer others). */
  private async checkTableOption(input: InputCell, value: InputValue): Promise<void> {
    const options = input.spec.options;
    if (options?.kind !== 'table' || input.spec.control === 'slider' || input.spec.control === 'number') return;
    const wanted = Array.isArray(value) ? value : [value];
    for (const one of wanted) {
      const found = await this.db.query(
        `SELECT 1 FROM ${quoteIdent(options.table)} WHERE CAST(${quoteIdent(options.column)} AS VARCHAR) = ? LIMIT 1`,
        { params: [String(one)] },
      );
      if (found.numRows === 0) throw new ApiError(400, `input ${input.name}: ${JSON.stringify(one)} is not one of its options (the values of ${options.table}.${options.column})`);
    }
  }

  private cellNamed(name: string): NamedCell {
    const id = this.scheduler.graph.byName.get(name.toLowerCase());
    const cell = this.notebook.cells.filter(isNamed).find((candidate) => candidate.id === id);
    if (cell === undefined) {
      const tables = this.description().cells.map((table) => table.name);
      throw new ApiError(404, `no cell named ${JSON.stringify(name)}; the cells with tables are ${tables.join(', ') || 'none'}`);
    }
    return cell;
  }

  /** The table a cell's last run made, or an ApiError: 404 when the cell makes none, 409 when it did not run. */
  private tableOf(cell: NamedCell): { table: string; columns: ApiTableCell['columns'] } {
    const state = this.scheduler.cellStates[cell.id];
    if (state?.status === 'error' || state?.status === 'blocked') {
      throw new ApiError(409, `cell ${cell.name} did not run: ${state.error ? describeCellError(state.error) : state.status}`);
    }
    const output = state?.output;
    if (output?.kind === 'table') return { table: output.table, columns: output.columns };
    if (output === undefined) throw new ApiError(409, `cell ${cell.name} has not run`);
    throw new ApiError(404, `cell ${cell.name} is a ${cell.kind} cell; it makes no table`);
  }

  private inputCells(): InputCell[] {
    return this.notebook.cells.filter(isNamed).flatMap((cell) => {
      const spec = cell.kind === 'input' ? this.scheduler.analysis(cell.id)?.input : undefined;
      return spec === undefined ? [] : [{ id: cell.id, name: cell.name, spec }];
    });
  }

  /** The inputs upstream of the cell; worked out once per graph, not per request. */
  private inputsFeeding(cellId: string): InputCell[] {
    const graph = this.scheduler.graph;
    if (this.feeding?.graph !== graph) this.feeding = { graph, byCell: new Map() };
    let inputs = this.feeding.byCell.get(cellId);
    if (inputs === undefined) {
      const upstream = ancestors(graph, cellId);
      inputs = this.inputCells().filter((input) => upstream.has(input.id));
      this.feeding.byCell.set(cellId, inputs);
    }
    return inputs;
  }
}

/**
 * The first `limit` rows a model inserted as its table, as JSON: what reading the table back would give, for columns
 * of numbers, text and booleans. Undefined (read the table instead) for any other column type, whose JSON may differ
 * once DuckDB has stored it (timestamps' units), or when the cell's table is not the one inserted.
 */
function producedRows(ipc: Uint8Array, sameTable: boolean, limit: number): JsonRow[] | undefined {
  if (!sameTable) return undefined;
  const table = tableFromIPC(ipc);
  if (!table.schema.fields.every((field) => plainType(field.type))) return undefined;
  return jsonRows(table.slice(0, limit));
}

function plainType(type: DataType): boolean {
  if (DataType.isDictionary(type)) return DataType.isUtf8(type.dictionary);
  return DataType.isInt(type) || DataType.isFloat(type) || DataType.isUtf8(type) || DataType.isBool(type) || DataType.isNull(type);
}
