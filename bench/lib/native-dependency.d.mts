export function ensureNativeDependency(): void;
export function importNative(): Promise<typeof import('@duckdb/node-api')>;
export function nativePackageVersion(): string;
