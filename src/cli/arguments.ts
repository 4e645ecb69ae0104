// The pieces every aisle command reads its command line with: one error type, one way to read `name=value` lists.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ImportOptionsError, parseImportOptions, type GivenImportOptions } from '../engine/index.ts';
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

/**
 * The values of `--import name:key=value,…` (and of `--csv`, its first name, for text files only then, kept for the
 * command lines written with it): `['ratings:header=false,delim=ws']` → `{ ratings: { text: { header: false, delimiter: 'whitespace' } } }`,
 * `['retail:sheet=2,header_row=2']` → `{ retail: { excel: { sheet: '2', headerRow: 2 } } }`. Bad options, or a table given
 * twice, are a UsageError.
 */
export function importArguments(given: { readonly import?: readonly string[]; readonly csv?: readonly string[] }): Record<string, GivenImportOptions> {
  const result: Record<string, GivenImportOptions> = {};
  const flags = [...(given.import ?? []).map((text) => ['--import', text] as const), ...(given.csv ?? []).map((text) => ['--csv', text] as const)];
  for (const [flag, text] of flags) {
    const colon = text.indexOf(':');
    const name = text.slice(0, colon).trim();
    if (colon <= 0 || name === '') throw new UsageError(`${flag} expects name:key=value,…, like ratings:header=false,delim=ws or retail:sheet=2; got "${text}"`);
    if (name in result) throw new UsageError(`import options for ${name} are given twice`);
    try {
      result[name] = parseImportOptions(text.slice(colon + 1));
    } catch (error) {
      if (error instanceof ImportOptionsError) throw new UsageError(`${flag} ${name}: ${error.message}`);
      throw error;
    }
  }
  return result;
}
