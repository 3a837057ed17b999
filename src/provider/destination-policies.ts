/**
 * Serialized edits of destination bucket policies inside one provider process. COS replaces
 * the whole policy on PUT, has no conditional write, and may serve the previous policy for a
 * while after one: two grants of one destination applied at once, or one after the other
 * within the lag, would each read the same old document and the second PUT would drop the
 * first one's statement. So the edits of one destination run one at a time, and an edit within
 * the read-back window of this process's last write builds on the document written then
 * rather than on a GET that may still be stale.
 */
import type { CosClient } from '../cos/client';
import { deletePolicy, getPolicy, putPolicy } from '../cos/policy';
import { asRole } from '../handler/access';
import type { PolicyDocument } from '../model/policy';
import { bucketKey, type ProviderRuntime } from './provider-runtime';

export interface Destination {
  readonly bucket: string;
  readonly region: string;
  /** Role of the destination's account assumed for the edit, or null for the provider's own credential. */
  readonly roleArn: string | null;
}

/** What an edit did. */
export type EditOutcome = 'written' | 'deleted' | 'unchanged';

interface Written {
  readonly document: PolicyDocument | undefined;
  readonly at: number;
}

/** The key of a destination's shared policy read: its role and its bucket. */
export function policyReadKey(destination: Destination): string {
  return `${destination.roleArn ?? ''}|${bucketKey(destination.region, destination.bucket)}`;
}

export class DestinationPolicies {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly written = new Map<string, Written>();

  constructor(private readonly runtime: ProviderRuntime) {}

  /**
   * Applies `edit` to the destination's policy with one PUT (or one DELETE when it leaves no
   * statement, or nothing when it changes nothing), after every earlier edit of the same
   * destination in this process.
   */
  edit(
    destination: Destination,
    edit: (current: PolicyDocument | undefined) => PolicyDocument | undefined,
  ): Promise<EditOutcome> {
    const key = bucketKey(destination.region, destination.bucket);
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(
      () => this.editNow(key, destination, edit),
      () => this.editNow(key, destination, edit),
    );
    this.queues.set(key, run);
    const done = () => {
      if (this.queues.get(key) === run) this.queues.delete(key);
    };
    run.then(done, done);
    return run;
  }

  private async editNow(
    key: string,
    destination: Destination,
    edit: (current: PolicyDocument | undefined) => PolicyDocument | undefined,
  ): Promise<EditOutcome> {
    const client: CosClient = await this.runtime.policyClient(destination.roleArn);
    const target = { bucket: destination.bucket, region: destination.region };
    return asRole(client, async () => {
      const last = this.written.get(key);
      const recent =
        last !== undefined && this.runtime.clock.now() - last.at < this.runtime.readBack.windowMs;
      const current = recent ? last.document : await getPolicy(client, target);
      const next = edit(current);
      if (JSON.stringify(next ?? null) === JSON.stringify(current ?? null)) return 'unchanged';
      await this.runtime.write(() =>
        next === undefined ? deletePolicy(client, target) : putPolicy(client, target, next),
      );
      this.written.set(key, { document: next, at: this.runtime.clock.now() });
      this.runtime.policies.forget(policyReadKey(destination));
      return next === undefined ? 'deleted' : 'written';
    });
  }
}
