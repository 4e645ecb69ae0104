import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { createEvaluator } from '../../../src/engine/evaluate/index.ts';
import { Scheduler } from '../../../src/engine/scheduler.ts';
import { listTables } from '../../../src/engine/catalog.ts';
import { buildReport } from '../../../src/engine/report.ts';
import { describeCellError } from '../../../src/engine/errors.ts';
import type { Cell, Notebook } from '../../../src/engine/notebook.ts';
import type { CellStates } from '../../../src/engine/status.ts';
import type { Database, ModelRunner } from '../../../src/engine/ports.ts';

let db: Database;
const ROWS = 1234;

beforeAll(async () => {
  db = await openNodeDatabase();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  // The loaded data as the app leaves it: the table, its canonical view and its clean table.
  await db.query(`CREATE OR REPLACE TABLE sales AS SELECT range AS invoice_id, range % 7 AS amount FROM range(${ROWS});
    CREATE OR REPLACE VIEW sales_canonical AS SELECT * FROM sales;
    CREATE OR REPLACE TABLE sales_clean AS SELECT * FROM sales WHERE amount > 0`);
});

const noModels: ModelRunner = { run: () => Promise.reject(new Error('no model runs in this test')) };

/** Run every cell of `cells` with `sales` loaded as data; the final states. */
async function runCells(cells: Cell[]): Promise<{ states: CellStates; byName: (name: string) => CellStates[string] | undefined }> {
  let states: CellStates = {};
  const scheduler = new Scheduler({ evaluate: createEvaluator(db, noModels), onStates: (next) => (states = next) });
  scheduler.update({ title: 't', data: {}, extra: {}, cells });
  scheduler.setDataTables(['sales']);
  await scheduler.runAll();
  const byName = (name: string) => states[cells.find((cell) => 'name' in cell && cell.name === name)!.id];
  return { states, byName };
}

const count = async (table: string): Promise<number> => Number((await db.query(`SELECT count(*)::INTEGER AS n FROM ${table}`)).getChild('n')?.get(0));
const sql = (name: string, source: string): Cell => ({ id: name, kind: 'sql', name, source });

describe('a SQL cell cannot change loaded data', () => {
  it('DROP TABLE IF EXISTS sales CASCADE is an error on the cell, and sales keeps every row', async () => {
    const { byName } = await runCells([sql('wipe', 'DROP TABLE IF EXISTS sales CASCADE')]);
    expect(byName('wipe')?.status).toBe('error');
    expect(byName('wipe')?.error).toEqual({ kind: 'read-only-data', table: 'sales', statement: 'DROP TABLE' });
    expect(await count('sales')).toBe(ROWS);
    expect(await count('sales_canonical')).toBe(ROWS);
  });

  it('nothing of a refused text runs: the SELECT before the DROP does not either', async () => {
    const { byName } = await runCells([sql('sneaky', 'SELECT 1 AS x; DELETE FROM main."SALES" WHERE amount < 3')]);
    expect(byName('sneaky')?.error?.kind).toBe('read-only-data');
    expect(await count('sales')).toBe(ROWS);
    await expect(db.query('SELECT * FROM sneaky')).rejects.toThrow(/sneaky/);
  });

  it('CREATE OR REPLACE of the clean table and UPDATE of the table are refused', async () => {
    const { byName } = await runCells([
      sql('replace_clean', 'CREATE OR REPLACE TABLE sales_clean AS SELECT 1 AS x'),
      sql('zero', 'UPDATE sales SET amount = 0'),
    ]);
    expect(byName('replace_clean')?.error).toEqual({ kind: 'read-only-data', table: 'sales_clean', statement: 'CREATE OR REPLACE TABLE' });
    expect(byName('zero')?.error?.kind).toBe('read-only-data');
    // By hand: amounts 0..6 repeat; 1234 = 176 * 7 + 2, so 176 + 1 rows have amount 0 (ranges 0 and 1232).
    expect(await count('sales_clean')).toBe(ROWS - 177);
    expect(await count('sales WHERE amount = 0')).toBe(177);
  });

  it('a cell that writes a new table from the data runs', async () => {
    const { byName } = await runCells([sql('setup', 'CREATE OR REPLACE TABLE sales_summary AS SELECT count(*)::INTEGER AS n FROM sales')]);
    expect(byName('setup')?.status).toBe('done');
    expect(await count('sales_summary')).toBe(1);
    expect((await db.query('SELECT n FROM sales_summary')).getChild('n')?.get(0)).toBe(ROWS);
  });
});

describe('cell names and data names are one namespace', () => {
  it('a cell named sales is an error and does not overwrite the data; readers of sales read the data', async () => {
    const { byName } = await runCells([sql('sales', 'SELECT 1 AS one'), sql('total', 'SELECT count(*)::INTEGER AS n FROM sales')]);
    expect(byName('sales')?.status).toBe('error');
    expect(describeCellError(byName('sales')!.error!)).toBe('"sales" is the name of loaded data; give this cell another name');
    expect(byName('total')?.status).toBe('done');
    expect((await db.query('SELECT n FROM total')).getChild('n')?.get(0)).toBe(ROWS);
    expect(await count('sales')).toBe(ROWS);
  });

  it('a model cell named like data is an error before its model runs', async () => {
    const { byName } = await runCells([{ id: 'm', kind: 'model', name: 'sales_canonical', source: '{ "model": "kmeans", "input": "sales" }' }]);
    expect(byName('sales_canonical')?.error).toEqual({ kind: 'data-name', name: 'sales_canonical', table: 'sales_canonical' });
    expect(await count('sales_canonical')).toBe(ROWS);
  });
});

describe('the list of tables', () => {
  it('leaves out a view whose table is gone instead of failing whole', async () => {
    await db.query('CREATE OR REPLACE TABLE doomed AS SELECT 1 AS x; CREATE OR REPLACE VIEW orphan AS SELECT * FROM doomed; DROP TABLE doomed');
    const names = (await listTables(db)).map((table) => table.name);
    expect(names).toContain('sales');
    expect(names).not.toContain('orphan');
    await db.query('DROP VIEW orphan');
  });
});

describe('the report lists loaded data only', () => {
  it('another notebook’s results are not listed under Data', async () => {
    await db.query('CREATE OR REPLACE TABLE top_customers AS SELECT 1 AS customer_id');
    const notebook: Notebook = { title: 'Tour', data: {}, extra: {}, cells: [] };
    const report = await buildReport({
      notebook,
      states: {},
      tables: await listTables(db),
      dataTables: ['sales'],
      db,
      drawChart: () => '',
      renderMarkdown: (source) => source,
      madeAt: new Date(2026, 0, 1),
    });
    expect(report.data).toEqual([
      { name: 'sales', rowCount: ROWS, columns: 2 },
      { name: 'sales_clean', rowCount: ROWS - 177, columns: 2 },
    ]);
  });
});
