import { DataState } from './data.svelte.ts';
import { NotebookState } from './notebook.svelte.ts';
import { Notices } from './notices.svelte.ts';
import type { Services } from './services.ts';

export type { Services } from './services.ts';

/** Everything the page shows, split by concern; components read fields and call methods. Holds no DOM. */
export class Session {
  readonly notices = new Notices();
  readonly book: NotebookState;
  readonly data: DataState;
  ready = $state(false);

  constructor(readonly services: Services) {
    let refreshing: ReturnType<typeof setTimeout> | undefined;
    // Many cells finish in a burst; refresh the table list once after it.
    const refreshSoon = () => {
      clearTimeout(refreshing);
      refreshing = setTimeout(() => void this.data.refresh(), 100);
    };
    this.book = new NotebookState(services, this.notices, refreshSoon);
    this.data = new DataState(services, this.notices, (name) => this.book.tableChanged(name));
  }
}
