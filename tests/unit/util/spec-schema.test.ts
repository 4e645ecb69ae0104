import { describe, expect, it } from 'vitest';
import { schemaProblem, type SpecSchema } from '../../../src/util/spec-schema.ts';
import { chartSpec, inputSpec } from '../../../src/engine/index.ts';
import { checkModelSpec } from '../../../src/models/registry.ts';

const schema: SpecSchema = {
  title: 'string',
  k: 'number',
  features: 'string[]',
  input: ['string', 'string[]'],
  height: { type: 'number', must: 'be a height in pixels' },
  'columns.customer': 'string',
  'columns.date': 'string',
  x: ['string', 'object'],
  'x.type': 'string',
};

describe('schemaProblem: the one check of spec keys and types', () => {
  it('a spec that fits has no problem; null and undefined count as unset', () => {
    expect(schemaProblem({ title: 'Revenue', k: 4, features: ['a'], input: ['a', 'b'], columns: { customer: 'id' }, x: { type: 'log' }, height: null }, schema)).toBeUndefined();
    expect(schemaProblem({ x: 'month', k: undefined }, schema)).toBeUndefined();
  });

  it('an unknown key is named with the nearest known one and the keys it takes', () => {
    expect(schemaProblem({ titel: 'Revenue' }, schema)).toBe('unknown key "titel" (did you mean "title"?); it takes title, k, features, input, height, columns, x');
    expect(schemaProblem({ colour: 'red' }, schema, { owner: 'model pareto' })).toBe('unknown key "colour" for model pareto; it takes title, k, features, input, height, columns, x');
  });

  it('a nested key is named with its parent, and with the prefix of the spec it sits in', () => {
    expect(schemaProblem({ columns: { custmer: 'id' } }, schema)).toBe('unknown key "columns.custmer" (did you mean "columns.customer"?); it takes columns.customer, columns.date');
    expect(schemaProblem({ x: { typ: 'log' } }, schema, { at: 'marks[2].' })).toBe('unknown key "marks[2].x.typ" (did you mean "marks[2].x.type"?); it takes x.type');
    expect(schemaProblem({ columns: 'id' }, schema)).toBe('"columns" must be an object of customer, date; got "id"');
  });

  it('a value of the wrong type names the key, what it must be and what it is', () => {
    expect(schemaProblem({ k: 'four' }, schema, { owner: 'model kmeans' })).toBe('"k" of model kmeans must be a number; got "four"');
    expect(schemaProblem({ features: 'recency' }, schema)).toBe('"features" must be a list of text; got "recency"');
    expect(schemaProblem({ input: 5 }, schema)).toBe('"input" must be text or a list of text; got 5');
    expect(schemaProblem({ height: '300px' }, schema)).toBe('"height" must be a height in pixels; got "300px"');
    expect(schemaProblem({ x: 3 }, schema, { at: 'marks[0].' })).toBe('"marks[0].x" must be text or an object; got 3');
  });
});

describe('chart, input and model specs are checked by it alike', () => {
  it('a misspelt key reads the same in each, with the key it was meant to be', () => {
    expect(() => chartSpec({ data: 'sales', mark: 'barY', x: 'country', y: 'amount', titel: 'Revenue' })).toThrow('unknown key "titel" (did you mean "title"?)');
    expect(() => inputSpec({ input: 'slider', min: 0, max: 10, vaule: 5 })).toThrow('unknown key "vaule" (did you mean "value"?)');
    expect(() => inputSpec({ input: 'select', options: { from: 'products', colum: 'product_id' } })).toThrow('unknown key "options.colum" (did you mean "options.column"?)');
    expect(() => checkModelSpec('pareto', { top_shar: 0.2 })).toThrow('unknown key "top_shar" for model pareto (did you mean "top_share"?)');
  });

  it('a value of the wrong type names the key and the type in each', () => {
    expect(() => chartSpec({ data: 'sales', mark: 'barY', x: 'country', y: 'amount', tooltip: 'yes' })).toThrow('"tooltip" must be true or false; got "yes"');
    expect(() => inputSpec({ input: 'text', label: 7 })).toThrow('"label" must be text; got 7');
    expect(() => checkModelSpec('kmeans', { k: 'four' })).toThrow('"k" of model kmeans must be a number; got "four"');
  });
});
