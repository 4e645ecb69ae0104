/** The pointer to the open notebook, kept between visits (`localStorage` in the browser): its id, or with a passphrase an opaque tag of it. */

/** Where the open notebook's id is remembered between visits. */
export type PointerStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The localStorage key of the open notebook's pointer. */
export const CURRENT_NOTEBOOK_KEY = 'aisle.current-notebook';

/** The pointer, or undefined when there is none or the storage refuses to be read. */
export function readPointer(storage: PointerStorage | undefined): string | undefined {
  try {
    return storage?.getItem(CURRENT_NOTEBOOK_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Write (or with undefined, remove) the pointer; if writing fails, remove it rather than leave a stale one. */
export function writePointer(storage: PointerStorage | undefined, value: string | undefined): void {
  if (!storage) return;
  try {
    if (value === undefined) storage.removeItem(CURRENT_NOTEBOOK_KEY);
    else storage.setItem(CURRENT_NOTEBOOK_KEY, value);
  } catch {
    try {
      storage.removeItem(CURRENT_NOTEBOOK_KEY);
    } catch {
      // No storage at all: there is no pointer to leave behind either.
    }
  }
}
