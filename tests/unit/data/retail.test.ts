import { describe, expect, it } from 'vitest';
import {
  CANONICAL_COLUMNS,
  MappingError,
  closestName,
  customProfile,
  detectProfile,
  editDistance,
  textColumns,
} from '../../../src/data/retail.ts';
import { canonicalViewSql } from '../../../src/data/retail-sql.ts';
import { cleaningReport, rowIssue } from '../../../src/data/retail-reports.ts';

const UCI = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];
const UCI_II = ['Invoice', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'Price', 'Customer ID', 'Country'];
const SIMPLE = ['CustomerID', 'ProductID', 'Category', 'PurchaseAmount', 'PurchaseDate'];

describe('detectProfile', () => {
  it('recognises the UCI Online Retail header and maps every column', () => {
    expect(detectProfile(UCI)).toEqual({
      layout: 'online-retail',
      mapping: {
        invoice_id: 'InvoiceNo',
        product_id: 'StockCode',
        description: 'Description',
        quantity: 'Quantity',
        invoice_date: 'InvoiceDate',
        unit_price: 'UnitPrice',
        customer_id: 'CustomerID',
        country: 'Country',
      },
      missing: [],
    });
  });

  it('recognises Online Retail II, where the columns are called Invoice, Price and "Customer ID"', () => {
    const profile = detectProfile(UCI_II);
    expect(profile?.layout).toBe('online-retail');
    expect(profile?.mapping).toMatchObject({ invoice_id: 'Invoice', unit_price: 'Price', customer_id: 'Customer ID' });
    expect(profile?.missing).toEqual([]);
  });

  it('ignores case, spaces, underscores and dashes in header names', () => {
    const profile = detectProfile(['invoice_no', 'STOCK CODE', 'description', 'quantity', 'Invoice-Date', 'unit price', 'customer_id', 'country']);
    expect(profile?.layout).toBe('online-retail');
    expect(profile?.mapping).toEqual({
      invoice_id: 'invoice_no',
      product_id: 'STOCK CODE',
      description: 'description',
      quantity: 'quantity',
      invoice_date: 'Invoice-Date',
      unit_price: 'unit price',
      customer_id: 'customer_id',
      country: 'country',
    });
  });

  it('recognises the simple layout; its PurchaseAmount is the amount and nothing maps to invoice_id or quantity', () => {
    expect(detectProfile(SIMPLE)).toEqual({
      layout: 'simple',
      mapping: { customer_id: 'CustomerID', product_id: 'ProductID', category: 'Category', amount: 'PurchaseAmount', invoice_date: 'PurchaseDate' },
      missing: [],
    });
  });

  it('still picks a layout with a required column missing, and names that column by the layout’s name', () => {
    // 6 of the 8 UCI columns (75%) are there: enough to say what the file is, not enough to analyse it.
    const profile = detectProfile(['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'CustomerID', 'Country']);
    expect(profile?.layout).toBe('online-retail');
    expect(profile?.missing).toEqual(['InvoiceDate', 'UnitPrice']);
  });

  it('does not list optional columns (Description, Country, Category) as missing', () => {
    expect(detectProfile(['InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID'])?.missing).toEqual([]);
    expect(detectProfile(['CustomerID', 'ProductID', 'PurchaseAmount', 'PurchaseDate'])?.missing).toEqual([]);
  });

  it('returns null when under 60% of any layout’s columns are present', () => {
    expect(detectProfile(['id', 'name', 'email'])).toBeNull();
    expect(detectProfile([])).toBeNull();
    // CustomerID and ProductID are 2 of the simple layout's 5 columns (40%).
    expect(detectProfile(['CustomerID', 'ProductID', 'Notes'])).toBeNull();
  });

  it('does not map one source column to two canonical columns', () => {
    const profile = detectProfile(['Customer', 'Product', 'Amount', 'Date']);
    const sources = Object.values(profile?.mapping ?? {});
    expect(new Set(sources).size).toBe(sources.length);
  });
});

describe('textColumns', () => {
  it('lists the identifier columns, whatever their spelling, in header order', () => {
    expect(textColumns(UCI)).toEqual(['InvoiceNo', 'StockCode', 'CustomerID']);
    expect(textColumns(UCI_II)).toEqual(['Invoice', 'StockCode', 'Customer ID']);
    expect(textColumns(SIMPLE)).toEqual(['CustomerID', 'ProductID']);
    expect(textColumns(['customer_id', 'invoice_no', 'Quantity'])).toEqual(['customer_id', 'invoice_no']);
  });

  it('leaves numbers, dates and free text alone', () => {
    expect(textColumns(['Quantity', 'UnitPrice', 'InvoiceDate', 'Description', 'Notes'])).toEqual([]);
  });
});

describe('customProfile', () => {
  const columns = ['Client', 'Total', 'Day', 'Item'];

  it('accepts a mapping onto existing columns, with nothing missing when customer, date and a price are mapped', () => {
    const profile = customProfile({ customer_id: 'Client', amount: 'Total', invoice_date: 'Day', product_id: 'Item' }, columns);
    expect(profile).toEqual({
      layout: 'custom',
      mapping: { customer_id: 'Client', amount: 'Total', invoice_date: 'Day', product_id: 'Item' },
      missing: [],
    });
  });

  it('lists unmapped required canonical columns as missing', () => {
    expect(customProfile({ product_id: 'Item' }, columns).missing).toEqual(['customer_id', 'invoice_date', 'unit_price or amount']);
  });

  it('rejects a source column the table does not have, naming it and the closest real one', () => {
    const attempt = () => customProfile({ customer_id: 'Clinet' }, columns);
    expect(attempt).toThrow(MappingError);
    expect(attempt).toThrow('customer_id is mapped to "Clinet", which is not a column of the table (did you mean "Client"?)');
  });

  it('suggests the column that differs only in case or spacing', () => {
    expect(() => customProfile({ customer_id: 'customer id' }, ['Customer ID', 'Country'])).toThrow('(did you mean "Customer ID"?)');
  });

  it('lists the columns when no name is close', () => {
    expect(() => customProfile({ amount: 'Revenue' }, columns)).toThrow('(the columns are "Client", "Total", "Day", "Item")');
  });

  it('rejects an unknown canonical column with a suggestion', () => {
    const error = (() => {
      try {
        customProfile({ custmer_id: 'Client' }, columns);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).value).toBe('custmer_id');
    expect((error as MappingError).message).toBe('unknown canonical column "custmer_id" (did you mean "customer_id"?)');
  });
});

describe('edit distance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('finds the nearest name, or none when every candidate is far off', () => {
    expect(closestName('Quantiy', ['Quantity', 'Country'])).toBe('Quantity');
    expect(closestName('Revenue', ['Client', 'Day'])).toBeUndefined();
  });
});

