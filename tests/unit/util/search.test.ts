import { describe, expect, it } from 'vitest';
import { matchOptions } from '../../../src/util/search.ts';

const ids = ['85123A', '71053', '84406B', '85123', '22423'];
const labels = ['WHITE HANGING HEART T-LIGHT HOLDER', 'WHITE METAL LANTERN', 'CREAM CUPID HEARTS COAT HANGER', 'HEART OF WICKER SMALL', 'REGENCY CAKESTAND 3 TIER'];
const found = (query: string, limit = 10) => matchOptions(ids, labels, query, limit).map((m) => ids[m.index]);

describe('matchOptions', () => {
  it('puts an exact id first, then ids that start with the query', () => {
    expect(found('85123')).toEqual(['85123', '85123A']);
    expect(found('85123a')).toEqual(['85123A']);
  });

  it('matches words of the label in any order, as prefixes', () => {
    expect(found('heart holder')).toEqual(['85123A']);
    expect(found('white')).toEqual(['85123A', '71053']);
    // "heart" starts a word in three labels; "HEARTS" counts, as a prefix.
    expect(found('heart')).toEqual(['85123', '85123A', '84406B']);
  });

  it('falls back to a substring, then nothing', () => {
    expect(found('akestand')).toEqual(['22423']);
    expect(found('zebra')).toEqual([]);
  });

  it('lists everything for an empty query, in order, up to the limit', () => {
    expect(found('  ', 3)).toEqual(['85123A', '71053', '84406B']);
  });

  it('works without labels, on numbers too', () => {
    expect(matchOptions([12347, 12348, 13047], undefined, '1234', 10).map((m) => m.index)).toEqual([0, 1]);
  });
});
