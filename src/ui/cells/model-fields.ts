/** Reading and writing a model spec's fields, as the model form edits them; the fields come from the registry. */
import { isNumericType } from '../../engine/index.ts';

/** The columns a `columns` field (model features) offers: the numeric ones, by the engine's one answer — not INTERVAL, not BIGINT[]. */
export function numericColumnNames(columns: readonly { readonly name: string; readonly type: string }[]): string[] {
  return columns.filter((column) => isNumericType(column.type)).map((column) => column.name);
}

/** Read a possibly nested key: `getField({ columns: { date: 'd' } }, 'columns.date')` → 'd'. */
export function getField(spec: Readonly<Record<string, unknown>>, key: string): unknown {
  return key.split('.').reduce<unknown>((value, part) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), spec);
}

/** A copy of the spec with one (possibly nested) key set, or removed when `value` is undefined. */
export function setField(spec: Readonly<Record<string, unknown>>, key: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = key.split('.');
  const copy: Record<string, unknown> = { ...spec };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head!];
    else copy[head!] = value;
    return copy;
  }
  const inner = (copy[head!] && typeof copy[head!] === 'object' ? copy[head!] : {}) as Record<string, unknown>;
  copy[head!] = setField(inner, rest.join('.'), value);
  return copy;
}
