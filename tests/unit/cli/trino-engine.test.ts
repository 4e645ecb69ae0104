import { describe, expect, it } from 'vitest';
import { isTrinoEngine, parseTableBindings } from '../../../src/cli/trino-engine.ts';
import { UsageError } from '../../../src/cli/arguments.ts';
import { parseArguments } from '../../../src/cli/main.ts';
import { runNotebook, RunSetupError } from '../../../src/cli/run.ts';

const CLUSTER = 'trino://aisle@127.0.0.1:18080/hive/work';

describe('--table bindings', () => {
  it('binds notebook names to catalog tables', () => {
    expect(parseTableBindings(['sales=hive.retail.lines', 'orders=hive.shop.orders'])).toEqual({ sales: 'hive.retail.lines', orders: 'hive.shop.orders' });
  });

  it('names what is wrong', () => {
    expect(() => parseTableBindings(['sales=lines'])).toThrow('--table sales=lines: name the catalog table as catalog.schema.table');
    expect(() => parseTableBindings(['1st=hive.retail.lines'])).toThrow(/"1st" is not a table name/);
    expect(() => parseTableBindings(['sales=hive.a.b', 'sales=hive.a.c'])).toThrow('--table sales is given twice');
    expect(() => parseTableBindings(['hive.retail.lines'])).toThrow(UsageError);
  });

  it('tells a Trino engine address', () => {
    expect(isTrinoEngine(CLUSTER)).toBe(true);
    expect(isTrinoEngine('wasm')).toBe(false);
  });
});

describe('aisle run --engine trino://…', () => {
  it('reads the cluster and its table bindings', () => {
    const args = parseArguments(['run', 'n.md', '--engine', CLUSTER, '--table', 'sales=hive.retail.lines']);
    expect(args).toMatchObject({ notebookPath: 'n.md', trino: { url: CLUSTER, tables: { sales: 'hive.retail.lines' } } });
  });

  it('refuses --data with a Trino engine and --table without one', () => {
    expect(() => parseArguments(['run', 'n.md', '--engine', CLUSTER, '--data', 'sales=a.parquet'])).toThrow(/--data uploads a file, which a Trino engine does not/);
    expect(() => parseArguments(['run', 'n.md', '--table', 'sales=hive.retail.lines'])).toThrow(/give --engine trino:\/\//);
    expect(() => parseArguments(['run', 'n.md', '--engine', 'spark://x'])).toThrow(/--engine must be auto, native, wasm or trino:\/\//);
  });

  it('names a table the notebook loads that no --table binds, before connecting', async () => {
    const notebook = new URL('../../../notebooks/retail-tour.md', import.meta.url).pathname;
    const run = runNotebook({ notebookPath: notebook, trino: { url: 'trino://aisle@127.0.0.1:1/hive/none', tables: {} } });
    await expect(run).rejects.toThrow(RunSetupError);
    await expect(run).rejects.toThrow('the notebook loads sales; on a Trino engine bind each with --table sales=catalog.schema.table');
  });
});
