import { describe, expect, it } from 'vitest';
import { bindParameters, sqlReads, UnknownParameterError, type SqlReads, type TableReference } from '../../../../src/engine/sql/references.ts';
import { tokenize } from '../../../../src/engine/sql/tokenize.ts';
import { Rng } from '../../../../src/models/kit/random.ts';
import { quoteIdent } from '../../../../src/util/sql.ts';
import { CORPUS } from './corpus.ts';

/** A reference as the corpus writes it: `schema.name`, a part that is not a plain word quoted (`"My Schema".T`). */
function written(reference: TableReference): string {
  return [reference.catalog, reference.schema, reference.name]
    .filter((part): part is string => part !== undefined)
    .map((part) => (/^[\p{L}_][\p{L}\p{N}_$]*$/u.test(part) ? part : quoteIdent(part)))
    .join('.');
}

/** What the corpus compares: names only, so texts that differ in blanks and comments compare equal. */
function summary(reads: SqlReads): { reads: string[]; writes: string[]; parameters: readonly string[] } {
  return { reads: reads.tables.map(written), writes: reads.writes.map(written), parameters: reads.parameters };
}

const readNames = (sql: string): string[] => sqlReads(sql).tables.map(written);

describe('sqlReads: the corpus of tricky queries', () => {
  it('has at least 60 cases, each with a note', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    for (const entry of CORPUS) expect(entry.note.length).toBeGreaterThan(0);
  });

  for (const entry of CORPUS) {
    it(`${entry.note} — ${entry.sql.replace(/\s+/g, ' ').slice(0, 80)}`, () => {
      expect(summary(sqlReads(entry.sql))).toEqual({
        reads: entry.reads,
        writes: entry.writes ?? [],
        parameters: entry.parameters ?? [],
      });
    });
  }
});

describe('sqlReads: references', () => {
  it('gives name, schema and catalog of a qualified name, unquoted, with the offsets of the whole name', () => {
    const sql = 'SELECT * FROM memory."My Schema"."T ""1""" x, main.sales, sales';
    const [full, schemaQualified, bare] = sqlReads(sql).tables;
    expect(full).toEqual({ name: 'T "1"', schema: 'My Schema', catalog: 'memory', start: 14, end: 42 });
    expect(sql.slice(full?.start, full?.end)).toBe('memory."My Schema"."T ""1"""');
    expect(schemaQualified).toEqual({ name: 'sales', schema: 'main', start: 46, end: 56 });
    expect(bare).toEqual({ name: 'sales', start: 58, end: 63 });
  });

  it('lists each occurrence, in source order', () => {
    expect(readNames('SELECT (SELECT 1 FROM b) FROM a JOIN b USING (id) WHERE EXISTS (FROM a)')).toEqual(['b', 'a', 'b', 'a']);
  });

  it('returns names as written; DuckDB resolves them case-insensitively, and so must the caller', () => {
    expect(readNames('SELECT * FROM SALES, Sales, "SaLeS"')).toEqual(['SALES', 'Sales', 'SaLeS']);
  });

  it('shadows a CTE case-insensitively, quoted or not', () => {
    expect(readNames('WITH Totals AS (SELECT 1) SELECT * FROM TOTALS, "totals"')).toEqual([]);
  });

  it('keeps reading relations before and after SQL it cannot follow', () => {
    expect(readNames("SELECT * FROM a WHERE x = 'unclosed FROM b")).toEqual(['a']);
    expect(readNames('SELECT * FROM a JOIN (SELECT * FROM b')).toEqual(['a', 'b']);
    expect(readNames('SELECT * FROM a)) ;; SELECT * FROM b')).toEqual(['a', 'b']);
    expect(readNames('FROM')).toEqual([]);
    expect(readNames('WITH')).toEqual([]);
    expect(readNames('WITH a AS (SELECT * FROM b')).toEqual(['b']);
  });

  it('never throws, on any prefix of any corpus query', () => {
    for (const { sql } of CORPUS) {
      for (let end = 0; end <= sql.length; end++) expect(() => sqlReads(sql.slice(0, end))).not.toThrow();
    }
  });

  it('survives pathological nesting without overflowing the stack', () => {
    const depth = 20_000;
    const sql = `SELECT ${'('.repeat(depth)}SELECT 1 FROM t${')'.repeat(depth)} FROM u`;
    expect(readNames(sql)).toContain('u');
  });
});

