import { describe, expect, it } from 'vitest';
import { inputSpec, parseSpec, specTables } from '../../../src/engine/specs.ts';

describe('specs', () => {
  it('reads JSON and YAML alike', () => {
    expect(parseSpec('{ "data": "monthly" }')).toEqual({ data: 'monthly' });
    expect(parseSpec('data: monthly\nmarks:\n  - mark: barY')).toEqual({ data: 'monthly', marks: [{ mark: 'barY' }] });
    expect(parseSpec('')).toEqual({});
  });

  it('names what is wrong with a spec', () => {
    expect(() => parseSpec('[1, 2]')).toThrow(/object of `field: value` pairs/);
    expect(() => parseSpec('{ "a": ')).toThrow(/neither JSON nor YAML/);
    expect(() => inputSpec({ input: 'knob' })).toThrow(/"input" must be one of slider, number, select, search, multi-select, text, date-range; got "knob"/);
    expect(() => inputSpec({ input: 'slider', min: 0 })).toThrow(/needs "min" and "max"/);
    expect(() => inputSpec({ input: 'slider', min: 5, max: 1 })).toThrow(/"min" \(5\) is above "max" \(1\)/);
    expect(() => inputSpec({ input: 'number', step: 'big' })).toThrow(/"step" must be a number; got "big"/);
    expect(() => inputSpec({ input: 'select' })).toThrow(/needs "options"/);
    expect(() => inputSpec({ input: 'date-range', min: '31/12/2011' })).toThrow(/"min" must be a date like 2011-12-31/);
    expect(() => specTables({ data: 5 }, 'data')).toThrow(/"data" must name a table/);
  });

  it('gives each control its initial value', () => {
    expect(inputSpec({ input: 'slider', min: 5, max: 50 }).initial).toBe(5);
    expect(inputSpec({ input: 'slider', min: 5, max: 50, value: 20 }).initial).toBe(20);
    expect(inputSpec({ input: 'select', options: ['UK', 'France'] }).initial).toBe('UK');
    expect(inputSpec({ input: 'multi-select', options: ['UK', 'France'], value: ['France'] }).initial).toEqual(['France']);
    expect(inputSpec({ input: 'text' }).initial).toBe('');
    // YAML reads an unquoted date as a Date; it comes back as text.
    expect(inputSpec(parseSpec('input: date-range\nmin: 2010-12-01\nmax: 2011-12-09')).initial).toEqual(['2010-12-01', '2011-12-09']);
    expect(inputSpec({ input: 'select', options: { from: 'countries', column: 'country' } }).options).toEqual({ kind: 'table', table: 'countries', column: 'country' });
  });

  it('a search picks one value from a table, with a label column shown and searched beside it', () => {
    const spec = inputSpec({ input: 'search', options: { from: 'products', column: 'product_id', label: 'description' }, value: '85123A' });
    expect(spec).toEqual({ control: 'search', label: undefined, options: { kind: 'table', table: 'products', column: 'product_id', label: 'description' }, initial: '85123A' });
    expect(() => inputSpec({ input: 'search', options: { from: 'products', column: 'product_id', label: 3 } })).toThrow(/"options.label" must name a column/);
  });
});
