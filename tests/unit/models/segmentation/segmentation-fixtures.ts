import { readFileSync } from 'node:fs';
import { fromRows, type Matrix } from '../../../../src/models/kit/matrix.ts';

const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../../fixtures/models/${name}`, import.meta.url), 'utf8')) as T;

const blobsFile = read<{ points: number[][]; truth: number[] }>('blobs-600.json');

/** 600 points from 4 seeded Gaussian blobs in 3-D (tests/fixtures/models/make-blobs.ts). */
export const blobs: Matrix = fromRows(blobsFile.points);
/** The blob each point was drawn from. */
export const blobTruth: Int32Array = Int32Array.from(blobsFile.truth);

/** scikit-learn 1.2.1's results on the blobs (tests/fixtures/models/sklearn_reference.py). */
export const sklearnOnBlobs = read<{
  sklearn: string;
  kmeans: { inertia: number; labels: number[] };
  ward: number[];
  average: number[];
  complete: number[];
}>('blobs-600-sklearn.json');

/** Collects progress reports; `check()` asserts they rise monotonically within (0, 1] and end at exactly 1. */
export function progressRecorder(): { onProgress: (fraction: number) => void; fractions: number[]; check: () => void } {
  const fractions: number[] = [];
  return {
    fractions,
    onProgress: (fraction) => fractions.push(fraction),
    check() {
      if (fractions.length === 0) throw new Error('no progress was reported');
      fractions.forEach((fraction, index) => {
        if (!(fraction > 0 && fraction <= 1)) throw new Error(`progress ${fraction} at report ${index} is outside (0, 1]`);
        if (index > 0 && fraction < (fractions[index - 1] as number)) throw new Error(`progress fell from ${fractions[index - 1]} to ${fraction}`);
      });
      if (fractions.at(-1) !== 1) throw new Error(`progress ended at ${fractions.at(-1)}, not 1`);
      if (fractions.indexOf(1) !== fractions.length - 1) throw new Error('progress reached 1 before the end');
    },
  };
}

/** An AbortSignal that has already fired. */
export function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort();
  return controller.signal;
}
