import { parse as parseYaml } from 'yaml';
import { schemaProblem, type SpecSchema } from '../util/spec-schema.ts';

/** The spec of a chart, model or input cell: JSON or YAML inside the cell's fence. */
export type Spec = Readonly<Record<string, unknown>>;

/** A spec that cannot be read, naming the field at fault. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
}

/** Parse a spec; YAML is a superset of JSON, so one parser reads both: `parseSpec('{"data": "monthly"}')`. */
export function parseSpec(source: string): Spec {
  let value: unknown;
  try {
    value = parseYaml(source);
  } catch (error) {
    throw new SpecError(`the spec is neither JSON nor YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new SpecError('the spec must be an object of `field: value` pairs');
  return value as Spec;
}

export type InputControl = 'slider' | 'number' | 'select' | 'search' | 'multi-select' | 'text' | 'date-range';
const CONTROLS: readonly InputControl[] = ['slider', 'number', 'select', 'search', 'multi-select', 'text', 'date-range'];

/**
 * Where a select's options come from: a literal list, or a column of a table or cell, optionally with a second
 * column shown beside each value (a product's description, a customer's country) that a search matches too.
 */
export type OptionsSource =
  | { readonly kind: 'list'; readonly values: readonly (string | number)[] }
  | { readonly kind: 'table'; readonly table: string; readonly column: string; readonly label?: string };

/** A checked input spec. */
export interface InputSpec {
  readonly control: InputControl;
  readonly label?: string;
  readonly min?: number | string;
  readonly max?: number | string;
  readonly step?: number;
  readonly options?: OptionsSource;
  /** The value before the user changes it. */
  readonly initial: InputValue;
}

/** What an input holds: a scalar, or a list (multi-select, date range). */
export type InputValue = string | number | boolean | null | readonly (string | number)[];

/** The keys an input spec takes, whatever its control; what each control needs is checked by `inputSpec`. */
const INPUT_SCHEMA: SpecSchema = {
  input: { type: 'string', must: `be one of ${CONTROLS.join(', ')}` },
  label: 'string',
  min: { type: ['number', 'string', 'date'], must: 'be a number, or a date like 2011-12-31' },
  max: { type: ['number', 'string', 'date'], must: 'be a number, or a date like 2011-12-31' },
  step: 'number',
  value: 'any',
  options: { type: ['list', 'object'], must: 'be a list, or {"from": table, "column": column}' },
  'options.from': 'string',
  'options.column': 'string',
  'options.label': { type: 'string', must: 'name a column shown beside each option, e.g. "description"' },
};

/**
 * Read an input cell's spec: `{ "input": "slider", "min": 0, "max": 100, "value": 20 }`.
 * Throws a SpecError naming the field that is wrong.
 */
export function inputSpec(spec: Spec): InputSpec {
  const problem = schemaProblem(spec, INPUT_SCHEMA);
  if (problem !== undefined) throw new SpecError(problem);
  const control = spec.input;
  if (typeof control !== 'string' || !CONTROLS.includes(control as InputControl)) {
    throw new SpecError(`"input" must be one of ${CONTROLS.join(', ')}; got ${JSON.stringify(control)}`);
  }
  const label = optionalString(spec, 'label');
  const step = optionalNumber(spec, 'step');
  switch (control as InputControl) {
    case 'slider':
    case 'number': {
      const min = optionalNumber(spec, 'min');
      const max = optionalNumber(spec, 'max');
      if (control === 'slider' && (min === undefined || max === undefined)) throw new SpecError('a slider needs "min" and "max"');
      if (min !== undefined && max !== undefined && min > max) throw new SpecError(`"min" (${min}) is above "max" (${max})`);
      const value = optionalNumber(spec, 'value') ?? min ?? 0;
      return { control: control as InputControl, label, min, max, step, initial: value };
    }
    case 'select':
    case 'search':
    case 'multi-select': {
      const options = optionsSource(spec.options);
      const listed = options.kind === 'list' ? options.values : [];
      const value = spec.value;
      if (control !== 'multi-select') {
        const initial = typeof value === 'string' || typeof value === 'number' ? value : (listed[0] ?? null);
        return { control: control as 'select' | 'search', label, options, initial };
      }
      const initial = Array.isArray(value) ? value.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number') : [];
      return { control: 'multi-select', label, options, initial };
    }
    case 'text':
      return { control: 'text', label, initial: typeof spec.value === 'string' ? spec.value : '' };
    case 'date-range': {
      const min = optionalDate(spec, 'min');
      const max = optionalDate(spec, 'max');
      const value = spec.value;
      const initial =
        Array.isArray(value) && value.length === 2 ? value.map((v, i) => dateText(v, `value[${i}]`)) : [min ?? '', max ?? ''];
      return { control: 'date-range', label, min, max, initial };
    }
  }
}

/** The table a chart's `data` or a model's `input` names (a string or a list of strings). */
export function specTables(spec: Spec, field: 'data' | 'input'): string[] {
  const value = spec[field];
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new SpecError(`"${field}" must name a table (a string) or a list of tables`);
}

function optionsSource(value: unknown): OptionsSource {
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'string' || typeof v === 'number')) throw new SpecError('"options" must list strings or numbers');
    return { kind: 'list', values: value };
  }
  if (value && typeof value === 'object') {
    const { from, column, label } = value as Record<string, unknown>;
    if (typeof from !== 'string' || typeof column !== 'string') {
      throw new SpecError('"options" from a table needs "from" (a table or cell) and "column": {"from": "countries", "column": "country"}');
    }
    if (label !== undefined && typeof label !== 'string') throw new SpecError('"options.label" must name a column shown beside each option, e.g. "description"');
    return label === undefined ? { kind: 'table', table: from, column } : { kind: 'table', table: from, column, label };
  }
  throw new SpecError('a select needs "options": a list, or {"from": table, "column": column}');
}

function optionalString(spec: Spec, field: string): string | undefined {
  const value = spec[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new SpecError(`"${field}" must be text; got ${JSON.stringify(value)}`);
  return value;
}

function optionalNumber(spec: Spec, field: string): number | undefined {
  const value = spec[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new SpecError(`"${field}" must be a number; got ${JSON.stringify(value)}`);
  return value;
}

function optionalDate(spec: Spec, field: string): string | undefined {
  return spec[field] === undefined ? undefined : dateText(spec[field], field);
}

function dateText(value: unknown, field: string): string {
  // YAML reads an unquoted 2011-01-01 as a Date.
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  throw new SpecError(`"${field}" must be a date like 2011-12-31; got ${JSON.stringify(value)}`);
}

const INPUT_REFERENCE = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

/** Inputs a spec refers to by a whole-string `"$name"` value, anywhere in it (lower-cased). */
export function specInputs(spec: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string') {
      const name = INPUT_REFERENCE.exec(value)?.[1];
      if (name) found.add(name.toLowerCase());
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(spec);
  return [...found];
}

/** The spec with every `"$name"` replaced by that input's value: `{ "values": ["$r"] }` → `{ "values": [30] }`. */
export function bindSpecInputs(spec: Spec, inputs: ReadonlyMap<string, InputValue>): Spec {
  const bind = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const name = INPUT_REFERENCE.exec(value)?.[1]?.toLowerCase();
      if (name === undefined) return value;
      if (!inputs.has(name)) throw new SpecError(`"${value}" names no input`);
      return inputs.get(name);
    }
    if (Array.isArray(value)) return value.map(bind);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, bind(inner)]));
    return value;
  };
  return bind(spec) as Spec;
}
