import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { toCellError } from '../../../src/engine/scheduler.ts';
import { runModel } from '../../../src/models/registry.ts';
import { outputsOf, taggedModelRunner } from '../../../src/workers/model-failure.ts';
import { modelsWorkerApi, type ModelsWorkerApi } from '../../../src/workers/models-api.ts';
import { ModelRunError } from '../../../src/util/errors.ts';

// As Comlink's own tests do: expose and wrap over a MessageChannel, so errors cross a real structured-clone boundary.
const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

function overChannel(api: ModelsWorkerApi): Comlink.Remote<ModelsWorkerApi> {
  const channel = new MessageChannel();
  channels.push(channel);
  Comlink.expose(api, channel.port1);
  return Comlink.wrap<ModelsWorkerApi>(channel.port2);
}

/** What the worker's caller sees: the outputs, or the thrown error. */
async function failureOf(remote: Comlink.Remote<ModelsWorkerApi>, model: string, params: Record<string, unknown>): Promise<unknown> {
  try {
    outputsOf(await remote.run(model, params, []));
  } catch (error) {
    return error;
  }
  throw new Error('the run did not fail');
}

describe('model errors crossing the worker boundary', () => {
  it('a model that throws a RangeError while running is reported as model-failed with its message, not as an invalid spec', async () => {
    const remote = overChannel(
      modelsWorkerApi(() => {
        throw new RangeError('Holt-Winters needs at least 10 observations, got 4');
      }),
    );
    const error = await failureOf(remote, 'forecast', {});
    expect(error).toBeInstanceOf(ModelRunError);
    expect((error as ModelRunError).failure).toEqual({ kind: 'model-failed', message: 'Holt-Winters needs at least 10 observations, got 4' });
    expect(toCellError(error, false)).toEqual({ kind: 'runtime', message: 'Holt-Winters needs at least 10 observations, got 4' });
  });

  it('a spec naming no model is reported as invalid-spec, naming the model', async () => {
    const remote = overChannel(modelsWorkerApi());
    const error = await failureOf(remote, 'kmeams', {});
    expect((error as ModelRunError).failure.kind).toBe('invalid-spec');
    expect((error as ModelRunError).failure.message).toMatch(/there is no model "kmeams"/);
    expect(toCellError(error, false)).toEqual({ kind: 'invalid', message: (error as ModelRunError).failure.message });
  });

  it('a run that succeeds brings back its output tables, moved by transfer', async () => {
    const remote = overChannel(modelsWorkerApi((model, params, inputs) => ({ '': new Uint8Array([model.length, inputs.length, Number(params.k)]), centroids: new Uint8Array([7]) })));
    expect(outputsOf(await remote.run('kmeans', { k: 4 }, [new Uint8Array(2)]))).toEqual({ '': new Uint8Array([6, 1, 4]), centroids: new Uint8Array([7]) });
  });

  it('an error that lost its class on the way is not classified by its name: a RangeError is a runtime failure', () => {
    // What structured clone makes of a thrown RangeError: a plain Error that keeps only the name and the message.
    const cloned = Object.assign(new Error('params.alpha must be in (0, 1], got 2'), { name: 'RangeError' });
    expect(toCellError(cloned, false)).toEqual({ kind: 'runtime', message: 'params.alpha must be in (0, 1], got 2' });
  });

  it('in process, the same errors are told apart the same way', async () => {
    const runner = taggedModelRunner({
      run: async ({ model }) => {
        if (model === 'broken') throw new RangeError('the regression design is singular at column 2');
        return runModel(model, {}, [], {});
      },
    });
    const run = (model: string) => runner.run({ model, params: {}, inputs: {} }, () => {}, new AbortController().signal).catch((error: unknown) => error);
    expect(toCellError(await run('broken'), false)).toEqual({ kind: 'runtime', message: 'the regression design is singular at column 2' });
    expect(toCellError(await run('kmeams'), false)).toMatchObject({ kind: 'invalid' });
  });
});
