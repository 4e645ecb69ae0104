/**
 * A tokenizer for DuckDB SQL. Pure and total: every input, however broken, becomes tokens whose texts
 * concatenate back to the input; an unclosed string, identifier or comment is one token flagged `unterminated`.
 */

interface Span {
  readonly text: string;
  /** Offset of the first character in the source. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

/** One lexical token of DuckDB SQL, discriminated by `kind`. */
export type Token =
  | (Span & { readonly kind: 'whitespace' })
  | (Span & { readonly kind: 'line-comment' })
  | (Span & { readonly kind: 'block-comment'; readonly unterminated: boolean })
  /** `'it''s'` or `E'it\'s'`; `value` is the decoded text. */
  | (Span & { readonly kind: 'string'; readonly value: string; readonly escape: boolean; readonly unterminated: boolean })
  /** `$$…$$` or `$tag$…$tag$`. */
  | (Span & { readonly kind: 'dollar-string'; readonly tag: string; readonly value: string; readonly unterminated: boolean })
  /** `"My ""T"""`; `value` is the name without quotes (`My "T"`), case kept. */
  | (Span & { readonly kind: 'quoted-identifier'; readonly value: string; readonly unterminated: boolean })
  /** A reserved or type/function-name keyword (`SELECT`, `FROM`, `JOIN`, `LEFT`…); `upper` is its upper-case spelling. */
  | (Span & { readonly kind: 'keyword'; readonly upper: string })
  /** Any other bare word, unreserved keywords included (`sales`, `sample`, `values`, `recursive`). */
  | (Span & { readonly kind: 'identifier'; readonly upper: string })
  | (Span & { readonly kind: 'number' })
  /** `$region`; `name` is without the dollar. */
  | (Span & { readonly kind: 'named-parameter'; readonly name: string })
  /** `$1`, `?1` (index 1) or `?` (no index). */
  | (Span & { readonly kind: 'positional-parameter'; readonly index: number | undefined })
  /** `::`, `->>`, `<=`, `||`, `+`… */
  | (Span & { readonly kind: 'operator' })
  /** `( ) [ ] { } , ; .` */
  | (Span & { readonly kind: 'punctuation' })
  /** An ASCII character DuckDB has no use for (a backtick, a backslash, a stray `$`). */
  | (Span & { readonly kind: 'unknown' });

export type TokenKind = Token['kind'];

/**
 * DuckDB 1.4's reserved and type/function-name keywords (`SELECT keyword_name FROM duckdb_keywords()`), the words
 * that can never be a bare table or column name. Unreserved and column-name keywords tokenize as identifiers.
 */
const KEYWORDS: ReadonlySet<string> = new Set(
  (
    'ALL ANALYSE ANALYZE AND ANY ARRAY AS ASC ASYMMETRIC BOTH CASE CAST CHECK COLLATE COLUMN CONSTRAINT CREATE DEFAULT ' +
    'DEFERRABLE DESC DESCRIBE DISTINCT DO ELSE END EXCEPT FALSE FETCH FOR FOREIGN FROM GROUP HAVING IN INITIALLY INTERSECT ' +
    'INTO LAMBDA LATERAL LEADING LIMIT NOT NULL OFFSET ON ONLY OR ORDER PIVOT PIVOT_LONGER PIVOT_WIDER PLACING PRIMARY ' +
    'QUALIFY REFERENCES RETURNING SELECT SHOW SOME SUMMARIZE SYMMETRIC TABLE THEN TO TRAILING TRUE UNION UNIQUE UNPIVOT ' +
    'USING VARIADIC WHEN WHERE WINDOW WITH ' +
    'ANTI ASOF AT AUTHORIZATION BINARY BY COLLATION COLUMNS CONCURRENTLY CROSS FREEZE FULL GENERATED GLOB ILIKE INNER IS ' +
    'ISNULL JOIN LEFT LIKE MAP NATURAL NOTNULL OUTER OVERLAPS POSITIONAL RIGHT SEMI SIMILAR STRUCT TABLESAMPLE TRY_CAST ' +
    'UNPACK VERBOSE'
  ).split(' '),
);

/** Operators by their first character, longest first so the first match is the longest (`->>` before `->`). */
const OPERATORS: ReadonlyMap<string, readonly string[]> = (() => {
  const multi = ['!~~*', '->>', '!~~', '~~*', '~~~', '<->', '::', '->', '<=', '>=', '<>', '!=', '==', '||', '**', '//', '<<', '>>', '@>', '<@', '&&', '^@', ':=', '=>', '~~', '!~'];
  const byFirst = new Map<string, string[]>();
  for (const operator of [...multi, ...'+-*/%^=<>!~@#&|:']) {
    const first = operator[0] ?? '';
    byFirst.set(first, [...(byFirst.get(first) ?? []), operator]);
  }
  return byFirst;
})();
const PUNCTUATION = '()[]{},;.';

/** True if `word` (any case) is a keyword DuckDB reserves: `isKeyword('select')` → true, `isKeyword('sample')` → false. */
export function isKeyword(word: string): boolean {
  return KEYWORDS.has(word.toUpperCase());
}

/**
 * Split DuckDB SQL into tokens, trivia (whitespace and comments) included unless `{ trivia: false }`; never throws.
 * `tokenize("SELECT 'a' -- c").map((t) => t.kind)` → `['keyword', 'whitespace', 'string', 'whitespace', 'line-comment']`.
 */
export function tokenize(sql: string, options: { readonly trivia?: boolean } = {}): Token[] {
  const keepTrivia = options.trivia ?? true;
  const tokens: Token[] = [];
  let at = 0;
  while (at < sql.length) {
    if (!keepTrivia) {
      const past = skipTrivia(sql, at);
      if (past > at) {
        at = past;
        continue;
      }
    }
    const token = next(sql, at);
    tokens.push(token);
    at = token.end;
  }
  return tokens;
}

/** Whitespace and comments: tokens that never change what a query means. */
export function isTrivia(token: Token): boolean {
  return token.kind === 'whitespace' || token.kind === 'line-comment' || token.kind === 'block-comment';
}

/** True for a bare word spelled `upper` in any case: `isWord(token, 'RECURSIVE')`. Quoted identifiers never match. */
export function isWord(token: Token | undefined, upper: string): boolean {
  return token !== undefined && (token.kind === 'keyword' || token.kind === 'identifier') && token.upper === upper;
}

/** The upper-case spelling of a bare word (keyword or identifier), else undefined. */
export function wordOf(token: Token | undefined): string | undefined {
  return token !== undefined && (token.kind === 'keyword' || token.kind === 'identifier') ? token.upper : undefined;
}

/** True for a string, identifier or comment token left open at the end of the input. */
export function isUnterminated(token: Token): boolean {
  switch (token.kind) {
    case 'block-comment':
    case 'string':
    case 'dollar-string':
    case 'quoted-identifier':
      return token.unterminated;
    default:
      return false;
  }
}

const code = (sql: string, at: number): number => sql.charCodeAt(at); // NaN past the end: every test below is false
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || (c >= 128 && /\s/.test(String.fromCharCode(c)));
const isWordStart = (c: number): boolean => isAsciiLetter(c) || c === 95 || (c >= 128 && !isSpace(c));
/** Characters that continue a bare word; DuckDB, like PostgreSQL, allows `$` inside one (`a$b`). */
const isWordPart = (c: number): boolean => isWordStart(c) || isDigit(c) || c === 36;
/** Characters of a `$name` parameter or a `$tag$` (no `$`, which ends the tag). */
const isTagPart = (c: number): boolean => isWordStart(c) || isDigit(c);

/** The offset past the whitespace or comment at `at`, or `at` if there is none. */
function skipTrivia(sql: string, at: number): number {
  const c = code(sql, at);
  if (isSpace(c)) return whitespaceEnd(sql, at);
  if (c === 45 && code(sql, at + 1) === 45) return lineCommentEnd(sql, at);
  if (c === 47 && code(sql, at + 1) === 42) return blockCommentEnd(sql, at).end;
  return at;
}

function next(sql: string, at: number): Token {
  const c = code(sql, at);
  if (isSpace(c)) {
    const end = whitespaceEnd(sql, at);
    return { kind: 'whitespace', text: sql.slice(at, end), start: at, end };
  }
  if (c === 45 && code(sql, at + 1) === 45) {
    const end = lineCommentEnd(sql, at);
    return { kind: 'line-comment', text: sql.slice(at, end), start: at, end };
  }
  if (c === 47 && code(sql, at + 1) === 42) {
    const { end, unterminated } = blockCommentEnd(sql, at);
    return { kind: 'block-comment', unterminated, text: sql.slice(at, end), start: at, end };
  }
  if (c === 39) return quoted(sql, at, at, false);
  if (c === 34) return quotedIdentifier(sql, at);
  if (c === 36) return dollar(sql, at);
  if (isDigit(c) || (c === 46 && isDigit(code(sql, at + 1)))) return number(sql, at);
  if (isWordStart(c)) {
    if ((c === 69 || c === 101) && code(sql, at + 1) === 39) return quoted(sql, at, at + 1, true);
    let end = at + 1;
    while (isWordPart(code(sql, end))) end++;
    const text = sql.slice(at, end);
    const upper = text.toUpperCase();
    return KEYWORDS.has(upper) ? { kind: 'keyword', upper, text, start: at, end } : { kind: 'identifier', upper, text, start: at, end };
  }
  if (c === 63) {
    let end = at + 1;
    while (isDigit(code(sql, end))) end++;
    const index = end > at + 1 ? Number(sql.slice(at + 1, end)) : undefined;
    return { kind: 'positional-parameter', index, text: sql.slice(at, end), start: at, end };
  }
  const char = sql[at] ?? '';
  if (PUNCTUATION.includes(char)) return { kind: 'punctuation', text: char, start: at, end: at + 1 };
  for (const operator of OPERATORS.get(char) ?? []) {
    if (sql.startsWith(operator, at)) return { kind: 'operator', text: operator, start: at, end: at + operator.length };
  }
  // Only ASCII gets here: every other character is whitespace or, as in DuckDB's scanner, part of a word.
  return { kind: 'unknown', text: char, start: at, end: at + 1 };
}

function whitespaceEnd(sql: string, at: number): number {
  let end = at + 1;
  while (isSpace(code(sql, end))) end++;
  return end;
}

/** A `--` comment runs to the end of its line, the line break not included. */
function lineCommentEnd(sql: string, at: number): number {
  let end = at + 2;
  while (end < sql.length && code(sql, end) !== 10 && code(sql, end) !== 13) end++;
  return end;
}

/** `/* … *\/`, nested as in DuckDB: `/* a /* b *\/ c *\/` is one comment. */
function blockCommentEnd(sql: string, at: number): { end: number; unterminated: boolean } {
  let depth = 1;
  let end = at + 2;
  while (end < sql.length && depth > 0) {
    if (code(sql, end) === 47 && code(sql, end + 1) === 42) {
      depth++;
      end += 2;
    } else if (code(sql, end) === 42 && code(sql, end + 1) === 47) {
      depth--;
      end += 2;
    } else {
      end++;
    }
  }
  return { end, unterminated: depth > 0 };
}

/** A single-quoted string from `start` (the `E` of `E'…'` or the quote); `quote` is the opening quote's offset. */
function quoted(sql: string, start: number, quote: number, escape: boolean): Token {
  let value = '';
  let end = quote + 1;
  if (!escape) {
    for (;;) {
      const close = sql.indexOf("'", end);
      if (close === -1) {
        value += sql.slice(end);
        return { kind: 'string', value, escape, unterminated: true, text: sql.slice(start), start, end: sql.length };
      }
      value += sql.slice(end, close);
      if (code(sql, close + 1) !== 39) {
        end = close + 1;
        return { kind: 'string', value, escape, unterminated: false, text: sql.slice(start, end), start, end };
      }
      value += "'";
      end = close + 2;
    }
  }
  for (;;) {
    if (end >= sql.length) {
      return { kind: 'string', value, escape, unterminated: true, text: sql.slice(start), start, end: sql.length };
    }
    const c = code(sql, end);
    if (c === 39) {
      if (code(sql, end + 1) !== 39) break;
      value += "'";
      end += 2;
    } else if (c === 92 && escape) {
      const decoded = backslashEscape(sql, end);
      value += decoded.value;
      end = decoded.end;
    } else {
      value += sql[end];
      end++;
    }
  }
  end++;
  return { kind: 'string', value, escape, unterminated: false, text: sql.slice(start, end), start, end };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** One backslash escape of an `E'…'` string (PostgreSQL's set: `\n`, `\x41`, `\101`, `\u0041`, `\U00000041`, `\'`). */
function backslashEscape(sql: string, at: number): { value: string; end: number } {
  const letter = sql[at + 1];
  if (letter === undefined) return { value: '\\', end: at + 1 };
  const simple = SIMPLE_ESCAPES[letter];
  if (simple !== undefined) return { value: simple, end: at + 2 };
  const digits = (from: number, max: number, test: (c: number) => boolean): number => {
    let end = from;
    while (end - from < max && test(code(sql, end))) end++;
    return end;
  };
  const radixEscape = (from: number, end: number, radix: number): { value: string; end: number } | undefined => {
    if (end === from) return undefined;
    const point = Number.parseInt(sql.slice(from, end), radix);
    return point <= 0x10ffff ? { value: String.fromCodePoint(point), end } : undefined;
  };
  const isOctal = (c: number): boolean => c >= 48 && c <= 55;
  const numeric =
    letter === 'x'
      ? radixEscape(at + 2, digits(at + 2, 2, isHexDigit), 16)
      : letter === 'u'
        ? radixEscape(at + 2, digits(at + 2, 4, isHexDigit), 16)
        : letter === 'U'
          ? radixEscape(at + 2, digits(at + 2, 8, isHexDigit), 16)
          : isOctal(code(sql, at + 1))
            ? radixEscape(at + 1, digits(at + 1, 3, isOctal), 8)
            : undefined;
  return numeric ?? { value: letter, end: at + 2 };
}

function quotedIdentifier(sql: string, at: number): Token {
  let value = '';
  let end = at + 1;
  for (;;) {
    const close = sql.indexOf('"', end);
    if (close === -1) {
      value += sql.slice(end);
      return { kind: 'quoted-identifier', value, unterminated: true, text: sql.slice(at), start: at, end: sql.length };
    }
    value += sql.slice(end, close);
    if (code(sql, close + 1) !== 34) {
      end = close + 1;
      break;
    }
    value += '"';
    end = close + 2;
  }
  return { kind: 'quoted-identifier', value, unterminated: false, text: sql.slice(at, end), start: at, end };
}

/** `$1` (positional), `$name` (named), `$$…$$` or `$tag$…$tag$` (dollar-quoted string), else a lone `$`. */
function dollar(sql: string, at: number): Token {
  if (isDigit(code(sql, at + 1))) {
    let end = at + 2;
    while (isDigit(code(sql, end))) end++;
    return { kind: 'positional-parameter', index: Number(sql.slice(at + 1, end)), text: sql.slice(at, end), start: at, end };
  }
  let tagEnd = at + 1;
  if (isWordStart(code(sql, tagEnd))) {
    while (isTagPart(code(sql, tagEnd))) tagEnd++;
  }
  if (code(sql, tagEnd) === 36) {
    const tag = sql.slice(at + 1, tagEnd);
    const delimiter = `$${tag}$`;
    const bodyStart = tagEnd + 1;
    const close = sql.indexOf(delimiter, bodyStart);
    const unterminated = close === -1;
    const end = unterminated ? sql.length : close + delimiter.length;
    const value = sql.slice(bodyStart, unterminated ? sql.length : close);
    return { kind: 'dollar-string', tag, value, unterminated, text: sql.slice(at, end), start: at, end };
  }
  if (tagEnd > at + 1) return { kind: 'named-parameter', name: sql.slice(at + 1, tagEnd), text: sql.slice(at, tagEnd), start: at, end: tagEnd };
  return { kind: 'unknown', text: '$', start: at, end: at + 1 };
}

/** `42`, `1_000`, `3.14`, `.5`, `5.`, `1e-3`, `0x1F`. A malformed tail (`1e`) is left for the next token. */
function number(sql: string, at: number): Token {
  let end = at;
  const digitRun = (): void => {
    while (isDigit(code(sql, end)) || (code(sql, end) === 95 && isDigit(code(sql, end + 1)))) end++;
  };
  if (code(sql, at) === 48 && (code(sql, at + 1) | 32) === 120 && isHexDigit(code(sql, at + 2))) {
    end = at + 2;
    while (isHexDigit(code(sql, end)) || (code(sql, end) === 95 && isHexDigit(code(sql, end + 1)))) end++;
    return { kind: 'number', text: sql.slice(at, end), start: at, end };
  }
  digitRun();
  // `1..2` is not a decimal; a single dot after the integer part is (`5.` is 5.0).
  if (code(sql, end) === 46 && code(sql, end + 1) !== 46) {
    end++;
    digitRun();
  }
  if ((code(sql, end) | 32) === 101) {
    const sign = code(sql, end + 1) === 43 || code(sql, end + 1) === 45 ? 1 : 0;
    if (isDigit(code(sql, end + 1 + sign))) {
      end += 1 + sign;
      digitRun();
    }
  }
  return { kind: 'number', text: sql.slice(at, end), start: at, end };
}
