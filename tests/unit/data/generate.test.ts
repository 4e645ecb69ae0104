import { beforeAll, describe, expect, it } from 'vitest';
import {
  generate,
  toArrowTable,
  toCsv,
  valueAt,
  type ColumnData,
  type Float64Column,
  type GeneratedTable,
  type Int32Column,
  type TextColumn,
} from '../../../src/data/generate.ts';

const ONLINE_RETAIL_COLUMNS = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];
const SIMPLE_COLUMNS = ['CustomerID', 'ProductID', 'Category', 'PurchaseAmount', 'PurchaseDate'];
const UCI_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/;

function column(table: GeneratedTable, name: string): ColumnData {
  const found = table.columns[name];
  if (found === undefined) throw new Error(`no column ${name}`);
  return found;
}
function text(table: GeneratedTable, name: string): TextColumn {
  const found = column(table, name);
  if (found.kind !== 'text') throw new Error(`${name} is ${found.kind}, not text`);
  return found;
}
function numbers(table: GeneratedTable, name: string): Int32Column | Float64Column {
  const found = column(table, name);
  if (found.kind === 'text') throw new Error(`${name} is text`);
  return found;
}
/** Every row's text, nulls included, read the slow obvious way. */
function strings(table: GeneratedTable, name: string): (string | null)[] {
  const found = text(table, name);
  return Array.from(found.codes, (code) => (code === -1 ? null : found.dictionary[code]!));
}
function share(values: readonly unknown[], test: (value: unknown, row: number) => boolean): number {
  return values.filter(test).length / values.length;
}
/** Minutes since 2010-12-01 00:00 of a UCI timestamp (UTC, so no daylight-saving surprises). */
function parseUci(timestamp: string): Date {
  const [, month, day, year, hour, minute] = UCI_DATE.exec(timestamp)!.map(Number);
  return new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!));
}