describe('sqlReads: the result does not depend on blanks and comments', () => {
  const fillers = [' ', '\n\t', ' /* FROM fake */ ', ' -- FROM fake\n', '  /* a /* nested */ b */\n'];

  /** The SQL with random blanks and comments between its tokens (never inside one). */
  function sprinkle(sql: string, rng: Rng): string {
    const tokens = tokenize(sql);
    let result = '';
    tokens.forEach((token, index) => {
      result += token.text;
      if (index < tokens.length - 1 && rng.chance(0.5)) result += fillers[rng.integer(0, fillers.length - 1)] ?? '';
    });
    return result;
  }

  it('for every corpus query, with blanks and comments sprinkled between tokens', () => {
    const rng = new Rng(7, 'sprinkle');
    for (const { sql } of CORPUS) {
      const expected = summary(sqlReads(sql));
      for (let trial = 0; trial < 5; trial++) {
        const sprinkled = sprinkle(sql, rng);
        expect(summary(sqlReads(sprinkled)), sprinkled).toEqual(expected);
      }
    }
  });

  it('and the offsets still point at the names', () => {
    const rng = new Rng(8, 'offsets');
    for (const { sql } of CORPUS) {
      const sprinkled = sprinkle(sql, rng);
      for (const reference of sqlReads(sprinkled).tables) {
        const text = sprinkled.slice(reference.start, reference.end);
        expect(text.endsWith(reference.name) || text.endsWith(quoteIdent(reference.name)), text).toBe(true);
      }
    }
  });
});

describe('sqlReads: a long query', () => {
  it('reads every table of a 5 KB union and its one parameter (its speed is measured in bench/, not here)', () => {
    const parts: string[] = [];
    for (let k = 0; parts.join(' UNION ALL ').length < 5_000; k++) {
      parts.push(
        `SELECT c.customer_id, sum(s.amount) AS total_${k} FROM sales_${k} s JOIN customers c USING (customer_id) ` +
          `WHERE s.invoice_date >= $since AND c.country IN (SELECT country FROM markets WHERE active) /* note ${k} */ GROUP BY ALL`,
      );
    }
    const sql = `WITH m AS (SELECT * FROM markets) ${parts.join(' UNION ALL ')}`;
    expect(sql.length).toBeGreaterThanOrEqual(5_000);
    const reads = sqlReads(sql);
    const names = new Set(reads.tables.map((table) => table.name));
    expect(names).toEqual(new Set(['markets', 'customers', ...parts.map((_, k) => `sales_${k}`)]));
    expect(reads.parameters).toEqual(['since']);
  });
});

describe('bindParameters', () => {
  it('rewrites $names to positional $k by first appearance, reusing $k for a repeated name', () => {
    const bound = bindParameters('SELECT * FROM sales WHERE country = $country AND amount > $min OR country = $country', ['min', 'country']);
    expect(bound).toEqual({ sql: 'SELECT * FROM sales WHERE country = $1 AND amount > $2 OR country = $1', order: ['country', 'min'] });
  });

  it('leaves strings, comments, dollar quotes and everything else byte for byte', () => {
    const sql = "SELECT '$country', $$ $country $$, E'\\'$min' /* $min */ , $min::DOUBLE -- $country\n FROM t";
    expect(bindParameters(sql, ['country', 'min'])).toEqual({
      sql: "SELECT '$country', $$ $country $$, E'\\'$min' /* $min */ , $1::DOUBLE -- $country\n FROM t",
      order: ['min'],
    });
  });

  it('returns SQL without parameters unchanged', () => {
    const sql = 'SELECT 1 -- nothing to bind';
    expect(bindParameters(sql, ['a'])).toEqual({ sql, order: [] });
  });

  it('matches a name case-insensitively when there is no exact match, and reports it as spelled in names', () => {
    expect(bindParameters('SELECT $Region, $region', ['region'])).toEqual({ sql: 'SELECT $1, $1', order: ['region'] });
  });

  it('names an unknown parameter and suggests the closest known one', () => {
    const error = (() => {
      try {
        bindParameters('SELECT * FROM sales WHERE country = $contry', ['country', 'min_amount']);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnknownParameterError);
    expect((error as UnknownParameterError).message).toBe('unknown parameter $contry (did you mean $country?)');
    expect((error as UnknownParameterError).parameter).toBe('contry');
    expect((error as UnknownParameterError).suggestion).toBe('country');
  });

  it('lists the known names when none is close, and says when there are none', () => {
    expect(() => bindParameters('SELECT $zzz', ['country', 'min_amount'])).toThrow('unknown parameter $zzz (known: $country, $min_amount)');
    expect(() => bindParameters('SELECT $zzz', [])).toThrow('unknown parameter $zzz (no parameters are defined)');
  });

  it('refuses SQL that mixes $names with positional parameters, whose numbers would clash', () => {
    expect(() => bindParameters('SELECT $a, $1', ['a'])).toThrow(/positional parameter \$1/);
    expect(() => bindParameters('SELECT ?, $a', ['a'])).toThrow(/positional parameter \?/);
  });

  it('finds the same parameters as sqlReads, in the same order', () => {
    for (const { sql, parameters } of CORPUS) {
      if (parameters === undefined) continue;
      const names = [...parameters].reverse();
      const positional = tokenize(sql).some((token) => token.kind === 'positional-parameter');
      if (positional) expect(() => bindParameters(sql, names)).toThrow(/positional/);
      else expect(bindParameters(sql, names).order).toEqual(sqlReads(sql).parameters);
    }
  });
});
