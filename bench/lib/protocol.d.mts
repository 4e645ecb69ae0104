export declare function serve(handlers: Record<string, (args: any) => unknown>): void;
export declare class EngineProcess {
  constructor(name: string, command: string, args: string[], options?: object);
  request(op: string, args?: object): Promise<any>;
  close(): Promise<void>;
}
