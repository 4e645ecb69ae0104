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
 * DuckDB messages come with a hint to install extensions; we never may, so the hint only misleads.
 * `plainDuckDbMessage('Catalog Error: ... parquet extension.\n\nPlease try installing ...')` → first paragraph.
 */
export function plainDuckDbMessage(message: string): string {
  const text = fromJson(message.replace(/^Error: /, '')) ?? message;
  const hint = text.search(/\n\s*\n\s*Please try installing/);
  return (hint >= 0 ? text.slice(0, hint) : text).replace(/^Error: /, '').trim();
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
