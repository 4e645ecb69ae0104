import { describe, expect, it } from 'vitest';
import { ApiError, runInputs, type ApiInput } from '../../../../src/engine/api/index.ts';
import { inputSpec } from '../../../../src/engine/specs.ts';

const input = (name: string, spec: Record<string, unknown>): ApiInput => ({ name, spec: inputSpec(spec) });

const RECENCY = input('recency', { input: 'number', min: 0, value: 30 });
const K = input('k', { input: 'slider', min: 2, max: 8, value: 4 });
const COUNTRY = input('country', { input: 'select', options: ['France', 'Spain', 2011] });
const COUNTRIES = input('countries', { input: 'multi-select', options: ['France', 'Spain'] });
const NOTE = input('note', { input: 'text', value: '' });
const PERIOD = input('period', { input: 'date-range', value: ['2011-01-01', '2011-06-30'] });
const CUSTOMER = input('customer', { input: 'search', options: { from: 'customers', column: 'customer_id' } });
const FEEDING = [RECENCY, K, COUNTRY, COUNTRIES, NOTE, PERIOD, CUSTOMER];
const ALL = [...FEEDING.map((i) => i.name), 'product'];

const check = (body: unknown) => runInputs(body, 'predictor', FEEDING, ALL);

function refusal(body: unknown): { status: number; message: string } {
  try {
    check(body);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error(`${JSON.stringify(body)} was accepted`);
}

describe('runInputs', () => {
  it('takes each input in the shape its control holds, by name or by name in another case', () => {
    const values = check({ Recency: 12.5, k: 8, country: '2011', countries: ['Spain'], note: 'hi', period: ['2011-02-01', '2011-02-28'], customer: 17850 });
    expect([...values]).toEqual([
      ['recency', 12.5],
      ['k', 8],
      // A listed option is taken as listed: "2011" picks the number 2011, as the app's select does.
      ['country', 2011],
      ['countries', ['Spain']],
      ['note', 'hi'],
      ['period', ['2011-02-01', '2011-02-28']],
      ['customer', 17850],
    ]);
  });

  it('leaves out what the body does not give; an empty body gives nothing', () => {
    expect([...check({})]).toEqual([]);
    expect([...check(undefined)]).toEqual([]);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [1], 'recency=1', 3]) expect(refusal(body)).toMatchObject({ status: 400, message: expect.stringContaining('must be a JSON object') });
  });

  it('refuses a value outside its spec, naming the input and what it expects', () => {
    expect(refusal({ recency: '30' })).toEqual({ status: 400, message: 'input recency expects a number (it is a number); got "30"' });
    expect(refusal({ recency: -1 })).toEqual({ status: 400, message: 'input recency expects a number of at least 0; got -1' });
    expect(refusal({ k: 9 })).toEqual({ status: 400, message: 'input k expects a number of at most 8; got 9' });
    expect(refusal({ k: null })).toMatchObject({ status: 400 });
    expect(refusal({ country: 'Italy' })).toMatchObject({ status: 400, message: expect.stringContaining('input country: "Italy" is not one of its options ("France", "Spain", 2011)') });
    expect(refusal({ countries: ['France', 'Italy'] })).toMatchObject({ status: 400, message: expect.stringContaining('"Italy" is not one of its options') });
    expect(refusal({ countries: 'France' })).toMatchObject({ status: 400, message: expect.stringContaining('a list of texts or numbers') });
    expect(refusal({ note: 5 })).toEqual({ status: 400, message: 'input note expects text; got 5' });
    expect(refusal({ period: ['2011-06-30', '2011-01-01'] })).toMatchObject({ status: 400, message: expect.stringContaining('first date is not after its second') });
    expect(refusal({ period: ['2011-02-30x', '2011-03-01'] })).toMatchObject({ status: 400, message: expect.stringContaining('two dates') });
    expect(refusal({ customer: { id: 1 } })).toMatchObject({ status: 400, message: expect.stringContaining('one value') });
  });

  it('refuses a name that is no input, and an input that does not feed the cell, saying which do', () => {
    expect(refusal({ recncy: 3 })).toMatchObject({ status: 400, message: expect.stringMatching(/^"recncy" is not an input of this notebook \(did you mean "recency"\?\); the inputs predictor reads are recency, k/) });
    expect(refusal({ product: 'x' })).toMatchObject({ status: 400, message: expect.stringMatching(/^input product does not feed predictor; the inputs predictor reads are recency/) });
    expect(() => runInputs({ a: 1 }, 'regions', [], ['a'])).toThrow('input a does not feed regions; regions reads no inputs');
  });
});
