import type { InputSpec, InputValue } from '../specs.ts';
import { assertNever } from '../../util/assert.ts';
import { closestName } from '../../util/names.ts';
import { ApiError } from './errors.ts';

/** An input cell as the API offers it: its name and checked spec. */
export interface ApiInput {
  readonly name: string;
  readonly spec: InputSpec;
}

/**
 * The input values of a `POST /api/run/<cell>` body, checked against the specs of the inputs that feed the cell.
 * The body is a JSON object `{ "<input>": value }`; inputs it leaves out keep the notebook's values. Throws an
 * ApiError 400 naming the input and what it expects. Options read from a table are checked by the caller, which
 * has the table.
 * `runInputs({ recency: 30 }, 'segment_predictor', [{ name: 'recency', spec }], ['recency', 'k'])` → `Map { 'recency' => 30 }`.
 */
export function runInputs(body: unknown, cell: string, feeding: readonly ApiInput[], allInputs: readonly string[]): Map<string, InputValue> {
  if (body === undefined) return new Map();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, `the body must be a JSON object of input values, like {"${feeding[0]?.name ?? 'input'}": 1}; got ${describe(body)}`);
  }
  const values = new Map<string, InputValue>();
  for (const [key, value] of Object.entries(body)) {
    const input = feeding.find((candidate) => candidate.name === key) ?? feeding.find((candidate) => candidate.name.toLowerCase() === key.toLowerCase());
    if (input === undefined) throw new ApiError(400, notFeeding(key, cell, feeding, allInputs));
    values.set(input.name, checkedValue(input, value));
  }
  return values;
}

function notFeeding(key: string, cell: string, feeding: readonly ApiInput[], allInputs: readonly string[]): string {
  const isInput = allInputs.some((name) => name.toLowerCase() === key.toLowerCase());
  const names = feeding.map((input) => input.name);
  const takes = names.length === 0 ? `${cell} reads no inputs` : `the inputs ${cell} reads are ${names.join(', ')}`;
  if (isInput) return `input ${key} does not feed ${cell}; ${takes}`;
  const closest = closestName(key, names);
  return `${JSON.stringify(key)} is not an input of this notebook${closest === undefined ? '' : ` (did you mean ${JSON.stringify(closest)}?)`}; ${takes}`;
}

/** The value if `input`'s spec accepts it, else an ApiError 400 saying what the input expects. */
export function checkedValue(input: ApiInput, value: unknown): InputValue {
  const { name, spec } = input;
  const bad = (expected: string) => new ApiError(400, `input ${name} expects ${expected}; got ${describe(value)}`);
  switch (spec.control) {
    case 'slider':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`a number (it is a ${spec.control})`);
      if (typeof spec.min === 'number' && value < spec.min) throw bad(`a number of at least ${spec.min}`);
      if (typeof spec.max === 'number' && value > spec.max) throw bad(`a number of at most ${spec.max}`);
      return value;
    }
    case 'text':
      if (typeof value !== 'string') throw bad('text');
      return value;
    case 'select':
    case 'search': {
      if (typeof value !== 'string' && typeof value !== 'number') throw bad('one value (text or a number)');
      if (spec.options?.kind === 'list') return listed(value, spec.options.values) ?? badOption(name, value, spec.options.values);
      return value;
    }
    case 'multi-select': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' || typeof v === 'number')) throw bad('a list of texts or numbers, like ["France","Spain"]');
      const options = spec.options;
      if (options?.kind !== 'list') return value as (string | number)[];
      return (value as (string | number)[]).map((v) => listed(v, options.values) ?? badOption(name, v, options.values));
    }
    case 'date-range': {
      const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
      if (!Array.isArray(value) || value.length !== 2 || !value.every(isDate)) throw bad('two dates, like ["2011-01-01","2011-06-30"]');
      const [from, to] = value as [string, string];
      if (from > to) throw bad('a range whose first date is not after its second');
      return [from, to];
    }
    default:
      return assertNever(spec.control);
  }
}

/** The option `value` spells (`"2011"` picks 2011 from a list of numbers), as the app's own inputs take it. */
function listed(value: string | number, options: readonly (string | number)[]): string | number | undefined {
  return options.find((option) => option === value) ?? options.find((option) => String(option) === String(value));
}

function badOption(name: string, value: unknown, options: readonly (string | number)[]): never {
  const shown = options.slice(0, 20).map((option) => JSON.stringify(option)).join(', ');
  throw new ApiError(400, `input ${name}: ${describe(value)} is not one of its options (${shown}${options.length > 20 ? ', …' : ''})`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
