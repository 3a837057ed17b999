import { jobConfiguration } from '../../src/construct/job-configuration';
import { jobFromConfiguration, jobsFromConfigurations } from '../../src/construct/job-from-configuration';
import { jobResourceName, nameFragment } from '../../src/construct/logical-names';
import { canonicalConfiguration } from '../../src/model/canonical';
import { diffConfigurations, normalizeRemoteConfiguration } from '../../src/model/compare';
import type { InventoryConfiguration } from '../../src/model/configuration';
import { generateConfigurations } from '../fixtures/generated-configurations';
import { SEED_REGION, SEED_SAMPLE_ENCRYPTED, SEED_SAMPLE_PLAIN } from '../fixtures/seed-samples';

const REGION = 'ap-guangzhou';
const DESTINATIONS = ['reports-1250000000', 'other-1250000001'];

function accepted(config: InventoryConfiguration, region = REGION) {
  const result = jobFromConfiguration(config, region);
  if (!result.ok) throw new Error(`refused ${config.Id}: ${result.reasons.join('; ')}`);
  return result.job;
}

/** `{ And: { Prefix } }` without tags: the construct writes `{ Prefix }` (see the README). */
function isPrefixOnlyAnd(config: InventoryConfiguration): boolean {
  const and = config.Filter?.And;
  return and !== undefined && (and.Tag ?? []).length === 0;
}

