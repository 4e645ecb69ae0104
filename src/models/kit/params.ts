/** Reading a model cell's spec fields, with errors that name the field and what was found. */
import type { Frame } from './frame.ts';

export type Params = Readonly<Record<string, unknown>>;

/** A spec field that is missing or of the wrong kind. */
export class ParamError extends Error {
  override readonly name = 'ParamError';
}

export function text(params: Params, field: string, fallback?: string): string {
  const value = params[field] ?? fallback;
  if (typeof value !== 'string' || value === '') throw new ParamError(`"${field}" must be text${fallback === undefined ? ' (it is required)' : ''}; got ${JSON.stringify(value)}`);
  return value;
}

export function integer(params: Params, field: string, fallback: number, min: number, max: number): number {
  const value = params[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ParamError(`"${field}" must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}`);
  }
  return value;
}

export function number(params: Params, field: string, fallback: number): number {
  const value = params[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ParamError(`"${field}" must be a number; got ${JSON.stringify(value)}`);
  return value;
}

export function flag(params: Params, field: string, fallback: boolean): boolean {
  const value = params[field] ?? fallback;
  if (typeof value !== 'boolean') throw new ParamError(`"${field}" must be true or false; got ${JSON.stringify(value)}`);
  return value;
}

export function textList(params: Params, field: string, fallback?: readonly string[]): string[] {
  const value = params[field] ?? fallback;
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string')) {
    throw new ParamError(`"${field}" must be a list of column names, e.g. ["recency_days", "frequency", "monetary"]; got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

export function oneOf<T extends string>(params: Params, field: string, choices: readonly T[], fallback: T): T {
  const value = params[field] ?? fallback;
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw new ParamError(`"${field}" must be one of ${choices.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** A column named in the spec's `columns` mapping, defaulting to the canonical retail name. */
export function mappedColumn(params: Params, field: string, fallback: string): string {
  const value = ((params.columns ?? {}) as Record<string, unknown>)[field] ?? fallback;
  if (typeof value !== 'string') throw new ParamError(`"columns.${field}" must name a column`);
  return value;
}

/** The one table a model reads (the spec's `input`). */
export function only(inputs: readonly Frame[]): Frame {
  const [input] = inputs;
  if (!input) throw new ParamError('"input" must name the table the model reads');
  return input;
}
