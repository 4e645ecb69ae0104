/**
 * Input values in the page's URL (`?notebook=retail&top_n=20&country=France`), so a link reproduces a view. Reading
 * checks every value against its input's spec; what the spec refuses is left out and named, never passed on. Values
 * that pass reach SQL as bound parameters like any input value (see evaluate/sql.ts), never as SQL text.
 */
import type { Notebook } from './notebook.ts';
import { inputSpec, parseSpec, type InputSpec, type InputValue } from './specs.ts';

/** Parameters the page itself reads: never input values, always kept as they are. */
export const PAGE_PARAMETERS: readonly string[] = ['notebook', 'mode', 'theme'];

/** What reading the URL found: values by input name, and one line per parameter left out. */
export interface UrlInputs {
  readonly values: Readonly<Record<string, InputValue>>;
  readonly problems: readonly string[];
}

/** The notebook's inputs whose spec reads, by lower-cased name. */
function inputSpecs(notebook: Notebook): Map<string, { name: string; spec: InputSpec }> {
  const specs = new Map<string, { name: string; spec: InputSpec }>();
  for (const cell of notebook.cells) {
    if (cell.kind !== 'input') continue;
    try {
      specs.set(cell.name.toLowerCase(), { name: cell.name, spec: inputSpec(parseSpec(cell.source)) });
    } catch {
      // An input whose spec does not read shows its own error on the cell; the URL cannot set it.
    }
  }
  return specs;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The number a URL text spells, or undefined: `"20"` → 20, `""`, `"1e"`, `"Infinity"` → undefined. */
function numberOf(text: string): number | undefined {
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim())) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** One listed option matching `text` (numbers compare as numbers), keeping the option's own type. */
function listedOption(options: readonly (string | number)[], text: string): string | number | undefined {
  return options.find((option) => String(option) === text || (typeof option === 'number' && numberOf(text) === option));
}

/** The value `texts` (the URL's values for one input, in order) give `spec`, or why not. */
function valueFor(spec: InputSpec, texts: readonly string[]): { value: InputValue } | { problem: string } {
  const one = texts.length === 1 ? texts[0]! : undefined;
  switch (spec.control) {
    case 'slider':
    case 'number': {
      if (one === undefined) return { problem: 'takes one number' };
      const value = numberOf(one);
      if (value === undefined) return { problem: `"${one}" is not a number` };
      if (typeof spec.min === 'number' && value < spec.min) return { problem: `${value} is below the minimum ${spec.min}` };
      if (typeof spec.max === 'number' && value > spec.max) return { problem: `${value} is above the maximum ${spec.max}` };
      return { value };
    }
    case 'select':
    case 'search': {
      if (one === undefined) return { problem: 'takes one value' };
      if (spec.options?.kind !== 'list') return { value: one };
      const option = listedOption(spec.options.values, one);
      return option === undefined ? { problem: `"${one}" is not one of its options` } : { value: option };
    }
    case 'multi-select': {
      // A single empty value is the empty choice, so it can be told from "not in the URL".
      const chosen = texts.length === 1 && texts[0] === '' ? [] : texts;
      if (spec.options?.kind !== 'list') return { value: chosen };
      const options = spec.options.values;
      const unknown = chosen.filter((text) => listedOption(options, text) === undefined);
      if (unknown.length > 0) return { problem: `${unknown.map((text) => `"${text}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among its options` };
      return { value: chosen.map((text) => listedOption(options, text)!) };
    }
    case 'text':
      return one === undefined ? { problem: 'takes one value' } : { value: one };
    case 'date-range': {
      if (texts.length !== 2) return { problem: 'takes two dates, from and to' };
      const [from, to] = texts as [string, string];
      // An empty end is an open one, as the control shows it.
      const bad = [from, to].find((text) => text !== '' && !isDate(text));
      if (bad !== undefined) return { problem: `"${bad}" is not a date like 2011-12-31` };
      if (from !== '' && to !== '' && from > to) return { problem: `${from} is after ${to}` };
      if (typeof spec.min === 'string' && spec.min !== '' && from !== '' && from < spec.min) return { problem: `${from} is before ${spec.min}` };
      if (typeof spec.max === 'string' && spec.max !== '' && to !== '' && to > spec.max) return { problem: `${to} is after ${spec.max}` };
      return { value: [from, to] };
    }
  }
}

/**
 * Read input values from a URL query against `notebook`'s inputs. Page parameters are skipped; a parameter that names
 * no input, or whose value the input's spec refuses (not a number, out of range, not an option, not a date), is left
 * out and named in `problems`. A list is the parameter repeated: `?countries=France&countries=Spain`.
 * `inputsFromQuery(nb, '?top_n=20&top_n_typo=3')` → `{ values: { top_n: 20 }, problems: ['top_n_typo: no input has this name'] }`.
 */
export function inputsFromQuery(notebook: Notebook, query: string): UrlInputs {
  const params = new URLSearchParams(query);
  const specs = inputSpecs(notebook);
  const values: Record<string, InputValue> = {};
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const key of params.keys()) {
    const lower = key.toLowerCase();
    if (seen.has(key) || PAGE_PARAMETERS.includes(lower)) continue;
    seen.add(key);
    const input = specs.get(lower);
    if (input === undefined) {
      problems.push(`${key}: no input has this name`);
      continue;
    }
    const read = valueFor(input.spec, params.getAll(key));
    if ('problem' in read) problems.push(`${key}: ${read.problem}`);
    else values[input.name] = read.value;
  }
  return { values, problems };
}

/**
 * The URL query for `values` (by input name), keeping the page parameters of `query` and dropping any other:
 * `queryWithInputs('?notebook=retail&old=1', { top_n: 20, countries: ['France', 'Spain'] })`
 * → `?notebook=retail&top_n=20&countries=France&countries=Spain`.
 * `notebook` names the open notebook when a link can (a demo's slug) and null when it cannot, so a reload never opens
 * one notebook with another's values; undefined keeps the parameter as it is.
 */
export function queryWithInputs(query: string, values: Readonly<Record<string, InputValue>>, notebook?: string | null): string {
  const previous = new URLSearchParams(query);
  const next = new URLSearchParams();
  for (const [key, value] of previous) {
    if (!PAGE_PARAMETERS.includes(key.toLowerCase())) continue;
    if (key.toLowerCase() === 'notebook' && notebook !== undefined) continue;
    next.append(key, value);
  }
  if (notebook !== undefined && notebook !== null) next.set('notebook', notebook);
  for (const [name, value] of Object.entries(values)) {
    if (PAGE_PARAMETERS.includes(name.toLowerCase()) || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length === 0) next.append(name, '');
      for (const item of value) next.append(name, String(item));
    } else {
      next.append(name, String(value));
    }
  }
  const text = next.toString();
  return text === '' ? '' : `?${text}`;
}