describe('jobFromConfiguration: the inverse of jobConfiguration', () => {
  it.each([
    ['seed sample 1 (SSE-COS)', SEED_SAMPLE_ENCRYPTED],
    ['seed sample 2', SEED_SAMPLE_PLAIN],
  ])('%s round-trips, in props', (_, sample) => {
    const job = accepted(sample, SEED_REGION);
    expect(job).toEqual({
      id: 'inventory_test',
      destination: {
        bucket: 'targetbucket-1250000000',
        prefix: 'inventory_test_prefix',
        accountId: '100000000001',
        ...(sample === SEED_SAMPLE_ENCRYPTED ? { encryption: 'SSE-COS' } : {}),
      },
      filter: { prefix: 'filter_prefix' },
      includedObjectVersions: 'All',
      optionalFields: ['ETag', 'LastModifiedDate', 'Size', 'StorageClass'],
    });
    expect(jobConfiguration(job, SEED_REGION)).toEqual(canonicalConfiguration(sample));
  });

  it('states every field: monthly, tags with escapes, period, disabled, versions, no fields', () => {
    const config: InventoryConfiguration = {
      Id: 'm.v1',
      IsEnabled: 'false',
      Destination: {
        COSBucketDestination: {
          Format: 'CSV',
          Bucket: `qcs::cos:${REGION}::reports-1250000000`,
          Prefix: 'p',
        },
      },
      Schedule: { Frequency: 'Monthly', MonthlyDate: '28' },
      Filter: {
        And: { Prefix: 'a/', Tag: [{ Key: 'k"\\', Value: "it's\n" }] },
        Period: { StartTime: '0', EndTime: '1700000000' },
      },
      IncludedObjectVersions: 'Current',
      OptionalFields: ['Tag'],
    };
    const job = accepted(config);
    expect(job).toEqual({
      id: 'm.v1',
      enabled: false,
      destination: { bucket: 'reports-1250000000', prefix: 'p' },
      schedule: { frequency: 'Monthly', monthlyDate: 28 },
      filter: {
        prefix: 'a/',
        tags: [{ key: 'k"\\', value: "it's\n" }],
        period: { startTime: 0, endTime: 1700000000 },
      },
      optionalFields: ['Tag'],
    });
    expect(diffConfigurations(jobConfiguration(job, REGION), config)).toEqual([]);
    const none = accepted({ ...config, Filter: undefined, OptionalFields: [] });
    expect(none.optionalFields).toEqual([]);
    expect(jobConfiguration(none, REGION).OptionalFields).toBeUndefined();
  });

  it('round-trips 1000 generated configurations, as the SDK returns them too', () => {
    const configs = generateConfigurations(1000, 12, { region: REGION, destinations: DESTINATIONS });
    let prefixOnlyAnd = 0;
    for (const config of configs) {
      const job = accepted(config);
      const back = jobConfiguration(job, REGION);
      const fields = diffConfigurations(back, config);
      if (isPrefixOnlyAnd(config)) prefixOnlyAnd += 1;
      else expect({ id: config.Id, fields }).toEqual({ id: config.Id, fields: [] });
      // What the SDK hands back from a listing normalizes to the same job.
      expect(
        jobFromConfiguration(normalizeRemoteConfiguration(JSON.parse(JSON.stringify(config))), REGION),
      ).toEqual({
        ok: true,
        job,
      });
    }
    // The generator writes tag filters through And only, so every And has a tag.
    expect(prefixOnlyAnd).toBe(0);
  });

  it('reads a prefix-only And (as the Go SDK writes it) as the prefix', () => {
    const config: InventoryConfiguration = {
      ...SEED_SAMPLE_PLAIN,
      Filter: { And: { Prefix: 'go/' } },
    };
    expect(accepted(config, SEED_REGION).filter).toEqual({ prefix: 'go/' });
  });

  describe('refuses what the props cannot state, with the reason', () => {
    const base = SEED_SAMPLE_PLAIN;
    it.each<[string, InventoryConfiguration, RegExp]>([
      [
        'a storage-class filter',
        { ...base, Filter: { And: { Prefix: 'x', StorageClass: 'STANDARD' } } },
        /^Filter\.And\.StorageClass: the construct has no storage-class filter/,
      ],
      [
        'a destination in another region',
        {
          ...base,
          Destination: {
            COSBucketDestination: { Format: 'CSV', Bucket: 'qcs::cos:ap-shanghai::targetbucket-1250000000' },
          },
        },
        /^Destination\.COSBucketDestination\.Bucket: must be in the source bucket's region ap-beijing/,
      ],
      [
        'a period a number cannot hold',
        { ...base, Filter: { Period: { EndTime: '99999999999999999999' } } },
        /^Filter\.Period\.EndTime: must be unix seconds a javascript number holds exactly/,
      ],
      [
        'a format cos does not document',
        {
          ...base,
          Destination: {
            COSBucketDestination: {
              ...base.Destination.COSBucketDestination,
              Format: 'ORC' as unknown as 'CSV',
            },
          },
        },
        /^Destination\.COSBucketDestination\.Format: must be one of 'CSV'/,
      ],
    ])('%s', (_, config, reason) => {
      const result = jobFromConfiguration(config, SEED_REGION);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.id).toBe(config.Id);
        expect(result.reasons.some((r) => reason.test(r))).toBe(true);
      }
    });
  });
});

describe('jobsFromConfigurations', () => {
  it('sorts by id and refuses duplicate ids and ids sharing a terraform name', () => {
    const a = { ...SEED_SAMPLE_PLAIN, Id: 'b' };
    const dup = { ...SEED_SAMPLE_PLAIN, Id: 'a' };
    const result = jobsFromConfigurations([a, dup, dup], SEED_REGION, 'Inv');
    expect(result.jobs.map((j) => j.id)).toEqual(['b']);
    expect(result.refused).toEqual([{ id: 'a', reasons: ['Id: the bucket lists this id more than once'] }]);

    const dotted = { ...SEED_SAMPLE_PLAIN, Id: 'a.b' };
    const lookalike = { ...SEED_SAMPLE_PLAIN, Id: nameFragment('a.b') };
    const clash = jobsFromConfigurations([dotted, lookalike], SEED_REGION, 'Inv');
    expect(clash.jobs.map((j) => j.id)).toEqual(['a.b']);
    expect(clash.refused).toEqual([
      {
        id: nameFragment('a.b'),
        reasons: [`Id: gets the terraform name ${jobResourceName('Inv', 'a.b')} of job "a.b"`],
      },
    ]);
  });
});
