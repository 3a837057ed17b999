import { RequestLogEntry } from './types';

/** Every request the endpoint answered or dropped, in order. */
export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];

  constructor(private readonly listener?: (entry: RequestLogEntry) => void) {}

  add(entry: RequestLogEntry): void {
    // Absent selectors are left out rather than stored as undefined, so entries compare cleanly.
    const clean = Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
    const frozen = Object.freeze(clean as unknown as RequestLogEntry);
    this.entries.push(frozen);
    this.listener?.(frozen);
  }

  get all(): readonly RequestLogEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
