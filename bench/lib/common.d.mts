export declare const CSV_TYPES: string;
export declare const AGGREGATE_SQL: string;
export declare const CHECK_SQL: string;
export declare const now: () => number;
export declare const ms: (value: number) => number;
export declare function median(values: readonly number[]): number;
export declare function stats(values: readonly number[]): { median: number; min: number; runs: number[] };
export declare function log(...parts: unknown[]): void;
export declare function runJsonChild(cwd: string, name: string, command: string, args: readonly string[]): Promise<unknown>;
