import { describe, expect, it } from 'vitest';
import { isKeyword, isTrivia, isUnterminated, isWord, tokenize, type Token } from '../../../../src/engine/sql/tokenize.ts';
import { Rng } from '../../../../src/models/kit/random.ts';
import { CORPUS } from './corpus.ts';

/** `[kind, text]` of every token but whitespace: the shape most expectations below are written in. */
const shape = (sql: string): [Token['kind'], string][] =>
  tokenize(sql)
    .filter((token) => token.kind !== 'whitespace')
    .map((token) => [token.kind, token.text]);

const only = (sql: string): Token => {
  const tokens = tokenize(sql);
  expect(tokens).toHaveLength(1);
  const [token] = tokens;
  if (token === undefined) throw new Error('no token');
  return token;
};

/** The first token that breaks the tiling of `sql` (texts in order, offsets contiguous, none empty), if any. */
function coverFault(sql: string): string | undefined {
  let at = 0;
  for (const token of tokenize(sql)) {
    const { start, end, text } = token;
    if (start !== at || end !== start + text.length || text.length === 0 || sql.slice(start, end) !== text) {
      return `${JSON.stringify(sql)}: ${token.kind} ${JSON.stringify(text)} at ${start}-${end}, expected to start at ${at}`;
    }
    at = end;
  }
  return at === sql.length ? undefined : `${JSON.stringify(sql)}: tokens stop at ${at} of ${sql.length}`;
}

