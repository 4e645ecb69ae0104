// The pieces every aisle command reads its command line with: one error type, one way to read `name=value` lists.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ImportOptionsError, parseImportOptions, type TextImportOptions } from '../engine/index.ts';
import { messageOf } from '../util/errors.ts';

/** A command line that cannot be run, naming the argument at fault. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `node:util`'s parseArgs, strict, with positionals; what it refuses is a UsageError in its words. */
export function readCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}

/** `['sales=a.csv']` → `{ sales: 'a.csv' }`; a missing `=`, an empty name or a name given twice is a UsageError. */
export function pairs(option: string, shape: string, given: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const text of given) {
    const equals = text.indexOf('=');
    const name = text.slice(0, equals).trim();
    if (equals <= 0 || name === '') throw new UsageError(`${option} expects ${shape}, got "${text}"`);
    if (name in result) throw new UsageError(`${option} ${name} is given twice`);
    result[name] = text.slice(equals + 1);
  }
  return result;
}

/** `['ratings:header=false,delim=ws']` → `{ ratings: { header: false, delimiter: 'whitespace' } }`; bad options are a UsageError. */
export function csvOptions(given: readonly string[]): Record<string, Partial<TextImportOptions>> {
  const result: Record<string, Partial<TextImportOptions>> = {};
  for (const text of given) {
    const colon = text.indexOf(':');
    const name = text.slice(0, colon).trim();
    if (colon <= 0 || name === '') throw new UsageError(`--csv expects name:key=value,…, like ratings:header=false,delim=ws; got "${text}"`);
    if (name in result) throw new UsageError(`--csv ${name} is given twice`);
    try {
      result[name] = parseImportOptions(text.slice(colon + 1));
    } catch (error) {
      if (error instanceof ImportOptionsError) throw new UsageError(`--csv ${name}: ${error.message}`);
      throw error;
    }
  }
  return result;
}
