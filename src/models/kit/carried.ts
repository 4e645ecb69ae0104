/**
 * Columns a model's own table copies row for row from its one input, at its start (`WorkerModel.carries`: K-Means'
 * customer ids). Where the engine keeps them in the database, the model runs without them: `carryIn` puts nulls in
 * their place, which the model copies through untouched, and `carryOut` takes them off the model's table again; the
 * engine joins the input's own columns back by row position.
 */
import { FrameError, type Column, type Frame } from './frame.ts';

/** The inputs with a column of nulls for each carried column (none: the inputs as they are). */
export function carryIn(inputs: readonly Frame[], carried: readonly string[]): readonly Frame[] {
  if (carried.length === 0) return inputs;
  const [input, ...rest] = inputs;
  if (input === undefined || rest.length > 0) throw new FrameError('columns are carried for a model of one input only');
  const nulls: readonly null[] = new Array<null>(input.rowCount).fill(null);
  const placeholders: Record<string, Column> = Object.fromEntries(carried.map((name) => [name, nulls]));
  return [{ rowCount: input.rowCount, columns: { ...placeholders, ...input.columns } }];
}

/** The outputs with the carried columns taken off the model's own table, which must begin with them, a row per input row. */
export function carryOut(outputs: Readonly<Record<string, Frame>>, carried: readonly string[], inputRows: number): Record<string, Frame> {
  if (carried.length === 0) return { ...outputs };
  const own = outputs[''];
  const names = Object.keys(own?.columns ?? {});
  if (own === undefined || own.rowCount !== inputRows || carried.some((name, index) => names[index] !== name)) {
    throw new FrameError(`the model's table must begin with ${carried.join(', ')}, a row per input row, to carry them`);
  }
  const columns = Object.fromEntries(Object.entries(own.columns).filter(([name]) => !carried.includes(name)));
  return { ...outputs, '': { rowCount: own.rowCount, columns } };
}