describe('tokenize', () => {
  it('splits a query into keywords, identifiers, punctuation, operators, numbers and strings', () => {
    expect(shape("SELECT a, b.c FROM t WHERE x >= 10 AND y = 'z';")).toEqual([
      ['keyword', 'SELECT'],
      ['identifier', 'a'],
      ['punctuation', ','],
      ['identifier', 'b'],
      ['punctuation', '.'],
      ['identifier', 'c'],
      ['keyword', 'FROM'],
      ['identifier', 't'],
      ['keyword', 'WHERE'],
      ['identifier', 'x'],
      ['operator', '>='],
      ['number', '10'],
      ['keyword', 'AND'],
      ['identifier', 'y'],
      ['operator', '='],
      ['string', "'z'"],
      ['punctuation', ';'],
    ]);
  });

  it('leaves out whitespace and comments when asked for { trivia: false }', () => {
    expect(tokenize('SELECT /* c */ 1 -- d\n, 2', { trivia: false }).map((token) => token.text)).toEqual(['SELECT', '1', ',', '2']);
    expect(tokenize('/* unclosed', { trivia: false })).toEqual([]);
  });

  it('gives every token its offsets, and keeps whitespace and comments as tokens', () => {
    const tokens = tokenize('SELECT  1 -- one\n');
    expect(tokens.map((token) => [token.kind, token.start, token.end])).toEqual([
      ['keyword', 0, 6],
      ['whitespace', 6, 8],
      ['number', 8, 9],
      ['whitespace', 9, 10],
      ['line-comment', 10, 16],
      ['whitespace', 16, 17],
    ]);
    expect(tokens.filter(isTrivia).map((token) => token.kind)).toEqual(['whitespace', 'whitespace', 'line-comment', 'whitespace']);
  });

  describe('words', () => {
    it('classifies DuckDB reserved and type/function-name keywords as keywords, case-insensitively', () => {
      expect(shape('select FROM Join lateral asof')).toEqual([
        ['keyword', 'select'],
        ['keyword', 'FROM'],
        ['keyword', 'Join'],
        ['keyword', 'lateral'],
        ['keyword', 'asof'],
      ]);
      expect(tokenize('sElEcT')[0]).toMatchObject({ kind: 'keyword', upper: 'SELECT' });
    });

    it('classifies unreserved keywords as identifiers, since they can name tables (FROM sample, FROM data)', () => {
      expect(shape('sample data values recursive year')).toEqual([
        ['identifier', 'sample'],
        ['identifier', 'data'],
        ['identifier', 'values'],
        ['identifier', 'recursive'],
        ['identifier', 'year'],
      ]);
      expect(isKeyword('Select')).toBe(true);
      expect(isKeyword('sample')).toBe(false);
    });

    it('matches bare words with isWord, never quoted ones', () => {
      const [bare, , quoted] = tokenize('recursive "RECURSIVE"');
      expect(isWord(bare, 'RECURSIVE')).toBe(true);
      expect(isWord(quoted, 'RECURSIVE')).toBe(false);
    });

    it('reads identifiers with digits, underscores, dollars and non-ASCII letters', () => {
      expect(shape('_t1 a$b café 日本')).toEqual([
        ['identifier', '_t1'],
        ['identifier', 'a$b'],
        ['identifier', 'café'],
        ['identifier', '日本'],
      ]);
    });
  });

  describe('quoted identifiers', () => {
    it('unescapes doubled quotes and keeps case, spaces and dots', () => {
      expect(only('"My ""odd"" T.x"')).toMatchObject({ kind: 'quoted-identifier', value: 'My "odd" T.x', unterminated: false });
    });

    it('flags an unclosed quoted identifier and runs it to the end', () => {
      const token = only('"abc def');
      expect(token).toMatchObject({ kind: 'quoted-identifier', value: 'abc def', unterminated: true });
      expect(isUnterminated(token)).toBe(true);
    });
  });

  describe('strings', () => {
    it("reads '' as an escaped quote", () => {
      expect(only("'it''s'")).toMatchObject({ kind: 'string', value: "it's", escape: false, unterminated: false });
    });

    it('treats a backslash as an ordinary character outside E-strings', () => {
      expect(only(String.raw`'a\'`)).toMatchObject({ kind: 'string', value: 'a\\', unterminated: false });
    });

    it('decodes backslash escapes in E-strings, either case of E', () => {
      expect(only(String.raw`E'it\'s\n\t\x41\101\u00e9\\'`)).toMatchObject({ kind: 'string', value: "it's\n\tAAé\\", escape: true });
      expect(only(String.raw`e'a\'b'`)).toMatchObject({ kind: 'string', value: "a'b", escape: true });
    });

    it('does not take the E of a longer word as a string prefix', () => {
      expect(shape("name'x'")).toEqual([
        ['identifier', 'name'],
        ['string', "'x'"],
      ]);
    });

    it('flags an unclosed string, including one whose last quote is escaped', () => {
      expect(only("'abc")).toMatchObject({ kind: 'string', value: 'abc', unterminated: true });
      expect(only("'abc''")).toMatchObject({ kind: 'string', unterminated: true });
      expect(only(String.raw`E'abc\'`)).toMatchObject({ kind: 'string', unterminated: true });
    });
  });

  describe('dollar quotes and parameters', () => {
    it('reads $$…$$ and $tag$…$tag$ strings, which may hold quotes and other dollars', () => {
      expect(only("$$it's $x$$")).toMatchObject({ kind: 'dollar-string', tag: '', value: "it's $x", unterminated: false });
      expect(only('$fn$ a $$ b $fn$')).toMatchObject({ kind: 'dollar-string', tag: 'fn', value: ' a $$ b ', unterminated: false });
      expect(only('$a$b$a$')).toMatchObject({ kind: 'dollar-string', tag: 'a', value: 'b' });
    });

    it('flags an unclosed dollar quote', () => {
      expect(only('$q$ never closed')).toMatchObject({ kind: 'dollar-string', tag: 'q', unterminated: true });
    });

    it('reads $name as a named parameter and $1, ?1 and ? as positional ones', () => {
      expect(shape('$min_amount $1 ?2 ?')).toEqual([
        ['named-parameter', '$min_amount'],
        ['positional-parameter', '$1'],
        ['positional-parameter', '?2'],
        ['positional-parameter', '?'],
      ]);
      expect(tokenize('$region')[0]).toMatchObject({ kind: 'named-parameter', name: 'region' });
      expect(tokenize('$12')[0]).toMatchObject({ kind: 'positional-parameter', index: 12 });
      expect(tokenize('?')[0]).toMatchObject({ kind: 'positional-parameter', index: undefined });
    });

    it('ends a parameter at the first character that cannot continue it', () => {
      expect(shape('$low::DOUBLE')).toEqual([
        ['named-parameter', '$low'],
        ['operator', '::'],
        ['identifier', 'DOUBLE'],
      ]);
    });

    it('leaves a lone $ as an unknown character', () => {
      expect(shape('$ 1')).toEqual([
        ['unknown', '$'],
        ['number', '1'],
      ]);
    });
  });

  describe('comments', () => {
    it('runs a line comment to the end of the line, not including it', () => {
      expect(shape('1 -- c FROM t\n2')).toEqual([
        ['number', '1'],
        ['line-comment', '-- c FROM t'],
        ['number', '2'],
      ]);
    });

    it('nests block comments', () => {
      expect(shape('/* a /* b */ c */ x')).toEqual([
        ['block-comment', '/* a /* b */ c */'],
        ['identifier', 'x'],
      ]);
    });

    it('flags an unclosed block comment, even one closed only at the inner level', () => {
      expect(only('/* a /* b */ c')).toMatchObject({ kind: 'block-comment', unterminated: true });
    });
  });

  describe('numbers', () => {
    it('reads integers, decimals, exponents, leading and trailing dots, underscores and hex', () => {
      expect(shape('42 3.14 .5 5. 1e-3 1.5E+3 1_000 0x1F')).toEqual([
        ['number', '42'],
        ['number', '3.14'],
        ['number', '.5'],
        ['number', '5.'],
        ['number', '1e-3'],
        ['number', '1.5E+3'],
        ['number', '1_000'],
        ['number', '0x1F'],
      ]);
    });

    it('leaves a malformed exponent or a range dot to the next token', () => {
      expect(shape('1e x')).toEqual([
        ['number', '1'],
        ['identifier', 'e'],
        ['identifier', 'x'],
      ]);
      expect(shape('l[1..2]').map(([, text]) => text)).toEqual(['l', '[', '1', '.', '.2', ']']);
    });
  });

  describe('operators and punctuation', () => {
    it('reads multi-character operators as one token', () => {
      const operators = ['::', '->', '->>', '<=', '>=', '<>', '!=', '||', '**', '//', '<<', '>>', '^@', '=>', ':=', '~~', '!~~'];
      expect(shape(operators.join(' '))).toEqual(operators.map((text) => ['operator', text]));
    });

    it('prefers the longest operator and splits what is not one', () => {
      expect(shape('a->>b<=c').map(([, text]) => text)).toEqual(['a', '->>', 'b', '<=', 'c']);
      expect(shape('1+-2').map(([, text]) => text)).toEqual(['1', '+', '-', '2']);
    });

    it('reads brackets, comma, semicolon and dot as punctuation', () => {
      expect(shape('([{,;.}])').every(([kind]) => kind === 'punctuation')).toBe(true);
    });

    it('reads an ASCII character DuckDB has no use for as unknown; any non-ASCII one belongs to a word, as in DuckDB', () => {
      expect(shape('`t` \\ 😀x')).toEqual([
        ['unknown', '`'],
        ['identifier', 't'],
        ['unknown', '`'],
        ['unknown', '\\'],
        ['identifier', '😀x'],
      ]);
    });
  });

  describe('covers its input exactly', () => {
    it('for every corpus query', () => {
      for (const { sql } of CORPUS) {
        expect(tokenize(sql).map((token) => token.text).join('')).toBe(sql);
        expect(coverFault(sql)).toBeUndefined();
      }
    });

    it('for random text drawn from the characters SQL gives meaning to, without throwing', () => {
      const alphabet = ["'", '"', '$', '-', '/', '*', '?', '.', 'e', 'E', '0', '1', 'x', '_', ' ', '\n', '(', ')', ':', '>', '<', '!', '\\', 'é', '😀', 'a', 'FROM '];
      const rng = new Rng(20_240_601, 'tokenize');
      for (let sample = 0; sample < 2_000; sample++) {
        const length = rng.integer(0, 40);
        let sql = '';
        for (let k = 0; k < length; k++) sql += alphabet[rng.integer(0, alphabet.length - 1)] ?? '';
        const fault = coverFault(sql);
        if (fault !== undefined) expect.fail(fault);
      }
    });

    it('for empty input, giving no tokens', () => {
      expect(tokenize('')).toEqual([]);
    });
  });
});
