/**
 * Writes a generated sample table to CSV or Parquet (format from the extension) and prints a JSON summary.
 * Usage: tsx scripts/gen.ts --rows N --out file.csv|file.parquet [--seed S] [--layout online-retail|simple]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { tableToIPC } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { LAYOUTS, MAX_ROWS, generate, toArrowTable, toCsv, type Layout } from '../src/data/generate.ts';

const USAGE = 'usage: tsx scripts/gen.ts --rows N --out file.csv|file.parquet [--seed S] [--layout online-retail|simple]';

class UsageError extends Error {}

interface Arguments {
  rows: number | undefined;
  out: string;
  format: 'csv' | 'parquet';
  seed: number | undefined;
  layout: Layout;
}

function readArguments(argv: string[]): Arguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { rows: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, layout: { type: 'string' } },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const wholeNumber = (name: string, text: string | undefined, min: number, max: number): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
    }
    return value;
  };
  if (values.out === undefined || values.out === '') throw new UsageError('--out is required (a .csv or .parquet path)');
  const extension = extname(values.out).toLowerCase();
  if (extension !== '.csv' && extension !== '.parquet') {
    throw new UsageError(`--out must end in .csv or .parquet, got "${values.out}"`);
  }
  const layout = values.layout ?? 'online-retail';
  if (!(LAYOUTS as readonly string[]).includes(layout)) {
    throw new UsageError(`--layout must be ${LAYOUTS.join(' or ')}, got "${layout}"`);
  }
  return {
    rows: wholeNumber('rows', values.rows, 0, MAX_ROWS),
    out: values.out,
    format: extension === '.csv' ? 'csv' : 'parquet',
    seed: wholeNumber('seed', values.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    layout: layout as Layout,
  };
}

function encode(args: Arguments): { bytes: Uint8Array; rows: number } {
  const table = generate({ layout: args.layout, rows: args.rows, seed: args.seed });
  if (args.format === 'csv') return { bytes: new TextEncoder().encode(toCsv(table)), rows: table.rowCount };
  const properties = new WriterPropertiesBuilder().setCompression(Compression.ZSTD).setMaxRowGroupSize(131_072).build();
  const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(toArrowTable(table), 'stream')), properties);
  return { bytes, rows: table.rowCount };
}

function main(): void {
  let args: Arguments;
  try {
    args = readArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`gen: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  const started = performance.now();
  const { bytes, rows } = encode(args);
  const path = resolve(args.out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  const seconds = Math.round(performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ rows, layout: args.layout, format: args.format, seconds, bytes: bytes.byteLength, path })}\n`);
}

main();
