import { IncomingHttpHeaders } from 'node:http';
import { QueryParam } from './addressing';
import { InventoryDocument } from './inventory-document';
import { BucketState, Store } from './store';
import { DeliveryResult } from './types';

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
  /** Runs one inventory delivery now (one-time POST runs). */
  readonly deliver: (source: BucketState, job: InventoryDocument) => DeliveryResult;
}

/** What a handler answers; the server adds request ids and serialises errors. */
export interface CosResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
}
