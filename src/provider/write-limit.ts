/**
 * Bounds the COS writes one provider process has in flight. Terraform applies up to ten
 * resources at once by default (`-parallelism`), and a user raising that should not turn
 * into a burst of writes against one account's request rate.
 */

/** At most this many COS writes at once, whatever Terraform's parallelism. */
export const MAX_CONCURRENT_WRITES = 10;

export class WriteLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most writes seen in flight at once (for tests and measurements). */
  public peak = 0;

  constructor(private readonly limit: number = MAX_CONCURRENT_WRITES) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter: `running` stays the same.
      if (next) next();
      else this.running--;
    }
  }
}
