import { describe, expect, it } from 'vitest';
import { alsKernelLoaded } from '../../../src/models/index.ts';
import { inProcessModelRunner } from '../../../src/workers/node-runner.ts';

describe('inProcessModelRunner', () => {
  it('loads the WebAssembly ALS kernel (built into .cache/wasm) on its first run, so the runner trains ALS on it', async () => {
    expect(alsKernelLoaded()).toBe(false);
    await expect(inProcessModelRunner.run({ model: 'no_such_model', params: {}, inputs: {} }, () => {}, new AbortController().signal)).rejects.toThrow(/no_such_model/);
    expect(alsKernelLoaded()).toBe(true);
  });
});
