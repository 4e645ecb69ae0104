import { describe, expect, it } from 'vitest';
import { numericColumnNames } from '../../../src/ui/cells/model-fields.ts';

describe('the model form offers numeric columns as features', () => {
  it('numbers of every kind, and not a duration, a list of numbers, text or a date', () => {
    const columns = [
      { name: 'customer_id', type: 'VARCHAR' },
      { name: 'orders', type: 'BIGINT' },
      { name: 'spend', type: 'DECIMAL(18,3)' },
      { name: 'share', type: 'DOUBLE' },
      { name: 'units', type: 'HUGEINT' },
      { name: 'gap', type: 'INTERVAL' },
      { name: 'basket', type: 'INTEGER[]' },
      { name: 'first_order', type: 'DATE' },
      { name: 'points', type: 'NUMERIC(10,2)' },
    ];
    expect(numericColumnNames(columns)).toEqual(['orders', 'spend', 'share', 'units', 'points']);
  });
});
