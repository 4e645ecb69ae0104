import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from './demo-notebook.ts';
import { exportTableCsv } from '../../../src/engine/csv-export.ts';

// The retail dashboard run headless on the 50k-row sample: the data each chart draws is checked against SQL.
let demo: Awaited<ReturnType<typeof runDemo>>;

beforeAll(async () => {
  demo = await runDemo('retail-dashboard');
}, 240_000);
afterAll(async () => {
  await demo.db.close();
});

/** The rows the chart cell's first mark draws. */
function chartRows(name: string): Record<string, unknown>[] {
  const output = demo.scheduler.cellStates[demo.idOf(name)]?.output;
  if (output?.kind !== 'chart') throw new Error(`${name} drew no chart`);
  return output.rows[0]!.map((row) => ({ ...row }));
}

describe('the retail dashboard, run headless', () => {
  it('every cell runs', () => {
    const failed = Object.entries(demo.scheduler.cellStates).filter(([, state]) => state.status !== 'done');
    expect(failed.map(([id, state]) => `${id}: ${JSON.stringify(state.error)}`)).toEqual([]);
  });

  it('the country chart draws the ten largest revenues, as SQL sums them', async () => {
    const expected = await demo.rows('SELECT country, sum(amount) AS amount FROM sales_clean GROUP BY 1 ORDER BY 2 DESC LIMIT 10');
    const drawn = chartRows('revenue_by_country').sort((a, b) => (b.amount as number) - (a.amount as number));
    expect(drawn.map((row) => row.country)).toEqual(expected.map((row) => row.country));
    drawn.forEach((row, i) => expect(row.amount as number).toBeCloseTo(expected[i]!.amount as number, 6));
  });

  it('monthly revenue is written to CSV in cents, as a compensated sum of the amounts gives it, without float noise', async () => {
    // DuckDB adds doubles one after the other, and on ~1,000 amounts per month that drifts a few units in the last
    // place (39355.37999999998 for 39355.38); the CSV writes each double exactly (shortest round-trip), drift included.
    const amounts = await demo.rows(`SELECT strftime(date_trunc('month', invoice_date), '%Y-%m-%d') AS month, amount FROM sales_clean`);
    const sums = new Map<string, { sum: number; compensation: number }>();
    for (const { month, amount } of amounts) {
      // Neumaier's compensated summation: the rounding error of each addition is kept and added back at the end.
      const entry = sums.get(month as string) ?? { sum: 0, compensation: 0 };
      const next = entry.sum + (amount as number);
      entry.compensation += Math.abs(entry.sum) >= Math.abs(amount as number) ? entry.sum - next + (amount as number) : (amount as number) - next + entry.sum;
      entry.sum = next;
      sums.set(month as string, entry);
    }
    const csv = new TextDecoder().decode(await exportTableCsv(demo.db, 'monthly')).trim().split('\n');
    expect(csv[0]).toBe('month,revenue,orders');
    const written = csv.slice(1).map((line) => line.split(','));
    expect(written.map(([month]) => month)).toEqual([...sums.keys()].sort());
    for (const [month, revenue] of written) {
      expect(revenue, month).toMatch(/^\d+(\.\d{1,2})?$/);
      const { sum, compensation } = sums.get(month!)!;
      expect(Number(revenue), month).toBe(Math.round((sum + compensation) * 100) / 100);
    }
  });

  it('the RFM chart counts the customers of each segment', async () => {
    const expected = await demo.rows('SELECT segment, count(*)::DOUBLE AS count FROM rfm GROUP BY 1 ORDER BY 1');
    const drawn = chartRows('rfm_segments').map((row) => ({ segment: row.segment, count: Number(row.count) })).sort((a, b) => String(a.segment).localeCompare(String(b.segment)));
    expect(drawn).toEqual(expected.map((row) => ({ segment: row.segment, count: row.count })).sort((a, b) => String(a.segment).localeCompare(String(b.segment))));
  });

  it('every product falls in exactly one keyword category, so the category bars add up to the revenue', async () => {
    const [counts] = await demo.rows('SELECT count(*)::INTEGER AS rows, count(DISTINCT product_id)::INTEGER AS products FROM product_categories');
    expect(counts?.rows).toBe(counts?.products);
    const [total] = await demo.rows('SELECT sum(amount) AS revenue FROM sales_clean');
    const drawn = chartRows('revenue_by_category');
    expect(drawn.reduce((sum, row) => sum + (row.revenue as number), 0)).toBeCloseTo(total?.revenue as number, 0);
    // Spot checks of the first matching rule, by hand from the descriptions.
    const category = async (description: string) => (await demo.rows(`SELECT category FROM product_categories WHERE description = '${description}'`))[0]?.category;
    expect(await category('HAPPY BIRTHDAY BALLOONS')).toBe('Seasonal & party');
    expect(await category('HAND WARMER UNION JACK')).toBe('Jewellery & accessories');
    expect(await category('POSTAGE')).toBe('Other');
  });

  it('the heatmap has one cell per weekday and hour with sales', async () => {
    const [cells] = await demo.rows('SELECT count(*)::INTEGER AS n FROM hour_by_weekday');
    expect(chartRows('weekday_hour_heatmap')).toHaveLength(cells?.n as number);
  });

  // Last: it changes the selection the other tests read the charts under.
  it('brushing the monthly trend filters the countries, products and heatmap to the brushed months, and clearing restores them', async () => {
    const months = (await demo.rows(`SELECT strftime(month, '%Y-%m-%d %H:%M:%S.000') AS month FROM monthly ORDER BY 1`)).map((row) => String(row.month));
    expect(months.length).toBeGreaterThan(4);
    // From just after the 2nd month's dot to just after the 4th's: the 3rd and 4th months.
    const [from, to] = [`${months[1]!.slice(0, 10)} 12:00:00.000`, `${months[3]!.slice(0, 10)} 12:00:00.000`];
    const period = `date_trunc('month', invoice_date) BETWEEN TIMESTAMP '${from}' AND TIMESTAMP '${to}'`;
    await demo.scheduler.setSelection(demo.idOf('monthly_trend'), [from, to]);
    const countries = await demo.rows(`SELECT country, sum(amount) AS amount FROM sales_clean WHERE ${period} GROUP BY 1 ORDER BY 2 DESC LIMIT 10`);
    const drawn = chartRows('revenue_by_country').sort((a, b) => (b.amount as number) - (a.amount as number));
    expect(drawn.map((row) => row.country)).toEqual(countries.map((row) => row.country));
    drawn.forEach((row, i) => expect(row.amount as number).toBeCloseTo(countries[i]!.amount as number, 6));
    const units = await demo.rows(`SELECT description, sum(quantity)::DOUBLE AS quantity FROM sales_clean WHERE ${period} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`);
    expect(chartRows('top_products_by_quantity').map((row) => Number(row.quantity)).sort((a, b) => b - a)).toEqual(units.map((row) => row.quantity));
    const [heat] = await demo.rows(`SELECT count(*)::INTEGER AS n, sum(amount) AS revenue FROM (SELECT isodow(invoice_date), hour(invoice_date), sum(amount) AS amount FROM sales_clean WHERE ${period} GROUP BY ALL)`);
    const cells = chartRows('weekday_hour_heatmap');
    expect(cells).toHaveLength(heat?.n as number);
    expect(cells.reduce((sum, row) => sum + (row.revenue as number), 0)).toBeCloseTo(heat?.revenue as number, 0);

    await demo.scheduler.setSelection(demo.idOf('monthly_trend'), null);
    const all = await demo.rows('SELECT country FROM sales_clean GROUP BY 1 ORDER BY sum(amount) DESC LIMIT 10');
    expect(chartRows('revenue_by_country').sort((a, b) => (b.amount as number) - (a.amount as number)).map((row) => row.country)).toEqual(all.map((row) => row.country));
  });
});
