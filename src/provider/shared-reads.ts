/**
 * Reads shared by every resource of one provider process: one read per key (a bucket's job
 * listing, a destination's policy) however many resources ask, concurrent askers sharing the
 * request in flight. COS may serve the state before a recent write for a while, so a resource
 * whose write is recent can ask for a fresher read; those asks are per key, not per resource:
 * every resource waiting on the same key shares one delayed re-read.
 */
import type { Clock } from '../cos/retry';

/** One read of a key: its value and when it was sent. */
export interface SharedRead<T> {
  readonly value: T;
  readonly startedAt: number;
}

interface Entry<T> {
  latest: Promise<SharedRead<T>>;
  /** The delayed re-read asked for by resources that saw `latest`, when one is pending. */
  refresh?: { readonly after: Promise<SharedRead<T>>; readonly promise: Promise<SharedRead<T>> };
}

export class SharedReads<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly clock: Clock,
    private readonly read: (key: string) => Promise<T>,
  ) {}

  private start(key: string): Promise<SharedRead<T>> {
    const startedAt = this.clock.now();
    const promise = this.read(key).then((value) => ({ value, startedAt }));
    // A failed read is not cached: the next asker tries again.
    promise.catch(() => {
      if (this.entries.get(key)?.latest === promise) this.entries.delete(key);
    });
    return promise;
  }

  /** The cached read of `key`, or a new one (shared with concurrent askers). */
  current(key: string): Promise<SharedRead<T>> {
    const entry = this.entries.get(key);
    if (entry) return entry.latest;
    const latest = this.start(key);
    this.entries.set(key, { latest });
    return latest;
  }

  /**
   * A read of `key` newer than `seen`, sent `delayMs` from now; resources asking while it is
   * pending share it, and one asking with an older `seen` gets the newer read at once.
   */
  async fresher(key: string, seen: SharedRead<T>, delayMs: number): Promise<SharedRead<T>> {
    const entry = this.entries.get(key);
    if (entry) {
      const latest = await entry.latest;
      if (latest.startedAt > seen.startedAt) return latest;
      if (entry.refresh && entry.refresh.after === entry.latest) return entry.refresh.promise;
    }
    const after = entry?.latest ?? Promise.resolve(seen);
    const promise = this.clock.sleep(delayMs).then(() => {
      const next = this.start(key);
      const current = this.entries.get(key);
      if (current) {
        current.latest = next;
        current.refresh = undefined;
      } else this.entries.set(key, { latest: next });
      return next;
    });
    if (entry) entry.refresh = { after, promise };
    else this.entries.set(key, { latest: after, refresh: { after, promise } });
    return promise;
  }

  /** Forgets `key` (after a write: the next read must ask COS again). */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
