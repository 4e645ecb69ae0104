/**
 * The one check of a spec's keys and value types, for chart, input and model specs alike: an unknown key is named
 * with the nearest known one, a value of the wrong type with the key and what it must be. What a value means
 * (a column that exists, a number in range) is left to each reader.
 */
import { closestName } from './names.ts';

/**
 * The JSON types a spec key accepts: `'string[]'` is a list of text, `'list'` a list of anything, `'date'` what YAML
 * reads an unquoted 2011-12-31 as, `'any'` anything.
 */
export type SpecType = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]' | 'list' | 'object' | 'date' | 'any';

/** A key's accepted types; with `must` when the types alone say too little (`must: 'name a column'`). */
export type SpecRule = SpecType | readonly SpecType[] | { readonly type: SpecType | readonly SpecType[]; readonly must: string };

/**
 * The keys a spec accepts and their types. A nested key is written with a dot (`columns.customer`): its parent must be
 * an object holding only the listed keys (or, when the parent has a rule of its own, a value of that rule).
 */
export type SpecSchema = Readonly<Record<string, SpecRule>>;

export interface SchemaOptions {
  /** Whose spec it is, for the message: `model pareto` → `unknown key "x" for model pareto`, `"k" of model kmeans must …`. */
  readonly owner?: string;
  /** Written before every key in a message, for a spec inside another: `marks[0].`. */
  readonly at?: string;
}

/**
 * The first problem of `spec` against `schema` in words, or undefined when there is none. Null and undefined values
 * count as unset. `schemaProblem({ top_shar: 0.2 }, { top_share: 'number' }, { owner: 'model pareto' })` →
 * `unknown key "top_shar" for model pareto (did you mean "top_share"?); it takes top_share`.
 */
export function schemaProblem(spec: Readonly<Record<string, unknown>>, schema: SpecSchema, options: SchemaOptions = {}): string | undefined {
  return levelProblem(spec, schema, '', options);
}

function levelProblem(spec: Readonly<Record<string, unknown>>, schema: SpecSchema, prefix: string, { owner, at = '' }: SchemaOptions): string | undefined {
  const keys = Object.keys(schema);
  const here = [...new Set(keys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length).split('.')[0]!))];
  const of = owner === undefined ? '' : ` of ${owner}`;
  for (const [key, value] of Object.entries(spec)) {
    const path = prefix + key;
    if (!here.includes(key)) {
      const near = closestName(key, here);
      const meant = near === undefined ? '' : ` (did you mean "${at}${prefix}${near}"?)`;
      return `unknown key "${at}${path}"${owner === undefined ? '' : ` for ${owner}`}${meant}; it takes ${here.map((name) => prefix + name).join(', ')}`;
    }
    if (value === null || value === undefined) continue;
    const nested = keys.filter((name) => name.startsWith(`${path}.`));
    const rule = schema[path];
    if (rule !== undefined) {
      const { types, must } = ruleOf(rule);
      if (!types.some((type) => matches(type, value))) return `"${at}${path}"${of} must ${must ?? `be ${types.map(describe).join(' or ')}`}; got ${JSON.stringify(value)}`;
    } else if (!isRecord(value)) {
      return `"${at}${path}"${of} must be an object of ${nested.map((name) => name.slice(path.length + 1)).join(', ')}; got ${JSON.stringify(value)}`;
    }
    if (nested.length > 0 && isRecord(value)) {
      const problem = levelProblem(value, schema, `${path}.`, { owner, at });
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function ruleOf(rule: SpecRule): { types: readonly SpecType[]; must?: string } {
  if (typeof rule === 'string') return { types: [rule] };
  if ('must' in rule) return { types: typeof rule.type === 'string' ? [rule.type] : rule.type, must: rule.must };
  return { types: rule };
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function matches(type: SpecType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'number[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'number');
    case 'list':
      return Array.isArray(value);
    case 'object':
      return isRecord(value);
    case 'date':
      return value instanceof Date;
    case 'any':
      return true;
  }
}

function describe(type: SpecType): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'string[]':
      return 'a list of text';
    case 'number[]':
      return 'a list of numbers';
    case 'list':
      return 'a list';
    case 'object':
      return 'an object';
    case 'date':
      return 'a date';
    case 'any':
      return 'anything';
  }
}
