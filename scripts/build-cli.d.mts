export declare const CLI_BUNDLE: string;
export declare const CLI_INPUTS: string;
export declare const CLI_MODEL_THREAD: string;
export declare function compileEntry(entry: string, outfile: string): Promise<string[]>;
export declare function buildCli(): Promise<void>;
