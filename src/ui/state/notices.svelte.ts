export interface Notice {
  readonly id: number;
  /** Information fades; warnings (the data was read, but look) and errors stay until dismissed. */
  readonly kind: 'error' | 'warning' | 'info';
  readonly text: string;
  /** The full story behind `text` (DuckDB's own message), folded away under the notice. */
  readonly details?: string;
  /** A button on the notice, e.g. Undo. */
  readonly action?: { readonly label: string; readonly run: () => void };
}

/** Messages in the corner: information fades after a few seconds, warnings and errors stay until dismissed. */
export class Notices {
  list = $state.raw<Notice[]>([]);
  private counter = 0;

  add(kind: Notice['kind'], text: string, action?: Notice['action'], details?: string): number {
    this.counter += 1;
    const id = this.counter;
    this.list = [...this.list, { id, kind, text, action, details }];
    if (kind === 'info') setTimeout(() => this.dismiss(id), action ? 10_000 : 6_000);
    return id;
  }

  dismiss(id: number): void {
    this.list = this.list.filter((notice) => notice.id !== id);
  }
}
