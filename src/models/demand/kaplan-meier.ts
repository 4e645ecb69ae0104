/**
 * The Kaplan–Meier estimate of a survival curve with Greenwood's variance and the exponential ("log(-log)") band,
 * as lifelines' KaplanMeierFitter computes them (Kalbfleisch & Prentice 2002, §1.4; lifelines' default interval).
 */
import { normalQuantile } from '../kit/normal.ts';

export interface SurvivalCurve {
  /** 0, then every distinct duration, ascending (lifelines' timeline). */
  readonly times: Float64Array;
  /** Subjects still waiting just before each time. */
  readonly atRisk: Int32Array;
  readonly events: Int32Array;
  readonly censored: Int32Array;
  readonly survival: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** First time the curve reaches 0.5 or below; Infinity when it never does (lifelines' median_survival_time_). */
  readonly median: number;
  /** The same for the band's lower and upper curves (lifelines' median_survival_times of the confidence interval). */
  readonly medianLower: number;
  readonly medianUpper: number;
}

/**
 * Kaplan–Meier over durations (any non-negative unit) and whether each ended in the event (true) or was cut off
 * (false). `confidence` is the band's level (default 0.95).
 * `kaplanMeier([1, 2, 2, 3], [true, true, false, true]).survival` → [1, 0.75, 0.5, 0].
 */
export function kaplanMeier(durations: ArrayLike<number>, observed: ArrayLike<boolean>, confidence = 0.95): SurvivalCurve {
  if (durations.length !== observed.length) throw new RangeError(`${durations.length} durations but ${observed.length} event flags`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), e.g. 0.95; got ${confidence}`);
  const order = Array.from({ length: durations.length }, (_, i) => i).sort((a, b) => (durations[a] as number) - (durations[b] as number));
  const times: number[] = [0];
  const events: number[] = [0];
  const censored: number[] = [0];
  for (const i of order) {
    const time = durations[i] as number;
    if (!(time >= 0) || !Number.isFinite(time)) throw new RangeError(`durations must be finite and not negative; got ${time}`);
    if (time !== times[times.length - 1]) {
      times.push(time);
      events.push(0);
      censored.push(0);
    }
    if (observed[i]) events[events.length - 1]! += 1;
    else censored[censored.length - 1]! += 1;
  }
  const n = times.length;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const curve = {
    times: Float64Array.from(times),
    atRisk: new Int32Array(n),
    events: Int32Array.from(events),
    censored: Int32Array.from(censored),
    survival: new Float64Array(n),
    lower: new Float64Array(n),
    upper: new Float64Array(n),
  };
  let atRisk = durations.length;
  let survival = 1;
  let greenwood = 0;
  for (let t = 0; t < n; t++) {
    const died = events[t] as number;
    curve.atRisk[t] = atRisk;
    if (died > 0) {
      survival *= 1 - died / atRisk;
      // Greenwood's sum; a time at which everyone left adds nothing (lifelines replaces its infinity by 0).
      if (atRisk > died) greenwood += died / (atRisk * (atRisk - died));
    }
    curve.survival[t] = survival;
    [curve.lower[t], curve.upper[t]] = exponentialGreenwood(survival, greenwood, z);
    atRisk -= died + (censored[t] as number);
  }
  return {
    ...curve,
    median: firstAtOrBelow(curve.times, curve.survival, 0.5),
    medianLower: firstAtOrBelow(curve.times, curve.lower, 0.5),
    medianUpper: firstAtOrBelow(curve.times, curve.upper, 0.5),
  };
}

/** The band exp(-exp(log(-log S) ± z·√V / log S)), V Greenwood's sum; 1 where S is 1, 0 where S is 0 (as lifelines). */
function exponentialGreenwood(survival: number, greenwood: number, z: number): [number, number] {
  if (survival >= 1) return [1, 1];
  if (survival <= 0) return [0, 0];
  const logS = Math.log(survival);
  const spread = (z * Math.sqrt(greenwood)) / logS;
  return [Math.exp(-Math.exp(Math.log(-logS) - spread)), Math.exp(-Math.exp(Math.log(-logS) + spread))];
}

function firstAtOrBelow(times: Float64Array, values: Float64Array, level: number): number {
  for (let t = 0; t < times.length; t++) if ((values[t] as number) <= level) return times[t] as number;
  return Number.POSITIVE_INFINITY;
}
