import type { CosClient } from '../cos/client';
import { deleteInventory } from '../cos/inventory';
import type { DeleteJobSpec } from './spec';

/** Deletes the job; a job that is already gone is success, a missing bucket is not. */
export async function deleteJob(client: CosClient, spec: DeleteJobSpec): Promise<string> {
  const deleted = await deleteInventory(client, { bucket: spec.bucket, region: spec.region }, spec.id);
  return deleted
    ? `deleted inventory job ${spec.id} from ${spec.bucket}`
    : `inventory job ${spec.id} was already absent from ${spec.bucket}`;
}
