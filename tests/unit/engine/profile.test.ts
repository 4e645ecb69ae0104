import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import type { Database } from '../../../src/engine/ports.ts';
import { clean, createCanonicalView, validate } from '../../../src/engine/profile.ts';
import { detectProfile, textColumns, type RetailProfile } from '../../../src/data/retail.ts';
import type { ValidationIssue, ValidationReport } from '../../../src/data/retail-reports.ts';
import { quoteIdent, quoteLiteral } from '../../../src/util/sql.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
});
afterAll(async () => {
  await db.close();
});

const UCI_HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';

/** Load CSV text into `table` the way the app imports a file: identifier columns forced to VARCHAR. */
async function loadCsv(table: string, csv: string): Promise<RetailProfile> {
  const fileName = await db.registerFile(`${table}.csv`, { kind: 'bytes', bytes: new TextEncoder().encode(csv) });
  const header = (csv.split('\n')[0] ?? '').split(',');
  const types = textColumns(header).map((column) => `${quoteLiteral(column)}: 'VARCHAR'`);
  const typesOption = types.length > 0 ? `, types={${types.join(', ')}}` : '';
  await db.query(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM read_csv(${quoteLiteral(fileName)}, header=true${typesOption})`);
  const profile = detectProfile(header);
  if (profile === null) throw new Error(`no layout detected for ${header.join(',')}`);
  return profile;
}

/** The report's issue of one kind (and column), failing the test if there is none. */
function issueOf<K extends ValidationIssue['kind']>(report: ValidationReport, kind: K, column?: string) {
  const issue = report.issues.find((found) => found.kind === kind && (column === undefined || ('column' in found && found.column === column)));
  if (issue === undefined) throw new Error(`no ${kind} issue in ${JSON.stringify(report.issues)}`);
  return issue as Extract<ValidationIssue, { kind: K }>;
}

async function rowsOf(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.query(sql)).toArray().map((row) => (row as { toJSON(): Record<string, unknown> }).toJSON());
}

describe('validate', () => {
  it('names the required columns a file lacks, suggesting a near miss, and still checks the rest', async () => {
    // No InvoiceDate at all; UnitPrice is misspelled "UnitPrce".
    const profile = await loadCsv(
      'no_dates',
      'InvoiceNo,StockCode,Description,Quantity,UnitPrce,CustomerID,Country\n536365,85123A,HEART,6,2.55,17850.0,United Kingdom\n',
    );
    expect(profile.missing).toEqual(['InvoiceDate', 'UnitPrice']);
    const report = await validate(db, 'no_dates', profile);
    expect(report.ok).toBe(false);
    expect(report.totalRows).toBe(1);
    expect(issueOf(report, 'missing-columns')).toEqual({
      kind: 'missing-columns',
      severity: 'error',
      columns: ['InvoiceDate', 'UnitPrice'],
      message: 'Required columns are missing: InvoiceDate, UnitPrice (did you mean "UnitPrce"?)',
    });
  });

  it('reports a mapped column that is not in the table (a profile made for another file) as missing', async () => {
    await loadCsv('two_columns', 'CustomerID,PurchaseAmount,PurchaseDate\nC1,10,2023-01-05\n');
    const stale = { layout: 'custom', mapping: { customer_id: 'CustomerID', amount: 'Total', invoice_date: 'PurchaseDate' }, missing: [] } as const;
    const report = await validate(db, 'two_columns', stale);
    expect(issueOf(report, 'missing-columns').columns).toEqual(['Total']);
  });

  it('reports dates no format reads, with their count and the offending rows, and accepts US and ISO forms', async () => {
    const profile = await loadCsv(
      'dates',
      [
        UCI_HEADER,
        '536365,85123A,HEART,6,12/1/2010 8:26,2.55,17850.0,United Kingdom', // M/D/YYYY H:MM
        '536366,22633,WARMER,6,12/1/2010,1.85,17850.0,United Kingdom', // M/D/YYYY
        '536367,84879,BIRD,32,2010-12-01 08:34:00,1.69,13047.0,United Kingdom', // ISO with a space
        '536368,22960,JAM,6,2010-12-01T08:34:00,4.25,13047.0,United Kingdom', // ISO with a T
        '536369,21756,BLOCK,3,2010-12-01,5.95,13047.0,United Kingdom', // ISO date only
        '536370,22728,CLOCK,24,31/13/2011,3.75,12583.0,France', // day-first with month 13: junk
        '536371,22727,CLOCK,24,yesterday,3.75,12583.0,France', // a word
        '536372,22726,CLOCK,24,31/02/2011 25:00,3.75,12583.0,France', // no 31 February, no hour 25
        '536373,22725,CLOCK,24,,3.75,12583.0,France', // blank: missing, not unparsable
        '536374,22724,CLOCK,24,12/9/11 12:50,3.75,12583.0,France', // two-digit year
        '536375,22723,CLOCK,24, 12/9/2011 12:50:07 ,3.75,12583.0,France', // seconds, and spaces around
      ].join('\n'),
    );
    const report = await validate(db, 'dates', profile);
    const issue = issueOf(report, 'unparsable-date');
    expect(issue.count).toBe(3);
    expect(issue.severity).toBe('warning');
    expect(issue.examples.map((row) => row.InvoiceDate)).toEqual(['31/13/2011', 'yesterday', '31/02/2011 25:00']);
    expect(issue.examples[0]).toEqual({
      InvoiceNo: '536370',
      StockCode: '22728',
      Description: 'CLOCK',
      Quantity: '24',
      InvoiceDate: '31/13/2011',
      UnitPrice: '3.75',
      CustomerID: '12583.0',
      Country: 'France',
    });
    expect(issue.message).toBe('3 rows have an InvoiceDate that is not a date (e.g. "31/13/2011")');
    expect(report.ok).toBe(true);

    await createCanonicalView(db, 'dates_canonical', 'dates', profile);
    const parsed = await rowsOf(`SELECT invoice_id, strftime(invoice_date, '%Y-%m-%d %H:%M:%S') AS at FROM dates_canonical`);
    expect(parsed.map((row) => row.at)).toEqual([
      '2010-12-01 08:26:00',
      '2010-12-01 00:00:00',
      '2010-12-01 08:34:00',
      '2010-12-01 08:34:00',
      '2010-12-01 00:00:00',
      null,
      null,
      null,
      null,
      '2011-12-09 12:50:00',
      '2011-12-09 12:50:07',
    ]);
  });

  it('makes dates an error when not one row has a readable date', async () => {
    const profile = await loadCsv('day_first', `${UCI_HEADER}\n1,A,X,1,13/1/2011 10:00,1,17850,UK\n2,B,Y,1,25/12/2011 10:00,1,17850,UK\n`);
    const report = await validate(db, 'day_first', profile);
    expect(issueOf(report, 'unparsable-date')).toMatchObject({ count: 2, severity: 'error' });
    expect(report.ok).toBe(false);
  });

  it('reports amounts that are not numbers, per column, explaining decimal commas', async () => {
    const profile = await loadCsv(
      'prices',
      [
        UCI_HEADER,
        '536365,85123A,HEART,6,12/1/2010 8:26,2.55,17850.0,United Kingdom',
        '536366,22633,WARMER,6,12/1/2010 8:28,"12,50",17850.0,United Kingdom', // decimal comma
        '536367,84879,BIRD,32,12/1/2010 8:34,abc,13047.0,United Kingdom', // a word
        '536368,22960,JAM,6,12/1/2010 8:34,,13047.0,United Kingdom', // blank: missing, not non-numeric
        '536369,21756,BLOCK,3,12/1/2010 8:35, 5.95 ,13047.0,United Kingdom', // padded, still a number
      ].join('\n'),
    );
    const report = await validate(db, 'prices', profile);
    const issue = issueOf(report, 'non-numeric', 'UnitPrice');
    expect(issue).toMatchObject({ canonical: 'unit_price', count: 2, severity: 'warning' });
    expect(issue.examples.map((row) => row.UnitPrice)).toEqual(['12,50', 'abc']);
    expect(issue.message).toBe('2 rows have a UnitPrice that is not a number (e.g. "12,50"; decimal commas are not read as numbers)');
    // Quantity was read as a number column by DuckDB, so there is nothing to check there.
    expect(report.issues.filter((found) => found.kind === 'non-numeric')).toHaveLength(1);
  });

  it('reports an empty file (header only) as an error with no other row issues', async () => {
    const profile = await loadCsv('empty', `${UCI_HEADER}\n`);
    const report = await validate(db, 'empty', profile);
    expect(report).toEqual({
      source: 'empty',
      layout: 'online-retail',
      totalRows: 0,
      issues: [{ kind: 'empty', severity: 'error', message: 'The table "empty" has no rows' }],
      ok: false,
    });
  });

  it('counts rows without a customer (blank or spaces) as info, not as a problem with the file', async () => {
    const profile = await loadCsv(
      'customers',
      [UCI_HEADER, '1,A,X,1,12/1/2010 8:26,1,17850.0,UK', '2,A,X,1,12/1/2010 8:26,1,,UK', '3,A,X,1,12/1/2010 8:26,1,  ,UK'].join('\n'),
    );
    const report = await validate(db, 'customers', profile);
    expect(issueOf(report, 'missing-customer')).toMatchObject({
      severity: 'info',
      count: 2,
      message: '2 rows have no CustomerID; customer analyses leave them out',
    });
    expect(report.ok).toBe(true);
  });

  it('finds nothing wrong with a clean file', async () => {
    const profile = await loadCsv('fine', `${UCI_HEADER}\n536365,85123A,HEART,6,12/1/2010 8:26,2.55,17850.0,United Kingdom\n`);
    expect(await validate(db, 'fine', profile)).toEqual({ source: 'fine', layout: 'online-retail', totalRows: 1, issues: [], ok: true });
  });
});

describe('createCanonicalView', () => {
  it('gives exactly the canonical columns with their types, CustomerID 17850.0 read as "17850"', async () => {
    const profile = await loadCsv(
      'ids',
      `${UCI_HEADER}\n536365,85123A,  WHITE HANGING HEART  ,6,12/1/2010 8:26,2.55,17850.0,United Kingdom\nC536379,D,Discount,-1,12/1/2010 9:41,27.5,17850,\n`,
    );
    await createCanonicalView(db, 'ids_canonical', 'ids', profile);
    const columns = await rowsOf(`SELECT column_name, column_type FROM (DESCRIBE ids_canonical)`);
    expect(columns).toEqual([
      { column_name: 'invoice_id', column_type: 'VARCHAR' },
      { column_name: 'invoice_date', column_type: 'TIMESTAMP' },
      { column_name: 'customer_id', column_type: 'VARCHAR' },
      { column_name: 'product_id', column_type: 'VARCHAR' },
      { column_name: 'description', column_type: 'VARCHAR' },
      { column_name: 'category', column_type: 'VARCHAR' },
      { column_name: 'quantity', column_type: 'DOUBLE' },
      { column_name: 'unit_price', column_type: 'DOUBLE' },
      { column_name: 'amount', column_type: 'DOUBLE' },
      { column_name: 'country', column_type: 'VARCHAR' },
    ]);
    const rows = await rowsOf(
      `SELECT invoice_id, customer_id, product_id, description, category, quantity, unit_price, amount, country FROM ids_canonical`,
    );
    expect(rows).toEqual([
      {
        invoice_id: '536365',
        customer_id: '17850',
        product_id: '85123A',
        description: 'WHITE HANGING HEART',
        category: null,
        quantity: 6,
        unit_price: 2.55,
        amount: 6 * 2.55,
        country: 'United Kingdom',
      },
      {
        invoice_id: 'C536379',
        customer_id: '17850',
        product_id: 'D',
        description: 'Discount',
        category: null,
        quantity: -1,
        unit_price: 27.5,
        amount: -27.5,
        country: null,
      },
    ]);
  });
});

/**
 * 21 rows, each dropped by exactly the rule noted (the first rule that applies), or kept.
 * Rules in order: missing customer, cancelled, non-positive quantity/price, unparsable date, duplicate.
 */
const CLEANING_FIXTURE = [
  UCI_HEADER,
  /*  1 kept           */ '536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850.0,United Kingdom',
  /*  2 kept           */ '536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850.0,United Kingdom',
  /*  3 kept           */ '536366,22633,HAND WARMER,6,12/1/2010 8:28,1.85,17850.0,United Kingdom',
  /*  4 kept           */ '536367,84879,BIRD ORNAMENT,32,2010-12-01 08:34:00,1.69,13047.0,United Kingdom',
  /*  5 kept           */ "536367,22745,POPPY'S PLAYHOUSE,6,2010-12-01T08:34:00,2.10,13047,United Kingdom",
  /*  6 kept           */ '536368,22960,JAM MAKING SET,6,12/1/2010,4.25,13047.0,United Kingdom',
  /*  7 no customer    */ '536369,21756,BATH BUILDING BLOCK,3,12/1/2010 8:35,5.95,,United Kingdom',
  /*  8 no customer    */ '536370,22728,ALARM CLOCK,24,12/1/2010 8:45,3.75,  ,France',
  /*  9 cancelled      */ 'C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527.0,United Kingdom',
  /* 10 cancelled      */ 'C536383,35004C,SET OF 3 COLOURED,-1,12/1/2010 9:49,4.65,15311.0,United Kingdom',
  /* 11 no customer (also cancelled; the first rule wins) */ 'C536391,22556,PLASTERS,-12,12/1/2010 10:24,1.65,,United Kingdom',
  /* 12 non-positive: price 0     */ '536414,22139,,56,12/1/2010 11:52,0,17850.0,United Kingdom',
  /* 13 non-positive: quantity -3 */ '536415,22140,LABEL,-3,12/1/2010 11:53,1.00,17850.0,United Kingdom',
  /* 14 non-positive: price "abc" */ '536416,22141,BAD PRICE,2,12/1/2010 11:54,abc,17850.0,United Kingdom',
  /* 15 unparsable date           */ '536417,22142,BAD DATE,2,31/13/2011,1.00,17850.0,United Kingdom',
  /* 16 unparsable date           */ '536418,22143,BAD DATE,2,yesterday,1.00,17850.0,United Kingdom',
  /* 17 duplicate of row 1        */ '536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850.0,United Kingdom',
  /* 18 duplicate of row 1 once 17850 and 17850.0 are the same customer */ '536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom',
  /* 19 duplicate of row 3 once both dates are read */ '536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom',
  /* 20 kept: row 2 with quantity 5, not a duplicate */ '536365,71053,WHITE METAL LANTERN,5,12/1/2010 8:26,3.39,17850.0,United Kingdom',
  /* 21 non-positive (also a bad date; the first rule wins) */ '536420,22144,ZERO,0,yesterday,1.00,17850.0,United Kingdom',
].join('\n');

describe('clean', () => {
  let profile: RetailProfile;
  beforeAll(async () => {
    profile = await loadCsv('fixture', CLEANING_FIXTURE);
    await createCanonicalView(db, 'fixture_canonical', 'fixture', profile);
  });

  it('counts each dropped row once, under the first rule that drops it', async () => {
    const report = await clean(db, 'fixture_canonical', 'fixture_clean');
    expect(report).toEqual({
      rowsIn: 21,
      rowsOut: 7, // rows 1–6 and 20
      dropped: {
        'missing-customer': 3, // rows 7 (blank), 8 (spaces), 11 (blank, though also cancelled)
        cancelled: 2, // rows 9 and 10
        'non-positive': 4, // rows 12 (price 0), 13 (quantity −3), 14 (price "abc"), 21 (quantity 0, though also a bad date)
        'unparsable-date': 2, // rows 15 and 16
        duplicate: 3, // rows 17, 18 (same as 1) and 19 (same as 3)
      },
    });
    const kept = await rowsOf('SELECT count(*)::INTEGER AS n FROM fixture_clean');
    expect(kept).toEqual([{ n: 7 }]);
  });

  it('a cancelled invoice (InvoiceNo C536379) is dropped and counted once', async () => {
    await clean(db, 'fixture_canonical', 'fixture_clean');
    expect(await rowsOf(`SELECT * FROM fixture_clean WHERE starts_with(invoice_id, 'C')`)).toEqual([]);
  });

  it('keeps the first of each set of duplicates, in the original order', async () => {
    await clean(db, 'fixture_canonical', 'fixture_clean');
    const rows = await rowsOf('SELECT invoice_id, product_id, quantity FROM fixture_clean');
    expect(rows).toEqual([
      { invoice_id: '536365', product_id: '85123A', quantity: 6 },
      { invoice_id: '536365', product_id: '71053', quantity: 6 },
      { invoice_id: '536366', product_id: '22633', quantity: 6 },
      { invoice_id: '536367', product_id: '84879', quantity: 32 },
      { invoice_id: '536367', product_id: '22745', quantity: 6 },
      { invoice_id: '536368', product_id: '22960', quantity: 6 },
      { invoice_id: '536365', product_id: '71053', quantity: 5 },
    ]);
  });

  it('leaves a table with the canonical columns, and an empty one from an empty file', async () => {
    const emptyProfile = await loadCsv('empty_clean', `${UCI_HEADER}\n`);
    await createCanonicalView(db, 'empty_canonical', 'empty_clean', emptyProfile);
    const report = await clean(db, 'empty_canonical', 'empty_cleaned');
    expect(report).toEqual({
      rowsIn: 0,
      rowsOut: 0,
      dropped: { 'missing-customer': 0, cancelled: 0, 'non-positive': 0, 'unparsable-date': 0, duplicate: 0 },
    });
    const columns = await rowsOf('SELECT column_name FROM (DESCRIBE empty_cleaned)');
    expect(columns.map((row) => row.column_name)).toEqual([
      'invoice_id',
      'invoice_date',
      'customer_id',
      'product_id',
      'description',
      'category',
      'quantity',
      'unit_price',
      'amount',
      'country',
    ]);
  });
});

describe('the simple layout, end to end', () => {
  const SIMPLE = [
    'CustomerID,ProductID,Category,PurchaseAmount,PurchaseDate',
    /* 1 kept            */ 'C001,P10,Books,12.50,2023-01-05',
    /* 2 kept            */ 'C001,P11,Games,40,2023-01-09',
    /* 3 kept            */ 'C002,P10,Books,12.50,2023-02-01',
    /* 4 no customer     */ ',P12,Toys,9.99,2023-02-03',
    /* 5 non-positive    */ 'C003,P13,Toys,0,2023-02-04',
    /* 6 duplicate of 3  */ 'C002,P10,Books,12.50,2023-02-01',
  ].join('\n');

  it('detects the layout, validates, builds the canonical view and cleans', async () => {
    const profile = await loadCsv('simple', SIMPLE);
    expect(profile.layout).toBe('simple');

    const report = await validate(db, 'simple', profile);
    // PurchaseDate was read by DuckDB as a DATE column, so no text needs parsing.
    expect(report.issues.map((issue) => issue.kind)).toEqual(['missing-customer']);
    expect(report.ok).toBe(true);

    await createCanonicalView(db, 'simple_canonical', 'simple', profile);
    const first = await rowsOf(
      `SELECT invoice_id, strftime(invoice_date, '%Y-%m-%d') AS day, customer_id, product_id, category, quantity, unit_price, amount FROM simple_canonical LIMIT 1`,
    );
    // One purchase is one item: quantity 1, the PurchaseAmount is both unit price and amount; there are no invoices.
    expect(first).toEqual([
      { invoice_id: null, day: '2023-01-05', customer_id: 'C001', product_id: 'P10', category: 'Books', quantity: 1, unit_price: 12.5, amount: 12.5 },
    ]);

    const cleaning = await clean(db, 'simple_canonical', 'simple_clean');
    expect(cleaning).toEqual({
      rowsIn: 6,
      rowsOut: 3, // rows 1–3
      dropped: { 'missing-customer': 1, cancelled: 0, 'non-positive': 1, 'unparsable-date': 0, duplicate: 1 },
    });
  });
});
