/** Turns for the scheduler's cells when several may run at once (`SchedulerHost.concurrency`). */

/** A cell's place in line for a turn: its run's number, then its place in that run's plan (lower goes first among cells that wait together). */
export type Turn = readonly [run: number, place: number];

function isLater(turn: Turn, than: Turn): boolean {
  return turn[0] > than[0] || (turn[0] === than[0] && turn[1] > than[1]);
}

/**
 * At most `limit` cells evaluating at once. A freed turn goes at once to the waiting cell with the lowest turn; a cell
 * whose input has just finished is not waiting yet, so it takes a later turn. (Deferring the hand-over until such cells
 * have joined would take a task per cell, which browsers clamp to 4 ms when nested.)
 */
export class Turns {
  private running = 0;
  private readonly waiting: { readonly turn: Turn; readonly start: () => void }[] = [];

  constructor(private readonly limit: number) {}

  take(turn: Turn): Promise<void> {
    if (this.running < this.limit) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((start) => {
      // Cells join mostly in plan order, so the place is found from the end.
      let at = this.waiting.length;
      while (at > 0 && isLater(this.waiting[at - 1]!.turn, turn)) at -= 1;
      this.waiting.splice(at, 0, { turn, start });
    });
  }

  /** The turn ends: the next waiting cell starts in it, or the turn is free. */
  give(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.running -= 1;
    else next.start();
  }
}

/**
 * Cells run at once on a machine with `cores` cores: each model runs in a worker of its own and the database answers
 * the other cells' SQL meanwhile. Two on two cores (the recommendations demo on the 541,909-row file took 16.6 s one
 * cell at a time in the tab, 13.1 s two at once; three at once was slower), up to four.
 */
export function cellsAtOnce(cores: number | undefined): number {
  return Math.min(4, Math.max(2, Math.floor(cores ?? 2) || 2));
}
