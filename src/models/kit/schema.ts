/** Checking a model cell's spec against its model's schema, before any data moves. */
import { closestName } from '../../util/names.ts';
import { ParamError, type Params } from './params.ts';
import type { ModelDefinition, ParamSchema, ParamType } from './model.ts';

/** Keys every model cell accepts besides its model's own. */
const COMMON: ParamSchema = { model: 'string', input: ['string', 'string[]'] };

/**
 * Throw a ParamError for the first key the model does not know (with the nearest known key) or whose value has
 * the wrong type: `unknown key "top_shar" for model pareto (did you mean "top_share"?)`. Null counts as unset.
 */
export function checkParams(model: ModelDefinition, params: Params): void {
  const schema: ParamSchema = { ...COMMON, ...model.params };
  checkLevel(model.name, schema, params, '');
}

function checkLevel(model: string, schema: ParamSchema, params: Params, prefix: string): void {
  const keys = Object.keys(schema);
  const here = [...new Set(keys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length).split('.')[0]!))];
  for (const [key, value] of Object.entries(params)) {
    const path = prefix + key;
    if (!here.includes(key)) {
      const near = closestName(key, here);
      throw new ParamError(`unknown key "${path}" for model ${model}${near ? ` (did you mean "${prefix}${near}"?)` : ''}; it takes ${here.map((name) => prefix + name).join(', ')}`);
    }
    if (value === null || value === undefined) continue;
    const types = schema[path];
    if (types === undefined) {
      // A parent of nested keys (`columns` of `columns.customer`): an object holding only those keys.
      if (typeof value !== 'object' || Array.isArray(value)) {
        const nested = keys.filter((name) => name.startsWith(`${path}.`)).map((name) => name.slice(path.length + 1));
        throw new ParamError(`"${path}" of model ${model} must be an object of ${nested.join(', ')}; got ${JSON.stringify(value)}`);
      }
      checkLevel(model, schema, value as Params, `${path}.`);
      continue;
    }
    const accepted: readonly ParamType[] = typeof types === 'string' ? [types] : types;
    if (!accepted.some((type) => matches(type, value))) {
      throw new ParamError(`"${path}" of model ${model} must be ${accepted.map(describe).join(' or ')}; got ${JSON.stringify(value)}`);
    }
  }
}

function matches(type: ParamType, value: unknown): boolean {
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
  }
}

function describe(type: ParamType): string {
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
  }
}
