import type { Database } from '../ports.ts';
import type { Scheduler } from '../scheduler.ts';
import type { InputValue } from '../specs.ts';
import { ancestors } from '../graph.ts';
import { describeCellError } from '../errors.ts';
import { isNamed, type NamedCell, type Notebook } from '../notebook.ts';
import { quoteIdent } from '../../util/sql.ts';
import { ApiError } from './errors.ts';
import { limitOf, lookupQuery } from './lookup.ts';
import { openApiDocument, type ApiDescription, type ApiTableCell } from './openapi.ts';
import { jsonRows, type JsonRow, type JsonValue } from './rows.ts';
import { runInputs, type ApiInput } from './run-inputs.ts';

/** An input cell the API can set: its id besides its name and spec. */
interface InputCell extends ApiInput {
  readonly id: string;
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
 * A notebook that has run, answering the prediction API's requests against its database.
 *
 * One database holds one table per cell, so two runs with different inputs cannot coexist: every run, and every
 * read of a cell that an input feeds, takes its turn in one queue. A run leaves its inputs in place, and the next
 * read of a cell they feed first puts the notebook's own values back, so a lookup never sees another request's
 * inputs. Reads of cells no input feeds skip the queue: no run rewrites them but a run of the cell itself, and that
 * replaces the table in one transaction.
 */
export class NotebookApi {
  private queue: Promise<unknown> = Promise.resolve();
  /** Input cell id → the value the notebook's own run used. */
  private readonly baseline = new Map<string, InputValue>();

  constructor(
    private readonly db: Database,
    private readonly scheduler: Scheduler,
    private readonly notebook: Notebook,
    /** Which engine runs the SQL, e.g. `DuckDB-WASM 1.4 (Node), 1 thread`. */
    readonly engine: string,
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
    const read = async (): Promise<LookupResult> => {
      const { table, columns } = this.tableOf(cell);
      const lookup = lookupQuery(cell.name, table, columns, query);
      return { cell: cell.name, rows: jsonRows(await this.db.query(lookup.sql, { params: lookup.params })) };
    };
    const feeding = this.inputsFeeding(cell.id);
    if (feeding.length === 0) return read();
    return this.exclusive(async () => {
      const changed = this.setInputs(feeding, new Map());
      if (changed.length > 0) await this.scheduler.run(changed);
      return read();
    });
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
      await this.scheduler.run([...changed, cell.id]);
      const { table } = this.tableOf(cell);
      const state = this.scheduler.cellStates[cell.id];
      const rowCount = state?.output?.kind === 'table' ? state.output.rowCount : 0;
      const rows = jsonRows(await this.db.query(`SELECT * FROM ${quoteIdent(table)} LIMIT ${limit}`));
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

  private inputsFeeding(cellId: string): InputCell[] {
    const upstream = ancestors(this.scheduler.graph, cellId);
    return this.inputCells().filter((input) => upstream.has(input.id));
  }
}
