/**
 * Two source buckets delivering to one shared destination bucket. The stack gets grants on the
 * destination's policy: least-privilege statements for both source buckets.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { BucketInventory } from '../src';

const REGION = 'ap-guangzhou';
const OWNER_UIN = '100000000001';
const REPORTS = 'inventory-reports-1250000000';

/** `app-logs` and `media` inventoried into `inventory-reports`. */
export class MultiBucketStack extends TerraformStack {
  public readonly logs: BucketInventory;
  public readonly media: BucketInventory;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.logs = new BucketInventory(this, 'AppLogs', {
      bucket: 'app-logs-1250000000',
      region: REGION,
      ownerUin: OWNER_UIN,
      jobs: [
        { id: 'daily-all', destination: { bucket: REPORTS, prefix: 'inventory' } },
        {
          id: 'weekly.errors',
          destination: { bucket: REPORTS, prefix: 'inventory', encryption: 'SSE-COS' },
          schedule: { frequency: 'Weekly' },
          filter: { prefix: 'errors/' },
        },
      ],
    });
    this.media = new BucketInventory(this, 'Media', {
      bucket: 'media-1250000000',
      region: REGION,
      ownerUin: OWNER_UIN,
    });
    // Jobs can also be added after construction.
    this.media.addJob({
      id: 'monthly-tagged',
      destination: { bucket: REPORTS, prefix: 'inventory' },
      schedule: { frequency: 'Monthly', monthlyDate: 1 },
      filter: { prefix: 'public/', tags: { retention: 'long' } },
      includedObjectVersions: 'All',
      optionalFields: ['Size', 'StorageClass', 'Tag', 'x-cos-meta-owner'],
    });
  }
}
