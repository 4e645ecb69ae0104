export interface CpuTimes {
  busy: number;
  idle: number;
  steal: number;
}
export interface CpuLoad {
  busyCores: number;
  stealPct: number;
}
export interface GateState {
  budgetMs: number;
  waitedMs: number;
}
export declare function cpuTimes(): CpuTimes | null;
export declare function cpuLoad(before: CpuTimes | null, after: CpuTimes | null): CpuLoad | null;
export declare const sleep: (millis: number) => Promise<void>;
export declare function quietGate(state: GateState, threshold?: number): Promise<{ othersBusyCores: number | null; waitedMs: number }>;
export declare function medianOf(values: readonly (number | null | undefined)[]): number | null;
