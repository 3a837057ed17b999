import { IncomingHttpHeaders } from 'node:http';
import { QueryParam } from './addressing';
import { InventoryDocument } from './inventory-document';
import { BucketState, Store } from './store';

/** A validated, authenticated request addressed to one bucket. */
export interface BucketRequest {
  readonly method: string;
  readonly bucket: BucketState;
  /** Object key (path without the leading `/`), empty for bucket-level calls. */
  readonly key: string;
  readonly query: readonly QueryParam[];
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly store: Store;
  /** Schedules a one-time run's delivery (after the configured delay). */
  readonly runOnce: (source: BucketState, job: InventoryDocument, date: Date) => void;
  /** Whether GET ?policy answers COS's normalised form rather than the bytes written. */
  readonly normalizePolicy: boolean;
  /** The endpoint's clock (epoch ms). */
  readonly now: () => number;
}

/** What a handler answers; the server adds request ids and serialises errors. */
export interface CosResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
}
