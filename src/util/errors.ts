/** A query DuckDB rejected: keeps the SQL and DuckDB's own message. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    message: string,
    readonly sql: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Raised when the user (or a newer run) cancelled the work. Named like DOM's AbortError so both are caught alike. */
export class CancelledError extends Error {
  override readonly name = 'AbortError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

/** True for our CancelledError and the platform's AbortError alike. */
export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The message of anything thrown, for showing to a person. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/**
 * DuckDB messages come with a hint to install extensions; we never may, so the hint only misleads. The
 * refusals of the locked-down configuration (no network, no files, no extensions) are said in plain words.
 * `plainDuckDbMessage('Catalog Error: ... parquet extension.\n\nPlease try installing ...')` → first paragraph.
 */
export function plainDuckDbMessage(message: string): string {
  const text = fromJson(message.replace(/^Error: /, '')) ?? message;
  const hint = text.search(/\n\s*\n\s*Please try installing/);
  const plain = (hint >= 0 ? text.slice(0, hint) : text).replace(/^Error: /, '').trim();
  return lockedDownMessage(plain) ?? plain;
}

/** What Aisle's DuckDB configuration refused, for a person; null when `message` is no such refusal. */
function lockedDownMessage(message: string): string | null {
  const file = /^Permission Error: Cannot access (?:file|directory) "([^"]*)"/.exec(message);
  if (file) {
    const target = file[1] ?? '';
    const what = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? 'reach the network' : 'read or write files on this machine';
    return (
      `SQL in Aisle cannot ${what} ("${target}"): your data stays in this page. ` +
      'Load a file with Open file… and query it by its table name.'
    );
  }
  if (/^Permission Error: .*extension/i.test(message)) {
    return 'SQL in Aisle cannot load DuckDB extensions: they would be downloaded from the internet.';
  }
  const locked = /Cannot change configuration option "([^"]*)" - the configuration has been locked/.exec(message);
  if (locked) {
    return `DuckDB's setting "${locked[1] ?? ''}" is fixed by Aisle, which keeps SQL off the network and the file system.`;
  }
  return null;
}

/** Some DuckDB errors arrive as JSON (`{"exception_type":"Parser","exception_message":"syntax error…"}`). */
function fromJson(message: string): string | null {
  if (!message.startsWith('{')) return null;
  try {
    const { exception_type: type, exception_message: text } = JSON.parse(message) as Record<string, unknown>;
    return typeof text === 'string' ? `${typeof type === 'string' ? `${type} Error: ` : ''}${text}` : null;
  } catch {
    return null;
  }
}

/**
 * Why a model run failed, as tagged data: a class does not survive the worker boundary (structured clone keeps
 * only name and message), so the worker classifies the error where its class is still known and sends this.
 */
export type ModelFailure =
  /** The spec names a model that does not exist, a parameter out of range, or a column the input lacks. */
  | { readonly kind: 'invalid-spec'; readonly message: string }
  /** The model itself failed while running (too little data, a singular matrix, a bug). */
  | { readonly kind: 'model-failed'; readonly message: string }
  /** The run was cancelled. */
  | { readonly kind: 'cancelled'; readonly message: string };

/** A model run that failed, thrown on this side of the worker boundary with the failure's facts. */
export class ModelRunError extends Error {
  override readonly name = 'ModelRunError';
  constructor(readonly failure: ModelFailure) {
    super(failure.message);
  }
}
