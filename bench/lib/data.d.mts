export declare const root: string;
export declare const dataDir: string;
export declare function tsxCli(): string;
export declare function generatorHash(): string;
export declare function ensureData(
  rows: number,
  format: 'csv' | 'parquet',
  seed: number,
  generator?: string,
  regen?: boolean,
): Promise<{ rows: number; format: string; path: string; bytes: number; generateMs: number | null }>;
