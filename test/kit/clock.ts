import type { Clock } from '../../src/cos/retry';
import type { LocalCosClock } from '../../src/emulator';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/**
 * Virtual time for tests, shared by the code under test (retries, read-backs, policy settling,
 * `run --wait`) and LocalCos (read-after-write lag, one-time delivery delay). Nothing waits for
 * the wall clock: `sleep(ms)` moves the time on by `ms` at once, firing LocalCos's timers that
 * fall due, and `advance(ms)` does the same from the test.
 *
 * Concurrent callers go through `concurrently`: then a sleep ends only once every one of them
 * is asleep or done, and the time jumps to the earliest wake-up. Requests take no virtual time,
 * so a settle wait really lets every other writer get as far as its own next wait, as a real
 * wait long enough for the requests in flight would.
 */
export class TestClock implements Clock, LocalCosClock {
  private time: number;
  private readonly timers: Timer[] = [];
  private nextId = 1;
  /** Every sleep asked for, in order: what the code under test chose to wait. */
  readonly sleeps: number[] = [];
  /** Callers of `concurrently` not yet done; undefined outside it. */
  private live: number | undefined;
  private sleeping = 0;

  constructor(start: number = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    if (this.live === undefined) {
      this.advance(ms);
      // A macrotask turn, so sockets and other timers get their chance as after a real wait.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return;
    }
    await new Promise<void>((resolve) => {
      this.sleeping++;
      this.setTimeout(() => {
        this.sleeping--;
        resolve();
      }, ms);
      this.wakeWhenAllAsleep();
    });
  }

  /**
   * Runs `tasks` at once; the clock moves only when every task still running is asleep. Not
   * nested, and each task sleeps in one place at a time (as the handler's verbs do).
   */
  async concurrently<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
    if (this.live !== undefined) throw new Error('TestClock.concurrently does not nest');
    this.live = tasks.length;
    try {
      return await Promise.all(
        tasks.map(async (task) => {
          try {
            return await task();
          } finally {
            (this.live as number)--;
            this.wakeWhenAllAsleep();
          }
        }),
      );
    } finally {
      this.live = undefined;
    }
  }

  private wakeWhenAllAsleep(): void {
    if (this.live === undefined || this.live === 0 || this.sleeping < this.live) return;
    const next = Math.min(...this.timers.map((timer) => timer.at));
    this.advance(next - this.time);
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms), callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    const index = this.timers.findIndex((timer) => timer.id === handle);
    if (index !== -1) this.timers.splice(index, 1);
  }

  /** Moves the time on by `ms`, firing due timers in order of their time. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.clearTimeout(due.id);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = target;
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }
}