describe('canonicalViewSql', () => {
  const types = { InvoiceNo: 'VARCHAR', StockCode: 'VARCHAR', Quantity: 'BIGINT', InvoiceDate: 'VARCHAR', UnitPrice: 'DOUBLE', CustomerID: 'VARCHAR' };
  const profile = detectProfile(Object.keys(types));

  it('selects every canonical column in order, unmapped ones as typed NULLs', () => {
    if (profile === null) throw new Error('expected a profile');
    const sql = canonicalViewSql('sales', 'raw', profile, types);
    expect(sql.startsWith('CREATE OR REPLACE VIEW "sales" AS SELECT')).toBe(true);
    expect(sql.endsWith('FROM "raw"')).toBe(true);
    const aliases = [...sql.matchAll(/ AS "([a-z_]+)",?$/gm)].map((match) => match[1]);
    expect(aliases).toEqual([...CANONICAL_COLUMNS]);
    expect(sql).toContain('CAST(NULL::VARCHAR AS VARCHAR) AS "category"');
  });

  it('quotes identifiers, so odd names cannot break out of the SQL', () => {
    const odd = customProfile({ customer_id: 'who"; DROP TABLE raw; --', amount: 'total', invoice_date: 'day' }, ['who"; DROP TABLE raw; --', 'total', 'day']);
    const sql = canonicalViewSql('my view', 'my "raw"', odd, { 'who"; DROP TABLE raw; --': 'VARCHAR', total: 'DOUBLE', day: 'DATE' });
    expect(sql).toContain('"who""; DROP TABLE raw; --"');
    expect(sql).toContain('VIEW "my view"');
    expect(sql).toContain('FROM "my ""raw"""');
  });

  it('fails naming a mapped column the source does not have', () => {
    if (profile === null) throw new Error('expected a profile');
    const { UnitPrice: _dropped, ...withoutPrice } = types;
    expect(() => canonicalViewSql('sales', 'raw', profile, withoutPrice)).toThrow('column "UnitPrice" is not in the source table');
  });
});

describe('report builders', () => {
  it('phrases a date problem with the count and the first example value', () => {
    const issue = rowIssue({
      target: { kind: 'unparsable-date', column: 'InvoiceDate' },
      count: 312,
      totalRows: 1000,
      examples: [{ InvoiceDate: '31/02/2011 25:00' }],
    });
    expect(issue).toMatchObject({ severity: 'warning', message: '312 rows have an InvoiceDate that is not a date (e.g. "31/02/2011 25:00")' });
  });

  it('explains decimal commas when the bad number has one', () => {
    const issue = rowIssue({
      target: { kind: 'non-numeric', canonical: 'unit_price', column: 'UnitPrice' },
      count: 1,
      totalRows: 3,
      examples: [{ UnitPrice: '12,50' }],
    });
    expect(issue?.message).toBe('1 row has a UnitPrice that is not a number (e.g. "12,50"; decimal commas are not read as numbers)');
  });

  it('makes a problem every row has an error, and reports nothing when no row has it', () => {
    const target = { kind: 'unparsable-date', column: 'InvoiceDate' } as const;
    expect(rowIssue({ target, count: 4, totalRows: 4, examples: [] })?.severity).toBe('error');
    expect(rowIssue({ target, count: 0, totalRows: 4, examples: [] })).toBeNull();
  });

  it('refuses cleaning counts that do not add up', () => {
    const counts = { rows_in: 10n, rows_out: 5n, 'missing-customer': 1n, cancelled: 1n, 'non-positive': 1n, 'unparsable-date': 1n, duplicate: 0n };
    expect(() => cleaningReport(counts)).toThrow('cleaning counts do not add up: 10 in − 4 dropped ≠ 5 out');
    expect(cleaningReport({ ...counts, duplicate: 1n }).dropped.duplicate).toBe(1);
  });
});
