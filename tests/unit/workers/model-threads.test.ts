import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import type { Worker } from 'node:worker_threads';
import { startModelThread, threadModelRunner } from '../../../src/workers/model-threads.ts';
import { nodeEndpoint } from '../../../src/workers/node-endpoint.ts';
import type { ModelsWorkerApi } from '../../../src/workers/models-api.ts';
import { frameFromIpc, frameToIpc } from '../../../src/models/index.ts';

const signal = new AbortController().signal;

describe('models in Node worker threads', () => {
  it('run on the WebAssembly kernels, which each thread compiles for itself', async () => {
    const worker = startModelThread();
    try {
      expect(await Comlink.wrap<ModelsWorkerApi>(nodeEndpoint(worker)).kernelsLoaded()).toBe(true);
    } finally {
      await worker.terminate();
    }
  });

  it('start warm before the first run, which takes one of them, and give the model its answer', async () => {
    const started: Worker[] = [];
    const runner = threadModelRunner(() => {
      const worker = startModelThread();
      started.push(worker);
      return worker;
    });
    try {
      runner.warm();
      runner.warm();
      expect(started).toHaveLength(2);
      const input = frameToIpc({ rowCount: 4, columns: { customer: ['a', 'b', 'c', 'd'], spend: Float64Array.of(1, 1.5, 40, 41) } });
      const params = { model: 'kmeans', input: 't', id: 'customer', features: ['spend'], k: 2, scaling: 'none', seed: 3 };
      const outputs = await runner.run({ model: 'kmeans', params, inputs: { t: input } }, () => {}, signal);
      expect(started).toHaveLength(2);
      // Two clusters of 1 and 1.5, and of 40 and 41.
      const cluster = frameFromIpc(outputs['']!).columns.cluster as Int32Array;
      expect(cluster[0]).toBe(cluster[1]);
      expect(cluster[2]).toBe(cluster[3]);
      expect(cluster[0]).not.toBe(cluster[2]);
    } finally {
      runner.close();
    }
  });
});
