import { readFileSync } from 'node:fs';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';

/** The sample the app loads at start, read here with parquet-wasm's Node build, apart from the app. */
export function readSample(): Table {
  const bytes = new Uint8Array(readFileSync(new URL('../../public/sample/online_retail_50k.parquet', import.meta.url)));
  return tableFromIPC(readParquet(bytes).intoIPCStream());
}

/** A small UCI-layout CSV with one unreadable date, written by hand. */
export const UCI_CSV = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850.0,United Kingdom',
  '536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850.0,United Kingdom',
  '536366,22633,HAND WARMER UNION JACK,6,not a date,1.85,17850.0,United Kingdom',
  'C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527.0,United Kingdom',
  '',
].join('\n');

/** Ragged rows and an unterminated quote: DuckDB cannot read this as CSV. */
export const MALFORMED_CSV = 'a,b\n1,2\n3,4,5,6\n"unterminated,7\n';
