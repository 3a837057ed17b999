/**
 * The two `putBucketInventory` samples of Tencent's COS SDK inventory documentation
 * (https://www.tencentcloud.com/document/product/436/36741) as one stack: the same job with
 * and without SSE-COS encryption.
 *
 * Both samples use the id `inventory_test`. COS keys a bucket's inventory jobs by id, so a
 * second put with that id would silently overwrite the first (and the construct rejects
 * duplicate ids): the unencrypted sample is declared as `inventory_test_plain`.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { BucketInventory, type InventoryJob } from '../src';

const SAMPLE: Omit<InventoryJob, 'id' | 'destination'> = {
  enabled: true,
  schedule: { frequency: 'Daily' },
  filter: { prefix: 'filter_prefix' },
  includedObjectVersions: 'All',
  optionalFields: ['Size', 'LastModifiedDate', 'StorageClass', 'ETag'],
};

/** Sample 1 (SSE-COS) and sample 2 (no encryption) on `sourcebucket-1250000000`. */
export class SeedSamplesStack extends TerraformStack {
  public readonly inventory: BucketInventory;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.inventory = new BucketInventory(this, 'SourceBucket', {
      bucket: 'sourcebucket-1250000000',
      region: 'ap-beijing',
      jobs: [
        {
          ...SAMPLE,
          id: 'inventory_test',
          destination: {
            bucket: 'qcs::cos:ap-beijing::targetbucket-1250000000',
            accountId: '100000000001',
            prefix: 'inventory_test_prefix',
            encryption: 'SSE-COS',
          },
        },
        {
          ...SAMPLE,
          id: 'inventory_test_plain',
          destination: {
            bucket: 'qcs::cos:ap-beijing::targetbucket-1250000000',
            accountId: '100000000001',
            prefix: 'inventory_test_prefix',
          },
        },
      ],
    });
  }
}
