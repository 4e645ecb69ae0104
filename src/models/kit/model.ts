/**
 * What a model cell can be: one entry per model, holding everything the engine and the form need to know about it.
 * Each family's `cells.ts` exports its entries; `registry.ts` assembles them.
 */
import type { SpecSchema, SpecType } from '../../util/spec-schema.ts';
import type { Frame } from './frame.ts';
import type { Params } from './params.ts';
import type { RunControl } from './progress.ts';
import type { SqlDialect } from '../../util/dialect/index.ts';

/** How the form edits a field. */
export type FieldType = 'table' | 'column' | 'columns' | 'number' | 'number-or-input' | 'text' | 'bool' | 'choice' | 'choices' | 'date';

/** One field of the model form, in the order the form shows it. */
export interface Field {
  /** Spec key; `columns.customer` addresses a nested field. */
  readonly key: string;
  readonly label: string;
  readonly type: FieldType;
  readonly choices?: readonly string[];
  /** What the field means or what it defaults to, shown as the field's tooltip. */
  readonly hint: string;
}

/** The JSON types a spec key accepts (the one spec checker's): `'string[]'` is a list of text, `'list'` a list of anything. */
export type ParamType = SpecType;

/**
 * The keys a model's spec accepts and their types. A nested key is written with a dot (`columns.customer`), and
 * then its parent must be an object holding only the listed keys. `model` and `input` are accepted by every model.
 */
export type ParamSchema = SpecSchema;

interface ModelBase {
  readonly name: string;
  readonly title: string;
  readonly fields: readonly Field[];
  readonly params: ParamSchema;
  /**
   * Keys a spec saved by an older Aisle may hold, each with the key it became (`customer` → `columns.customer`):
   * saved notebooks keep opening and running, and `upgradeModelSpec` is the one place that reads them.
   */
  readonly renamedKeys?: Readonly<Record<string, string>>;
}

/** A model that runs in a worker over its input tables as frames. */
export interface WorkerModel extends ModelBase {
  readonly kind: 'worker';
  /** Output frames by suffix: '' is the cell's own table; 'centroids' becomes `<cell>__centroids`. */
  run(inputs: readonly Frame[], params: Params, control: RunControl): Record<string, Frame>;
  /**
   * The columns of its (one) input table the model reads, so only those leave the database; absent, every column
   * is sent. Throws a ParamError for a bad spec, as `run` would.
   */
  reads?(params: Params): readonly string[];
  /**
   * A SELECT over its one input table, in the engine's dialect, that the engine runs and sends in the table's place:
   * the aggregate the model starts with, made where the data is (2M lines become 100k product-weeks before they
   * leave the database). `columns` are the input's; throws a ParamError or FrameError naming a bad spec or a missing
   * column, as `run` would. `run` then receives this query's rows.
   */
  prepare?(input: string, columns: readonly string[], params: Params, dialect: SqlDialect): string;
  /**
   * Independent runs this run splits into, each over the same inputs: the engine runs them side by side (a worker
   * each, so two cores do two parts) and the run's tables are theirs, table by table, one part after another. The
   * parts must give what one run would, in that order. Undefined or one part: one run.
   */
  parts?(params: Params): readonly Params[] | undefined;
  /**
   * Input columns the cell's own table begins with, copied row for row from the (one) input: K-Means' customer id.
   * Where the engine can keep them in the database it does not send them (`ModelRequest.carried`): `run` is given
   * nulls in their place (kit/carried.ts) and the engine puts the input's own values back by row position.
   */
  carries?(params: Params): readonly string[];
}

/** A model that is SQL over its input table and runs in the database itself. */
export interface SqlModel extends ModelBase {
  readonly kind: 'sql';
  /** The SELECT the cell's table is made from, in the engine's dialect; throws a ParamError naming a bad spec field. */
  sql(input: string, params: Params, dialect?: SqlDialect): string;
}

export type ModelDefinition = WorkerModel | SqlModel;
