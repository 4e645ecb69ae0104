import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { warmModelRunner, workerModelRunner, type ModelsWorker } from '../../../src/workers/model-client.ts';
import { modelsWorkerApi, type ModelsWorkerApi } from '../../../src/workers/models-api.ts';
import { frameFromIpc, frameToIpc } from '../../../src/models/kit/frame.ts';
import { CancelledError } from '../../../src/util/errors.ts';

/** Stand-ins for workers: the models API exposed over a MessageChannel, as Comlink's own tests do. */
const started: { terminated: boolean; port: MessagePort }[] = [];
afterEach(() => {
  for (const fake of started.splice(0)) fake.port.close();
});

function fakeWorker(run: Parameters<typeof modelsWorkerApi>[0]): () => Worker {
  return () => {
    const channel = new MessageChannel();
    Comlink.expose(modelsWorkerApi(run), channel.port1);
    const fake = { terminated: false, port: channel.port2 };
    started.push(fake);
    return Object.assign(channel.port2, {
      terminate() {
        fake.terminated = true;
        channel.port1.close();
      },
    }) as unknown as Worker;
  };
}

/** A model that echoes its input's row count. */
const echo = (_model: string, _params: unknown, inputs: readonly Uint8Array[]) => ({ '': frameToIpc({ rowCount: 1, columns: { rows: Float64Array.of(frameFromIpc(inputs[0]!).rowCount) } }) });

const input = () => ({ model: 'echo', params: {}, inputs: { t: frameToIpc({ rowCount: 3, columns: { x: Float64Array.of(1, 2, 3) } }) } });

describe('the models worker stays warm', () => {
  it('runs one after another share one worker, which is not ended', async () => {
    const runner = workerModelRunner(fakeWorker(echo));
    for (let run = 0; run < 3; run++) {
      const outputs = await runner.run(input(), () => {}, new AbortController().signal);
      expect(Array.from(frameFromIpc(outputs['']!).columns.rows as Float64Array)).toEqual([3]);
    }
    expect(started.map((fake) => fake.terminated)).toEqual([false]);
  });

  it('keeps two workers warm for a model run in two parts: a third at once is ended after', async () => {
    const runner = workerModelRunner(fakeWorker(echo));
    const go = () => runner.run(input(), () => {}, new AbortController().signal);
    await Promise.all([go(), go()]);
    await Promise.all([go(), go()]);
    expect(started.map((fake) => fake.terminated)).toEqual([false, false]);
    await Promise.all([go(), go(), go()]);
    expect(started.map((fake) => fake.terminated)).toEqual([false, false, true]);
  });

  it('a cancelled run ends its worker; the next run gets a fresh one', async () => {
    const runner = workerModelRunner(fakeWorker(echo));
    const controller = new AbortController();
    controller.abort();
    await expect(runner.run(input(), () => {}, controller.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(started).toEqual([]);
    const second = new AbortController();
    const pending = runner.run(input(), () => {}, second.signal);
    // Aborted before the worker's answer can arrive (it needs a message round trip).
    second.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    await runner.run(input(), () => {}, new AbortController().signal);
    expect(started.map((fake) => fake.terminated)).toEqual([true, false]);
  });

  it('a model that fails leaves the worker warm and the failure reaches the caller', async () => {
    const runner = workerModelRunner(
      fakeWorker(() => {
        throw new RangeError('k must be at most the number of customers');
      }),
    );
    await expect(runner.run(input(), () => {}, new AbortController().signal)).rejects.toThrow('k must be at most the number of customers');
    await expect(runner.run(input(), () => {}, new AbortController().signal)).rejects.toThrow('k must be at most');
    expect(started.map((fake) => fake.terminated)).toEqual([false]);
  });
});

describe('a warm worker is watched for failure one run at a time', () => {
  /** A worker over a MessageChannel whose failure listeners are counted, and can be told to die. */
  function watchedWorker(run: Parameters<typeof modelsWorkerApi>[0]) {
    const listeners = new Set<(error: Error) => void>();
    const channel = new MessageChannel();
    Comlink.expose(modelsWorkerApi(run), channel.port1);
    started.push({ terminated: false, port: channel.port2 });
    const worker: ModelsWorker = {
      api: Comlink.wrap<ModelsWorkerApi>(channel.port2),
      end: () => channel.port1.close(),
      onFailure(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    };
    return { worker, listeners, die: (error: Error) => [...listeners].forEach((listener) => listener(error)) };
  }

  it('a finished run leaves no listener on the worker it hands back', async () => {
    const watched = watchedWorker(echo);
    const runner = warmModelRunner(() => watched.worker);
    for (let run = 0; run < 5; run++) await runner.run(input(), () => {}, new AbortController().signal);
    expect(watched.listeners.size).toBe(0);
  });

  it('a worker that dies fails the run it was given, which stops watching it', async () => {
    const watched = watchedWorker(echo);
    // A model that never answers: only the worker's death can end the run.
    const hung = { ...watched.worker, api: { run: () => new Promise(() => {}) } as unknown as ModelsWorker['api'] };
    const runner = warmModelRunner(() => hung);
    const pending = runner.run(input(), () => {}, new AbortController().signal);
    await Promise.resolve();
    expect(watched.listeners.size).toBe(1);
    watched.die(new Error('the model thread stopped (exit code 1)'));
    await expect(pending).rejects.toThrow('the model thread stopped (exit code 1)');
    expect(watched.listeners.size).toBe(0);
  });
});

describe('closing a warm runner', () => {
  it('ends the idle worker, and a run still going ends its worker when it finishes', async () => {
    const runner = workerModelRunner(fakeWorker(echo));
    await runner.run(input(), () => {}, new AbortController().signal);
    expect(started.map((fake) => fake.terminated)).toEqual([false]);
    const going = runner.run(input(), () => {}, new AbortController().signal);
    runner.close();
    await going;
    expect(started.map((fake) => fake.terminated)).toEqual([true]);
  });

  it('ends the idle worker at once', async () => {
    const runner = workerModelRunner(fakeWorker(echo));
    await runner.run(input(), () => {}, new AbortController().signal);
    runner.close();
    expect(started.map((fake) => fake.terminated)).toEqual([true]);
  });
});
