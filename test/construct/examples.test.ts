import { Testing } from 'cdktf';
import { MultiBucketStack } from '../../examples/multi-bucket';
import { SeedSamplesStack } from '../../examples/seed-samples';
import { synth } from './helpers';

describe('examples', () => {
  test('seed samples: both SDK samples in one stack, the second under a distinct id', () => {
    const stack = new SeedSamplesStack(Testing.app(), 'seed-samples');
    const resources = synth(stack).resource.terraform_data;
    const encrypted = resources.SourceBucket_job_inventory_test.triggers_replace.configuration;
    const plain = resources.SourceBucket_job_inventory_test_plain.triggers_replace.configuration;
    expect(encrypted).toEqual({
      Id: 'inventory_test',
      IsEnabled: 'true',
      Destination: {
        COSBucketDestination: {
          Format: 'CSV',
          AccountId: '100000000001',
          Bucket: 'qcs::cos:ap-beijing::targetbucket-1250000000',
          Prefix: 'inventory_test_prefix',
          Encryption: { SSECOS: '' },
        },
      },
      Schedule: { Frequency: 'Daily' },
      Filter: { Prefix: 'filter_prefix' },
      IncludedObjectVersions: 'All',
      OptionalFields: ['ETag', 'LastModifiedDate', 'Size', 'StorageClass'],
    });
    const unencrypted = {
      ...(encrypted as { Destination: { COSBucketDestination: Record<string, unknown> } }).Destination
        .COSBucketDestination,
    };
    delete unencrypted.Encryption;
    expect(plain).toEqual({
      ...(encrypted as object),
      Id: 'inventory_test_plain',
      Destination: { COSBucketDestination: unencrypted },
    });
  });

  test('multi bucket: one shared destination policy with one statement per source bucket', () => {
    const stack = new MultiBucketStack(Testing.app(), 'multi-bucket');
    const resources = synth(stack).resource.terraform_data;
    const policy = resources['cos_inventory_policy_inventory-reports-1250000000'];
    expect(policy.triggers_replace.sids).toEqual([
      'cosInventory-app-logs-1250000000',
      'cosInventory-media-1250000000',
    ]);
    // One attacher and its release guard for the shared destination.
    expect(Object.keys(resources).filter((n) => n.startsWith('cos_inventory_policy_'))).toHaveLength(2);
    expect(Object.keys(resources).sort()).toEqual([
      'AppLogs_job_daily-all',
      expect.stringMatching(/^AppLogs_job_weekly_errors_[0-9a-f]{6}$/),
      'AppLogs_prune',
      'Media_job_monthly-tagged',
      'Media_prune',
      'cos_inventory_policy_inventory-reports-1250000000',
      'cos_inventory_policy_inventory-reports-1250000000_release',
    ]);
  });
});
