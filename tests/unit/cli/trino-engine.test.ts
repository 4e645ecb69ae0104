import { describe, expect, it } from 'vitest';
import { isTrinoEngine, parseTableBindings } from '../../../src/cli/trino-engine.ts';

describe('--table bindings', () => {
  it('binds notebook names to catalog tables', () => {
    expect(parseTableBindings(['sales=hive.retail.lines', 'orders=hive.shop.orders'])).toEqual({ sales: 'hive.retail.lines', orders: 'hive.shop.orders' });
  });

  it('names what is wrong', () => {
    expect(() => parseTableBindings(['sales=lines'])).toThrow('--table sales=lines: name the catalog table as catalog.schema.table');
    expect(() => parseTableBindings(['1st=hive.retail.lines'])).toThrow(/"1st" is not a table name/);
  });

  it('tells a Trino engine address', () => {
    expect(isTrinoEngine('trino://aisle@127.0.0.1:18080/hive/work')).toBe(true);
    expect(isTrinoEngine('wasm')).toBe(false);
  });
});
