import { describe, expect, it } from 'vitest';
import { inputsFromQuery, queryWithInputs } from '../../../src/engine/url-inputs.ts';
import type { Notebook } from '../../../src/engine/notebook.ts';

const notebook: Notebook = {
  title: 'Inputs',
  data: {},
  extra: {},
  cells: [
    { id: 'a', kind: 'input', name: 'top_n', source: '{ "input": "slider", "min": 5, "max": 50, "value": 10 }' },
    { id: 'b', kind: 'input', name: 'country', source: '{ "input": "select", "options": ["UK", "France", "Germany"] }' },
    { id: 'c', kind: 'input', name: 'countries', source: '{ "input": "multi-select", "options": ["UK", "France", "Germany"] }' },
    { id: 'd', kind: 'input', name: 'period', source: '{ "input": "date-range", "min": "2011-01-01", "max": "2011-12-31" }' },
    { id: 'e', kind: 'input', name: 'search', source: '{ "input": "text" }' },
    { id: 'f', kind: 'input', name: 'product', source: '{ "input": "select", "options": { "from": "sales", "column": "product" } }' },
    { id: 'g', kind: 'input', name: 'month', source: '{ "input": "select", "options": [1, 2, 12] }' },
    { id: 'h', kind: 'sql', name: 'result', source: 'SELECT 1' },
    { id: 'i', kind: 'input', name: 'broken', source: '{ "input": "dial" }' },
  ],
};

describe('input values from the URL', () => {
  it('reads each control against its spec, keeping the page parameters out', () => {
    const read = inputsFromQuery(
      notebook,
      '?notebook=retail&mode=app&theme=dark&top_n=20&country=France&countries=UK&countries=Germany&period=2011-03-01&period=2011-06-30&search=gift%20box&month=12&product=85123A',
    );
    expect(read.problems).toEqual([]);
    expect(read.values).toEqual({
      top_n: 20,
      country: 'France',
      countries: ['UK', 'Germany'],
      period: ['2011-03-01', '2011-06-30'],
      search: 'gift box',
      month: 12,
      product: '85123A',
    });
  });

  it('matches input names regardless of case and keeps the option’s own type', () => {
    expect(inputsFromQuery(notebook, '?TOP_N=5&Month=2').values).toEqual({ top_n: 5, month: 2 });
  });

  it('leaves out and names what the specs refuse', () => {
    const read = inputsFromQuery(
      notebook,
      '?top_n=500&country=Spain&countries=UK&countries=Narnia&period=2011-13-01&period=2011-12-01&month=3&nope=1&broken=x&result=1',
    );
    expect(read.values).toEqual({});
    expect(read.problems).toEqual([
      'top_n: 500 is above the maximum 50',
      'country: "Spain" is not one of its options',
      'countries: "Narnia" is not among its options',
      'period: "2011-13-01" is not a date like 2011-12-31',
      'month: "3" is not one of its options',
      'nope: no input has this name',
      'broken: no input has this name',
      'result: no input has this name',
    ]);
  });

  it('refuses text that is not a number, numbers below the minimum, and reversed or out-of-range dates', () => {
    expect(inputsFromQuery(notebook, '?top_n=20abc').problems).toEqual(['top_n: "20abc" is not a number']);
    expect(inputsFromQuery(notebook, '?top_n=').problems).toEqual(['top_n: "" is not a number']);
    expect(inputsFromQuery(notebook, '?top_n=Infinity').problems).toEqual(['top_n: "Infinity" is not a number']);
    expect(inputsFromQuery(notebook, '?top_n=1').problems).toEqual(['top_n: 1 is below the minimum 5']);
    expect(inputsFromQuery(notebook, '?top_n=1&top_n=2').problems).toEqual(['top_n: takes one number']);
    expect(inputsFromQuery(notebook, '?period=2011-06-01&period=2011-02-01').problems).toEqual(['period: 2011-06-01 is after 2011-02-01']);
    expect(inputsFromQuery(notebook, '?period=2010-06-01&period=2011-02-01').problems).toEqual(['period: 2010-06-01 is before 2011-01-01']);
    expect(inputsFromQuery(notebook, '?period=2011-02-01').problems).toEqual(['period: takes two dates, from and to']);
  });

  it('keeps a hostile text as a plain value (it is bound as a parameter, never spliced)', () => {
    expect(inputsFromQuery(notebook, `?search=${encodeURIComponent("x'; DROP TABLE sales; --")}`).values).toEqual({ search: "x'; DROP TABLE sales; --" });
  });
});

describe('input values into the URL', () => {
  it('keeps page parameters, drops stale input parameters, repeats lists', () => {
    expect(queryWithInputs('?notebook=retail&mode=app&old=1&top_n=3', { top_n: 20, countries: ['UK', 'France'], search: 'a&b', country: null })).toBe(
      '?notebook=retail&mode=app&top_n=20&countries=UK&countries=France&search=a%26b',
    );
    expect(queryWithInputs('', {})).toBe('');
  });

  it('names the open notebook, or drops the name when a link cannot open it', () => {
    expect(queryWithInputs('?notebook=retail-tour&theme=dark', { k: 4 }, 'segmentation')).toBe('?theme=dark&notebook=segmentation&k=4');
    expect(queryWithInputs('?notebook=retail-tour&mode=app', { k: 4 }, null)).toBe('?mode=app&k=4');
  });

  it('round-trips through inputsFromQuery', () => {
    const values = { top_n: 20, country: 'Germany', countries: [], period: ['2011-01-01', ''], search: '', month: 12 };
    const read = inputsFromQuery(notebook, queryWithInputs('?theme=dark', values));
    expect(read.problems).toEqual([]);
    expect(read.values).toEqual(values);
  });
});
