import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunSetupError, runNotebook } from '../../../src/cli/run.ts';
import { USAGE, main, parseArguments } from '../../../src/cli/main.ts';

// MovieLens u.data layout, aligned with runs of spaces: user item rating timestamp. Ratings by hand: 3+3+1+2+5 = 14.
const RATINGS = '196  242 3 881250949\n186  302 3 891717742\n 22  377 1 878887116\n244   51 2 880606923\n253  465 5 891628467\n';
const ratingsBook = (data: string) =>
  `---\naisle: 1\ntitle: Ratings\ndata:\n${data}\n---\n\n\`\`\`sql totals\nSELECT count(*)::INTEGER AS n, sum(${'$COL'})::INTEGER AS total FROM ratings\n\`\`\`\n`;

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'aisle-cli-data-'));
  await writeFile(join(workDir, 'u.data'), RATINGS);
  await writeFile(join(workDir, 'baskets.txt'), 'milk,bread\nmilk\nbread,eggs,milk\n');
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

type RunMore = Omit<Parameters<typeof runNotebook>[0], 'notebookPath' | 'outDir'>;

/** Run the notebook; its summary and the `totals` cell's CSV as written. */
async function totals(book: string, column: string, options: RunMore = {}) {
  const name = Math.random().toString(36).slice(2);
  const path = join(workDir, `${name}.md`);
  await writeFile(path, book.replace('$COL', column));
  const outDir = join(workDir, `out-${name}`);
  const summary = await runNotebook({ notebookPath: path, outDir, ...options });
  return { summary, csv: await readFile(join(outDir, 'totals.csv'), 'utf8').catch(() => '') };
}

describe('the runner reads text files as detected or as told', () => {
  it('reads a headerless whitespace file given with --data, by detection alone', async () => {
    const { summary, csv } = await totals(ratingsBook('  ratings: other.csv'), 'column2', { data: { ratings: join(workDir, 'u.data') } });
    expect(csv).toBe('n,total\n5,14\n');
    expect(summary.data[0]).toMatchObject({ table: 'ratings', rows: 5, readAs: 'Read with fields separated by runs of spaces or tabs, without a header row (columns column0, column1, …).' });
    expect(summary.cells[0]).toMatchObject({ cell: 'totals', state: 'done', rows: 1 });
    expect(summary.ok).toBe(true);
  });

  it('takes column names from --csv', async () => {
    const args = parseArguments(['run', 'x.md', '--data', `ratings=${join(workDir, 'u.data')}`, '--csv', 'ratings:names=user/item/rating/ts,delim=ws']);
    if (args === 'help') throw new Error('not help');
    expect(args.dataOptions).toEqual({ ratings: { text: { columnNames: ['user', 'item', 'rating', 'ts'], header: false, delimiter: 'whitespace' } } });
    const { csv } = await totals(ratingsBook('  ratings: other.csv'), 'rating', { data: args.data, dataOptions: args.dataOptions });
    expect(csv).toBe('n,total\n5,14\n');
  });

  it('takes options from the notebook front matter', async () => {
    const { csv } = await totals(ratingsBook('  ratings:\n    path: u.data\n    names: [user, item, rating, ts]\n    delim: ws'), 'rating');
    expect(csv).toBe('n,total\n5,14\n');
    const bad = ratingsBook('  ratings:\n    path: u.data\n    delim: two');
    await expect(totals(bad, 'rating')).rejects.toThrow(/data ratings: delim must be one character/);
  });

  it('reads baskets as told and counts them', async () => {
    const book = '---\naisle: 1\ntitle: B\ndata:\n  b: baskets.txt\n---\n\n```sql n\nSELECT count(DISTINCT basket_id)::INTEGER AS baskets, count(*)::INTEGER AS items FROM b\n```\n';
    const path = join(workDir, 'b.md');
    await writeFile(path, book);
    const outDir = join(workDir, 'out-b');
    await runNotebook({ notebookPath: path, dataOptions: { b: { text: { layout: 'baskets' } } }, outDir });
    // By hand: 3 baskets, 2 + 1 + 3 = 6 items.
    expect(await readFile(join(outDir, 'n.csv'), 'utf8')).toBe('baskets,items\n3,6\n');
  });

  it('refuses bad --csv arguments naming the problem, and documents --csv', async () => {
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    expect(await main(['run', 'x.md', '--csv', 'ratings:delim=ws,colour=red'], output)).toBe(2);
    expect(lines.join('\n')).toMatch(/--csv ratings: unknown import option "colour"/);
    expect(await main(['run', 'x.md', '--csv', 'header=false'], output)).toBe(2);
    expect(lines.join('\n')).toMatch(/--csv expects name:key=value/);
    await expect(totals(ratingsBook('  ratings: u.data'), 'column2', { dataOptions: { rating: { text: { header: false } } } })).rejects.toThrow(RunSetupError);
    expect(USAGE).toMatch(/--import name:key=value,…\n.*--csv is the same flag/);
  });
});
