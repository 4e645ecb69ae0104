/** Whether an opened notebook runs by itself: only text from the app or the user's own workspace does. */
import { assertNever } from '../util/assert.ts';

/** Where the text of a notebook being opened came from. */
export type NotebookOrigin =
  /** A demo bundled with the app, or a new notebook the app made. */
  | { readonly kind: 'bundled' }
  /** The user's workspace: trusted unless it was saved from outside and never run (`trusted: false`). */
  | { readonly kind: 'workspace'; readonly trusted: boolean }
  /** A file, a URL or an import: its SQL is shown, not run, until the user presses Run. */
  | { readonly kind: 'outside' };

/** True when the notebook may run all its cells as it opens: `runsOnOpen({ kind: 'outside' })` → false. */
export function runsOnOpen(origin: NotebookOrigin): boolean {
  switch (origin.kind) {
    case 'bundled':
      return true;
    case 'workspace':
      return origin.trusted;
    case 'outside':
      return false;
    default:
      return assertNever(origin);
  }
}
