export interface Notice {
  readonly id: number;
  readonly kind: 'error' | 'info';
  readonly text: string;
  /** A button on the notice, e.g. Undo. */
  readonly action?: { readonly label: string; readonly run: () => void };
}

/** Messages in the corner: information fades after a few seconds, errors stay until dismissed. */
export class Notices {
  list = $state.raw<Notice[]>([]);
  private counter = 0;

  add(kind: Notice['kind'], text: string, action?: Notice['action']): number {
    this.counter += 1;
    const id = this.counter;
    this.list = [...this.list, { id, kind, text, action }];
    if (kind === 'info') setTimeout(() => this.dismiss(id), action ? 10_000 : 6_000);
    return id;
  }

  dismiss(id: number): void {
    this.list = this.list.filter((notice) => notice.id !== id);
  }
}
