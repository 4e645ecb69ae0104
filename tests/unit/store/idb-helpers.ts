import { expect, vi } from 'vitest';
import { IDBObjectStore } from 'fake-indexeddb';

/** Every key and value of every object store, exactly as IndexedDB holds them, by object store name. */
export type RawDump = Record<string, [string, unknown][]>;

/** Read a whole database through a connection of its own, bypassing the store under test. */
export async function rawDump(factory: IDBFactory, name: string): Promise<RawDump> {
  const db = await promised(factory.open(name));
  const dump: RawDump = {};
  for (const storeName of Array.from(db.objectStoreNames)) {
    const objectStore = db.transaction(storeName, 'readonly').objectStore(storeName);
    const [keys, values] = await Promise.all([promised(objectStore.getAllKeys()), promised(objectStore.getAll())]);
    dump[storeName] = keys.map((key, i) => [String(key), values[i]]);
  }
  db.close();
  return dump;
}

export function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** All text of a value: strings as they are, bytes as Latin-1 (so an ASCII secret in UTF-8 shows as itself), objects with their property names. */
export function haystack(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder('latin1').decode(value);
  if (value instanceof ArrayBuffer) return new TextDecoder('latin1').decode(new Uint8Array(value));
  if (Array.isArray(value)) return value.map(haystack).join('\n');
  if (typeof value === 'object' && value !== null) return Object.entries(value).map(([key, inner]) => `${key}\n${haystack(inner)}`).join('\n');
  return String(value);
}

/** The error `promise` rejects with, checked to be a `type`. */
export async function rejection<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error('expected the promise to reject');
}

/** Make the `n`th put (1-based) on any object store throw like a full disk; later puts behave. */
export function failNthPut(n: number): void {
  const put = IDBObjectStore.prototype.put;
  let calls = 0;
  vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (++calls === n) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return put.apply(this, args);
  });
}
