import { describe, expect, it } from 'vitest';
import { quoteIdent, quoteLiteral, tableNameFromFile } from '../../../src/util/sql.ts';
import { plainDuckDbMessage } from '../../../src/util/errors.ts';

describe('sql quoting', () => {
  it('doubles embedded quotes', () => {
    expect(quoteIdent('my "t"')).toBe('"my ""t"""');
    expect(quoteLiteral("O'Neil")).toBe("'O''Neil'");
  });
});

describe('tableNameFromFile', () => {
  it.each([
    ['Online Retail (2011).csv', 'online_retail_2011'],
    ['/tmp/data/Sales.parquet', 'sales'],
    ['2011-sales.tsv', 't_2011_sales'],
    ['été.csv', 't'],
    ['.csv', 'data'],
  ])('%s → %s', (file, table) => {
    // 'été' keeps only the ASCII 't'; a name of nothing becomes 'data'
    expect(tableNameFromFile(file)).toBe(table);
  });
});

describe('plainDuckDbMessage', () => {
  it('reads the errors DuckDB sends as JSON', () => {
    const raw = '{"exception_type":"Parser","exception_message":"syntax error at or near \\")\\"","error_subtype":"SYNTAX_ERROR"}';
    expect(plainDuckDbMessage(raw)).toBe('Parser Error: syntax error at or near ")"');
  });

  it('drops the advice to install extensions, which Aisle never may', () => {
    const raw =
      'Catalog Error: Table Function with name "read_parquet" is not in the catalog, but it exists in the parquet extension.\n\nPlease try installing and loading the parquet extension by running:\nINSTALL parquet;';
    expect(plainDuckDbMessage(raw)).toBe(
      'Catalog Error: Table Function with name "read_parquet" is not in the catalog, but it exists in the parquet extension.',
    );
  });
});