/** A plain RFC 4180 reader, written here independently of the generator's writer. */
function parseCsv(csv: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < csv.length; k++) {
    const char = csv[k]!;
    if (quoted) {
      if (char === '"' && csv[k + 1] === '"') (field += '"'), k++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') record.push(field), (field = '');
    else if (char === '\r' && csv[k + 1] === '\n') {
      record.push(field);
      records.push(record);
      (record = []), (field = ''), k++;
    } else field += char;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

describe('generate: determinism and size', () => {
  it('gives the same table for the same seed, bit for bit, and a different one for another seed', () => {
    const first = generate({ rows: 20_000, seed: 7 });
    const again = generate({ rows: 20_000, seed: 7 });
    const other = generate({ rows: 20_000, seed: 8 });
    expect(toCsv(again)).toBe(toCsv(first));
    expect(again.truth).toEqual(first.truth);
    expect(toCsv(other)).not.toBe(toCsv(first));
    expect(numbers(other, 'Quantity').values).not.toEqual(numbers(first, 'Quantity').values);
  });

  it('defaults to seed 42 and the 541,909-row Online Retail layout', () => {
    expect(toCsv(generate({ rows: 3_000 }))).toBe(toCsv(generate({ rows: 3_000, seed: 42 })));
    expect(generate({ rows: 10 }).layout).toBe('online-retail');
  });

  it.each([0, 1, 2, 3, 10, 24, 25, 99, 199, 200, 1_000, 12_345])('writes exactly %i rows in both layouts', (rows) => {
    for (const layout of ['online-retail', 'simple'] as const) {
      const table = generate({ layout, rows, seed: 3 });
      expect(table.rowCount).toBe(rows);
      for (const data of Object.values(table.columns)) {
        expect(data.kind === 'text' ? data.codes.length : data.values.length).toBe(rows);
        if (data.kind === 'text') expect(Array.from(data.codes).every((code) => code === -1 || data.dictionary[code] !== undefined)).toBe(true);
      }
    }
  });

  it('still shows customers, invoices and valid dates in a ten-row table', () => {
    const table = generate({ rows: 10, seed: 11 });
    expect(strings(table, 'CustomerID').filter((id) => id !== null).length).toBeGreaterThan(0);
    expect(new Set(strings(table, 'InvoiceNo')).size).toBeGreaterThan(1);
    expect(strings(table, 'InvoiceDate').every((date) => UCI_DATE.test(date!))).toBe(true);
  });

  it('rejects bad options, naming the value', () => {
    expect(() => generate({ rows: -1 })).toThrow(/rows .*-1/);
    expect(() => generate({ rows: 2.5 })).toThrow(/rows .*2\.5/);
    expect(() => generate({ seed: 0.5 })).toThrow(/seed .*0\.5/);
    // @ts-expect-error — an unknown layout from untyped input
    expect(() => generate({ layout: 'excel' })).toThrow(/layout "excel"/);
  });
});

describe('generate: progress and cancellation', () => {
  it('reports rising fractions, at most 100 times, ending at 1', () => {
    const fractions: number[] = [];
    generate({ rows: 30_000, onProgress: (fraction) => fractions.push(fraction) });
    expect(fractions.length).toBeGreaterThan(10);
    expect(fractions.length).toBeLessThanOrEqual(100);
    expect(fractions.every((fraction, k) => k === 0 || fraction > fractions[k - 1]!)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
  });

  it('stops with an AbortError when the signal is already aborted or fires midway', () => {
    const before = new AbortController();
    before.abort();
    expect(() => generate({ rows: 1_000, signal: before.signal })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    for (const layout of ['online-retail', 'simple'] as const) {
      const midway = new AbortController();
      let seen = 0;
      const run = () => generate({ layout, rows: 30_000, signal: midway.signal, onProgress: (fraction) => (seen = fraction) > 0.3 && midway.abort() });
      expect(run).toThrow(expect.objectContaining({ name: 'AbortError', message: 'Generation cancelled' }));
      expect(seen).toBeLessThan(0.5);
    }
  });
});

describe('generate: Online Retail at the default size', () => {
  let table: GeneratedTable;
  let invoiceNo: (string | null)[];
  let customerId: (string | null)[];
  let country: (string | null)[];
  let invoiceDate: (string | null)[];
  let quantity: Int32Array | Float64Array;
  let unitPrice: Int32Array | Float64Array;

  beforeAll(() => {
    table = generate();
    invoiceNo = strings(table, 'InvoiceNo');
    customerId = strings(table, 'CustomerID');
    country = strings(table, 'Country');
    invoiceDate = strings(table, 'InvoiceDate');
    quantity = numbers(table, 'Quantity').values;
    unitPrice = numbers(table, 'UnitPrice').values;
  });

  it('has the UCI columns, in order, with 541,909 rows', () => {
    expect(Object.keys(table.columns)).toEqual(ONLINE_RETAIL_COLUMNS);
    expect(table.rowCount).toBe(541_909);
    expect(column(table, 'Quantity').kind).toBe('int32');
    expect(column(table, 'UnitPrice').kind).toBe('float64');
  });

  it('sells about 90% of rows to the United Kingdom across about 38 countries', () => {
    expect(share(country, (name) => name === 'United Kingdom')).toBeCloseTo(0.9, 1);
    expect(Math.abs(share(country, (name) => name === 'United Kingdom') - 0.9)).toBeLessThan(0.03);
    const countries = new Set(country);
    expect(countries.size).toBeGreaterThanOrEqual(36);
    expect(countries.size).toBeLessThanOrEqual(38);
    expect(countries).toContain('Germany');
    expect(countries).toContain('EIRE');
  });

  it('leaves CustomerID empty on about a quarter of rows', () => {
    expect(Math.abs(share(customerId, (id) => id === null) - 0.25)).toBeLessThan(0.03);
    expect(customerId.filter((id) => id !== null).every((id) => /^\d{5}$/.test(id!))).toBe(true);
  });

  it('has about 2% of rows on cancelled invoices, all with negative quantities', () => {
    const cancelled = invoiceNo.flatMap((number, row) => (number!.startsWith('C') ? [row] : []));
    expect(Math.abs(cancelled.length / table.rowCount - 0.02)).toBeLessThan(0.01);
    expect(cancelled.every((row) => quantity[row]! < 0)).toBe(true);
    expect(invoiceNo.every((number) => /^C?\d{6}$/.test(number!))).toBe(true);
  });

  it('has a few stock adjustments (negative, not cancelled) and a few zero prices', () => {
    const adjustments = invoiceNo.filter((number, row) => !number!.startsWith('C') && quantity[row]! < 0).length;
    const zeroPrices = Array.from(unitPrice).filter((price) => price === 0).length;
    expect(adjustments).toBeGreaterThan(0);
    expect(adjustments / table.rowCount).toBeLessThan(0.01);
    expect(zeroPrices).toBeGreaterThan(0);
    expect(zeroPrices / table.rowCount).toBeLessThan(0.01);
  });

  it('prices in pounds and pence, never negative', () => {
    expect(Array.from(unitPrice).every((price) => price >= 0 && Math.round(price * 100) / 100 === price)).toBe(true);
  });

  it('has about 4,300 customers, 4,000 products and 25,000 invoices', () => {
    expect(Math.abs(new Set(customerId.filter((id) => id !== null)).size - 4_300)).toBeLessThan(430);
    const products = new Set(strings(table, 'StockCode').filter((code) => code !== 'POST'));
    expect(Math.abs(products.size - 4_000)).toBeLessThan(400);
    expect(Math.abs(new Set(invoiceNo).size - 25_000)).toBeLessThan(2_500);
  });

  it('gives each customer one country', () => {
    const countries = new Map<string, Set<string>>();
    customerId.forEach((id, row) => id !== null && countries.set(id, (countries.get(id) ?? new Set()).add(country[row]!)));
    expect([...countries.values()].filter((names) => names.size > 1)).toEqual([]);
  });

  it('dates every row M/D/YYYY H:MM between 1 December 2010 and 9 December 2011, in shop hours', () => {
    expect(invoiceDate.every((date) => UCI_DATE.test(date!))).toBe(true);
    const dates = new Set(invoiceDate);
    const times = [...dates].map((date) => parseUci(date!).getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.UTC(2010, 11, 1));
    expect(Math.max(...times)).toBeLessThan(Date.UTC(2011, 11, 10));
    const hours = [...dates].map((date) => parseUci(date!).getUTCHours());
    expect(Math.min(...hours)).toBeGreaterThanOrEqual(6);
    expect(Math.max(...hours)).toBeLessThanOrEqual(21);
  });

  it('peaks in November and around lunchtime (11–13 h)', () => {
    const byMonth = new Map<string, number>();
    const byHour = new Map<number, number>();
    for (const date of invoiceDate) {
      const parsed = parseUci(date!);
      const month = `${parsed.getUTCFullYear()}-${parsed.getUTCMonth() + 1}`;
      byMonth.set(month, (byMonth.get(month) ?? 0) + 1);
      byHour.set(parsed.getUTCHours(), (byHour.get(parsed.getUTCHours()) ?? 0) + 1);
    }
    const busiest = <K>(counts: Map<K, number>): K => [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    expect(busiest(byMonth)).toBe('2011-11');
    expect([11, 12, 13]).toContain(busiest(byHour));
  });

  it('numbers invoices in date order, each invoice on consecutive rows', () => {
    const outOfOrder: number[] = [];
    for (let row = 1; row < table.rowCount; row++) {
      if (invoiceNo[row] === invoiceNo[row - 1]) continue;
      const numberRises = Number(invoiceNo[row]!.replace('C', '')) === Number(invoiceNo[row - 1]!.replace('C', '')) + 1;
      const timeRises = parseUci(invoiceDate[row]!).getTime() >= parseUci(invoiceDate[row - 1]!).getTime();
      if (!numberRises || !timeRises) outOfOrder.push(row);
    }
    expect(outOfOrder).toEqual([]);
  });

  it('hides customer segments that differ in frequency, spend and recency', () => {
    const segmentOf = new Map(table.truth.customers.map((customer) => [customer.customerId, customer.segment]));
    const invoices = new Map<string, Set<string>>();
    const spend = new Map<string, number>();
    const last = new Map<string, number>();
    customerId.forEach((id, row) => {
      if (id === null || invoiceNo[row]!.startsWith('C')) return;
      invoices.set(id, (invoices.get(id) ?? new Set()).add(invoiceNo[row]!));
      spend.set(id, (spend.get(id) ?? 0) + quantity[row]! * unitPrice[row]!);
      last.set(id, Math.max(last.get(id) ?? 0, parseUci(invoiceDate[row]!).getTime()));
    });
    const average = (segment: string, of: (id: string) => number): number => {
      const ids = [...invoices.keys()].filter((id) => segmentOf.get(id) === segment);
      return ids.reduce((sum, id) => sum + of(id), 0) / ids.length;
    };
    const frequency = (id: string) => invoices.get(id)!.size;
    expect(average('champion', frequency)).toBeGreaterThan(4 * average('occasional', frequency));
    expect(average('regular', frequency)).toBeGreaterThan(2 * average('occasional', frequency));
    expect(average('champion', (id) => spend.get(id)!)).toBeGreaterThan(5 * average('occasional', (id) => spend.get(id)!));
    const lapsedLast = [...last].filter(([id]) => segmentOf.get(id) === 'lapsed').map(([, time]) => time);
    expect(Math.max(...lapsedLast)).toBeLessThan(Date.UTC(2011, 7, 1));
    expect(average('champion', (id) => last.get(id)!)).toBeGreaterThan(Date.UTC(2011, 10, 1));
  });

  it('bundles products: pairs within a theme co-occur far above independence and above unrelated pairs', () => {
    const themeOf = new Map(table.truth.products.map((product) => [product.productId, product.theme]));
    const categoryOf = new Map(table.truth.products.map((product) => [product.productId, product.category]));
    const stockCode = strings(table, 'StockCode');
    const baskets = new Map<string, Set<string>>();
    stockCode.forEach((code, row) => {
      if (invoiceNo[row]!.startsWith('C') || quantity[row]! < 0 || code === 'POST') return;
      baskets.set(invoiceNo[row]!, (baskets.get(invoiceNo[row]!) ?? new Set()).add(code!));
    });
    const support = new Map<string, number>();
    for (const basket of baskets.values()) for (const code of basket) support.set(code, (support.get(code) ?? 0) + 1);
    const top = [...support].sort((a, b) => b[1] - a[1]).slice(0, 300).map(([code]) => code);
    const index = new Map(top.map((code, k) => [code, k]));
    const together = new Float64Array(top.length * top.length);
    for (const basket of baskets.values()) {
      const members = [...basket].flatMap((code) => (index.has(code) ? [index.get(code)!] : []));
      for (const a of members) for (const b of members) if (a < b) together[a * top.length + b]! += 1;
    }
    const withinTheme: number[] = [];
    const acrossCategories: number[] = [];
    for (let a = 0; a < top.length; a++) {
      for (let b = a + 1; b < top.length; b++) {
        const [codeA, codeB] = [top[a]!, top[b]!];
        const lift = (together[a * top.length + b]! * baskets.size) / (support.get(codeA)! * support.get(codeB)!);
        if (themeOf.get(codeA) === themeOf.get(codeB)) withinTheme.push(lift);
        else if (categoryOf.get(codeA) !== categoryOf.get(codeB)) acrossCategories.push(lift);
      }
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    expect(withinTheme.length).toBeGreaterThan(20);
    expect(median(withinTheme)).toBeGreaterThan(5);
    // Big baskets lift every pair a little (basket sizes vary), so compare with pairs from unrelated categories.
    expect(median(withinTheme)).toBeGreaterThan(4 * median(acrossCategories));
  });
});

describe('toCsv', () => {
  it('quotes fields with commas, quotes and line breaks so they read back unchanged', () => {
    const tricky = ['PAPER CRAFT , LITTLE BIRDIE', 'SET "LOVE" HEART', 'LINE\r\nBREAK', 'PLAIN'];
    const table: GeneratedTable = {
      layout: 'online-retail',
      rowCount: 4,
      columns: {
        Description: { kind: 'text', dictionary: tricky, codes: Int32Array.of(0, 1, 2, 3) },
        Quantity: { kind: 'int32', values: Int32Array.of(6, -2, 0, 12) },
        UnitPrice: { kind: 'float64', values: Float64Array.of(2.55, 0.42, 0, 12.75) },
        CustomerID: { kind: 'text', dictionary: ['17850'], codes: Int32Array.of(0, -1, 0, -1) },
      },
      truth: { customers: [], products: [] },
    };
    const csv = toCsv(table);
    expect(csv.startsWith('Description,Quantity,UnitPrice,CustomerID\r\n"PAPER CRAFT , LITTLE BIRDIE",6,2.55,17850\r\n')).toBe(true);
    expect(parseCsv(csv)).toEqual([
      ['Description', 'Quantity', 'UnitPrice', 'CustomerID'],
      ['PAPER CRAFT , LITTLE BIRDIE', '6', '2.55', '17850'],
      ['SET "LOVE" HEART', '-2', '0.42', ''],
      ['LINE\r\nBREAK', '0', '0', '17850'],
      ['PLAIN', '12', '12.75', ''],
    ]);
  });

  it('round-trips a generated table cell by cell, adjustment notes with commas and quotes included', () => {
    const generated = generate({ rows: 8_000, seed: 5 });
    const records = parseCsv(toCsv(generated));
    expect(records).toHaveLength(8_001);
    expect(records[0]).toEqual(ONLINE_RETAIL_COLUMNS);
    records.slice(1).forEach((record, row) => {
      ONLINE_RETAIL_COLUMNS.forEach((name, k) => expect(record[k]).toBe(String(valueAt(column(generated, name), row) ?? '')));
    });
  });
});

describe('toArrowTable', () => {
  it('has the layout schema and row count, with nulls only where CustomerID is missing', () => {
    const generated = generate({ rows: 5_000, seed: 9 });
    const arrow = toArrowTable(generated);
    expect(arrow.numRows).toBe(5_000);
    expect(arrow.schema.fields.map((field) => `${field.name}:${String(field.type)}`)).toEqual([
      'InvoiceNo:Utf8', 'StockCode:Utf8', 'Description:Utf8', 'Quantity:Int32',
      'InvoiceDate:Utf8', 'UnitPrice:Float64', 'CustomerID:Utf8', 'Country:Utf8',
    ]);
    const customers = arrow.getChild('CustomerID')!;
    expect(customers.nullCount).toBe(strings(generated, 'CustomerID').filter((id) => id === null).length);
    for (const row of [0, 1, 2, 1234, 4999]) {
      for (const name of ONLINE_RETAIL_COLUMNS) expect(arrow.getChild(name)!.get(row)).toBe(valueAt(column(generated, name), row));
    }
  });
});

describe('generate: simple layout', () => {
  let table: GeneratedTable;
  beforeAll(() => {
    table = generate({ layout: 'simple' });
  });

  it('has five columns and 5,000 purchases by 500 customers of 50 products', () => {
    expect(Object.keys(table.columns)).toEqual(SIMPLE_COLUMNS);
    expect(table.rowCount).toBe(5_000);
    expect(column(table, 'CustomerID').kind).toBe('int32');
    expect(column(table, 'PurchaseAmount').kind).toBe('float64');
    expect(new Set(numbers(table, 'CustomerID').values).size).toBe(500);
    const products = new Set(strings(table, 'ProductID'));
    expect(products.size).toBeLessThanOrEqual(50);
    expect(products.size).toBeGreaterThan(40);
    expect([...products].every((id) => /^P\d{3}$/.test(id!))).toBe(true);
  });

  it('has ISO dates in order, positive amounts in pence, and one category per product', () => {
    const dates = strings(table, 'PurchaseDate');
    expect(dates.every((date) => /^\d{4}-\d{2}-\d{2}$/.test(date!))).toBe(true);
    expect(dates.every((date, row) => row === 0 || date! >= dates[row - 1]!)).toBe(true);
    expect(Array.from(numbers(table, 'PurchaseAmount').values).every((amount) => amount > 0 && Math.round(amount * 100) / 100 === amount)).toBe(true);
    const categories = strings(table, 'Category');
    const categoryOf = new Map<string, string>();
    strings(table, 'ProductID').forEach((id, row) => {
      expect(categoryOf.get(id!) ?? categories[row]).toBe(categories[row]);
      categoryOf.set(id!, categories[row]!);
    });
  });

  it('hides segments: champions buy far more often than occasional customers', () => {
    const segmentOf = new Map(table.truth.customers.map((customer) => [Number(customer.customerId), customer.segment]));
    const purchases = new Map<string, number[]>();
    const counts = new Map<number, number>();
    for (const id of numbers(table, 'CustomerID').values) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const [id, count] of counts) purchases.set(segmentOf.get(id)!, [...(purchases.get(segmentOf.get(id)!) ?? []), count]);
    const mean = (values: number[] = []) => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean(purchases.get('champion'))).toBeGreaterThan(5 * mean(purchases.get('occasional')));
  });
});
