/**
 * The Arrow IPC bytes a model cell has just inserted as a table, kept only for tables someone watches: the API
 * answers `POST /api/run/<cell>` from the rows the model produced instead of reading its table back.
 */
export class ModelOutputWatch {
  /** Watched table (lower case) → the bytes inserted since it was watched, if any. */
  private readonly watched = new Map<string, Uint8Array | undefined>();

  /** Keep what is next inserted as `table` (and forget anything kept for it before). */
  watch(table: string): void {
    this.watched.set(table.toLowerCase(), undefined);
  }

  /** Whether `table` is watched (the evaluator then keeps a copy of its bytes: inserting may detach them). */
  watching(table: string): boolean {
    return this.watched.has(table.toLowerCase());
  }

  /** The evaluator's report: `ipc` is now `table`'s rows. Ignored unless the table is watched. */
  inserted(table: string, ipc: Uint8Array): void {
    const key = table.toLowerCase();
    if (this.watched.has(key)) this.watched.set(key, ipc);
  }

  /** The bytes inserted as `table` since `watch(table)`, or undefined; stops watching it. */
  take(table: string): Uint8Array | undefined {
    const key = table.toLowerCase();
    const ipc = this.watched.get(key);
    this.watched.delete(key);
    return ipc;
  }
}
