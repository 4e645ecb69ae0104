export declare const KERNELS: readonly { readonly source: string; readonly folders: readonly string[]; readonly output: string }[];
export declare function buildWasm(options?: { force?: boolean }): Promise<string[]>;
