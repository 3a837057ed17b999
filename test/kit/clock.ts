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
 */
export class TestClock implements Clock, LocalCosClock {
  private time: number;
  private readonly timers: Timer[] = [];
  private nextId = 1;
  /** Every sleep asked for, in order: what the code under test chose to wait. */
  readonly sleeps: number[] = [];

  constructor(start: number = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.advance(ms);
    // A macrotask turn, so sockets and other timers get their chance as after a real wait.
    await new Promise<void>((resolve) => setImmediate(resolve));
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
