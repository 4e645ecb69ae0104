import { tableFromArrays, type Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { listTables } from '../../../src/engine/catalog.ts';
import { fetchPage } from '../../../src/engine/result-page.ts';
import type { Database } from '../../../src/engine/ports.ts';
import type { DialectName } from '../../../src/util/dialect/index.ts';
import { withServerMeta } from '../../../src/cli/serve-app.ts';

/** A database that records the SQL it is sent and answers every query with `answer`. */
function recording(dialect: DialectName | undefined, answer: (sql: string) => Table): { db: Database; sent: string[] } {
  const sent: string[] = [];
  const fail = () => Promise.reject(new Error('not used here'));
  const db: Database = {
    ...(dialect === undefined ? {} : { dialect }),
    query: async (sql) => (sent.push(sql), answer(sql)),
    registerFile: fail,
    dropFile: fail,
    insertArrowIpc: fail,
    exportCsv: fail,
    exportArrowIpc: fail,
    close: async () => {},
  };
  return { db, sent };
}

const columns = [
  { name: 'amount', type: 'DOUBLE' },
  { name: 'invoice_date', type: 'TIMESTAMP' },
  { name: 'country', type: 'VARCHAR' },
];
const page = () => tableFromArrays({ c0: ['1.5'], c1: ['2011-01-01 08:00:00'], c2: ['France'] });

describe('the SQL the page writes itself, on a Trino engine', () => {
  it('pages a table with OFFSET before LIMIT, no rowid, Trino\'s own functions for floats and timestamps', async () => {
    const { db, sent } = recording('trino', page);
    await fetchPage(db, { name: 'sales_clean', kind: 'table' }, columns, { offset: 50, limit: 25, sort: { column: 'amount', descending: true } });
    expect(sent).toEqual([
      `SELECT format('%.10g', "amount") AS c0, regexp_replace(CAST("invoice_date" AS VARCHAR), '\\.0+$', '') AS c1, CAST("country" AS VARCHAR) AS c2 FROM "sales_clean" ORDER BY "amount" DESC NULLS LAST OFFSET 50 LIMIT 25`,
    ]);
  });

  it('pages a table on DuckDB as before', async () => {
    const { db, sent } = recording(undefined, page);
    await fetchPage(db, { name: 'sales_clean', kind: 'table' }, columns, { offset: 50, limit: 25, sort: { column: 'amount', descending: true } });
    expect(sent).toEqual([
      `SELECT printf('%.10g', "amount") AS c0, CAST("invoice_date" AS VARCHAR) AS c1, CAST("country" AS VARCHAR) AS c2 FROM "sales_clean" ORDER BY "amount" DESC NULLS LAST, rowid LIMIT 25 OFFSET 50`,
    ]);
  });

  it('lists the tables of the work schema (current_schema), not DuckDB\'s main', async () => {
    const { db, sent } = recording('trino', (sql) =>
      sql.includes('information_schema.tables')
        ? tableFromArrays({ name: ['sales'], type: ['VIEW'] })
        : tableFromArrays({ column_name: ['country'], column_type: ['VARCHAR'], n: Float64Array.from([50_000]) }),
    );
    expect(await listTables(db)).toEqual([{ name: 'sales', kind: 'view', columns: [{ name: 'country', type: 'VARCHAR' }], rowCount: 50_000 }]);
    expect(sent[0]).toContain('WHERE table_schema = current_schema AND NOT starts_with(table_name, \'__aisle\')');
    expect(sent[0]).not.toContain('current_database()');
  });
});

describe('the page served on a Trino engine', () => {
  it('is told the engine, its dialect and the tables bound on the server', () => {
    const html = withServerMeta('<html><head></head></html>', { label: 'Trino 127.0.0.1:8080/hive/work', native: false, dialect: 'trino', catalogTables: ['sales'] });
    const content = /content="([^"]*)"/.exec(html)?.[1]?.replaceAll('&quot;', '"');
    expect(JSON.parse(content ?? '{}')).toEqual({ engine: 'Trino 127.0.0.1:8080/hive/work', native: false, dialect: 'trino', catalogTables: ['sales'] });
  });
});
