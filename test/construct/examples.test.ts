import { Testing } from 'cdktf';
import { MultiBucketStack } from '../../examples/multi-bucket';
import { SeedSamplesStack } from '../../examples/seed-samples';
import { grantsOf, jobsOf, synth } from './helpers';

/** A resource as synthesized, without cdktf's metadata. */
function bare(resource: object): Record<string, unknown> {
  const rest = { ...resource } as Record<string, unknown>;
  delete rest['//'];
  return rest;
}

describe('examples', () => {
  test('seed samples: both SDK samples in one stack, the second under a distinct id', () => {
    const stack = new SeedSamplesStack(Testing.app(), 'seed-samples');
    const jobs = jobsOf(synth(stack));
    const encrypted = bare(jobs.SourceBucket_job_inventory_test);
    expect(encrypted).toEqual({
      region: 'ap-beijing',
      bucket: 'sourcebucket-1250000000',
      job_id: 'inventory_test',
      enabled: true,
      included_object_versions: 'All',
      frequency: 'Daily',
      destination_bucket: 'qcs::cos:ap-beijing::targetbucket-1250000000',
      destination_account_id: '100000000001',
      destination_prefix: 'inventory_test_prefix',
      destination_format: 'CSV',
      destination_encryption: 'SSE-COS',
      filter_prefix: 'filter_prefix',
      optional_fields: ['ETag', 'LastModifiedDate', 'Size', 'StorageClass'],
      depends_on: ['cosinventory_destination_grant.cos_inventory_policy_targetbucket-1250000000'],
    });
    const plain: Record<string, unknown> = { ...encrypted, job_id: 'inventory_test_plain' };
    delete plain.destination_encryption;
    expect(bare(jobs.SourceBucket_job_inventory_test_plain)).toEqual(plain);
  });

  test('multi bucket: grants on the shared destination, one statement per source bucket', () => {
    const stack = new MultiBucketStack(Testing.app(), 'multi-bucket');
    const out = synth(stack);
    const grants = grantsOf(out);
    expect(Object.keys(grants)).toEqual([
      'cos_inventory_policy_inventory-reports-1250000000',
      'cos_inventory_policy_inventory-reports-1250000000_2',
    ]);
    expect(Object.values(grants).map((g) => g.sid)).toEqual([
      'cosInventory-app-logs-1250000000',
      'cosInventory-media-1250000000',
    ]);
    expect(Object.keys(jobsOf(out)).sort()).toEqual([
      'AppLogs_job_daily-all',
      expect.stringMatching(/^AppLogs_job_weekly_errors_[0-9a-f]{6}$/),
      'Media_job_monthly-tagged',
    ]);
    expect(Object.keys(out.resource ?? {}).sort()).toEqual([
      'cosinventory_destination_grant',
      'cosinventory_job',
    ]);
  });
});
