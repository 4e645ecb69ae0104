/** The HTTP statuses the prediction API answers a bad request with. */
export type ApiErrorStatus = 400 | 401 | 404 | 405 | 409 | 413 | 500;

/** A request the API refuses: the status and a message naming the problem, sent as `{ "error": message }`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: ApiErrorStatus,
    message: string,
    /** Extra response headers, e.g. `Allow` for a 405. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
