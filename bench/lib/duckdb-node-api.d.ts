/**
 * The part of `@duckdb/node-api` the benchmarks call. The package is installed into bench/node_modules by the first
 * run only (a native module in the root package.json breaks `npm ci` on some machines), so the type check cannot
 * rely on its own declarations being there.
 */
declare module '@duckdb/node-api' {
  export interface DuckDBResultReader {
    getRows(): unknown[][];
  }
  export interface DuckDBConnection {
    run(sql: string, values?: unknown[]): Promise<unknown>;
    runAndReadAll(sql: string, values?: unknown[]): Promise<DuckDBResultReader>;
    closeSync(): void;
  }
  export class DuckDBInstance {
    static create(path?: string, options?: Record<string, string>): Promise<DuckDBInstance>;
    connect(): Promise<DuckDBConnection>;
    closeSync(): void;
  }
}
