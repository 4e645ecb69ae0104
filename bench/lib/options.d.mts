/** What one flag does to the options; `value()` reads the flag's value. */
export type OptionHandler<T> = (options: T, value: () => string) => void;

export declare function parseOptions<T extends object>(
  argv: readonly string[],
  options: T,
  handlers: Readonly<Record<string, OptionHandler<T>>>,
  help?: { readonly script: string; readonly lines: number },
  positional?: (options: T, text: string, index: number) => void,
): T;

export declare function count(text: string, min?: number): number;

export interface SharedOptions {
  seed: number;
  regen: boolean;
  quietBudgetMs: number;
  out: string;
}

export declare const sharedOptions: Readonly<Record<string, OptionHandler<SharedOptions>>>;
