import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../src/format/notebook-text.ts';
import { dropSchema, runOnDuckDb, runOnTrino, tableDifference, trinoServer, type EngineRun } from './compare.ts';
import { quoteIdent } from '../../src/util/sql.ts';

const SAMPLE = new URL('../../public/sample/online_retail_50k.parquet', import.meta.url).pathname;
const NOTEBOOKS = readdirSync(new URL('../../notebooks/', import.meta.url)).filter((file) => file.endsWith('.md')).sort();
trinoServer();

const report: Record<string, unknown> = {};
afterAll(() => {
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/engines.json', JSON.stringify(report, null, 2));
});

describe.each(NOTEBOOKS)('%s on DuckDB and on Trino', (file) => {
  it('gives the same tables', async () => {
    const notebook = parseNotebook(readFileSync(new URL(`../../notebooks/${file}`, import.meta.url), 'utf8'));
    const schema = `engines_${file.replace(/\W/g, '_').toLowerCase()}`;
    const duck = await runOnDuckDb(notebook, SAMPLE);
    let trino: EngineRun | undefined;
    try {
      trino = await runOnTrino(notebook, 'hive.retail.lines', schema);
      const compared: string[] = [];
      const differences: Record<string, string> = {};
      const trinoFailures: Record<string, string> = {};
      for (const name of ['sales_canonical', 'sales_clean']) {
        const difference = tableDifference(await duck.db.query(`SELECT * FROM ${name}`), await trino.db.query(`SELECT * FROM ${name}`));
        if (difference === undefined) compared.push(name);
        else differences[name] = difference;
      }
      for (const [name, state] of duck.cells) {
        const other = trino.cells.get(name);
        if (state.state !== 'done') continue;
        if (other?.state !== 'done') {
          trinoFailures[name] = other?.error ?? other?.state ?? 'missing';
          continue;
        }
        const hasTable = await duck.db.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = '${name}'`);
        if (Number(hasTable.get(0)?.n) === 0) continue;
        const difference = tableDifference(
          await duck.db.query(`SELECT * FROM ${quoteIdent(name)}`),
          await trino.db.query(`SELECT * FROM ${quoteIdent(name)}`),
        );
        if (difference === undefined) compared.push(name);
        else differences[name] = difference;
      }
      report[file] = { compared, differences, trinoFailures, duckdbMs: Math.round(duck.ms), trinoMs: Math.round(trino.ms) };
      console.log(file, JSON.stringify(report[file], null, 2));
      expect(differences).toEqual({});
    } finally {
      await duck.db.close();
      if (trino) await dropSchema(trino.db, schema);
    }
  });
});
