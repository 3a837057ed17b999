import type COS from 'cos-nodejs-sdk-v5';
import type { LocalCos } from '../../src/emulator';
import { startKit } from '../kit';
import {
  canonicalConfiguration,
  diffConfigurations,
  inventoryPolicyStatement,
  manifestKey,
  normalizeRemoteConfiguration,
  parseBucketName,
  reportDate,
  reportPrefix,
  upsertStatement,
  validateConfiguration,
  type InventoryConfiguration,
} from '../../src/model';
import { MINIMAL, SEED_SAMPLE_ENCRYPTED, SEED_SAMPLE_PLAIN, edited } from './fixtures';

/**
 * The model against the local COS endpoint (an independent implementation of COS's wire
 * protocol), through the real SDK: what the model accepts is stored, and what is read back
 * normalises to the same canonical form; reports land where the model says they will.
 */
describe('model round trip through the sdk and LocalCos', () => {
  const source = 'sourcebucket-1250000000';
  const region = 'ap-guangzhou';
  let local: LocalCos;
  let cos: COS;

  beforeAll(async () => {
    ({ cos: local, sdk: cos } = await startKit({
      buckets: [`${source}@${region}`, `reports-1250000000@${region}`],
    }));
  });

  afterAll(async () => {
    await local.close();
  });

  // Both seed samples use the id inventory_test: give the second its own.
  const retarget = (config: InventoryConfiguration, id = config.Id): InventoryConfiguration =>
    edited(config, (c) => {
      c.Id = id;
      c.Destination.COSBucketDestination.Bucket = `qcs::cos:${region}::reports-1250000000`;
    }) as InventoryConfiguration;

  const cases: Array<[string, InventoryConfiguration]> = [
    ['seed sample 1 (encrypted)', retarget(SEED_SAMPLE_ENCRYPTED)],
    ['seed sample 2', retarget(SEED_SAMPLE_PLAIN, 'inventory_test_plain')],
    ['minimal', MINIMAL],
    [
      'tags, period and metadata fields',
      edited(MINIMAL, (c) => {
        c.Id = 'tagged';
        c.Filter = {
          And: { Prefix: 'logs/', Tag: [{ Key: 'team', Value: 'data' }] },
          Period: { StartTime: '1700000000', EndTime: '1800000000' },
        };
        c.OptionalFields = ['x-cos-meta-owner', 'Tag', 'Size'];
      }) as InventoryConfiguration,
    ],
    [
      'two tags',
      edited(MINIMAL, (c) => {
        c.Id = 'two-tags';
        c.Filter = {
          And: {
            Tag: [
              { Key: 'b', Value: '2' },
              { Key: 'a', Value: '1' },
            ],
          },
        };
        c.OptionalFields = ['Tag'];
      }) as InventoryConfiguration,
    ],
  ];

  it.each(cases)('%s: stored and read back unchanged', async (_name, config) => {
    expect(validateConfiguration(config, { sourceRegion: region })).toEqual([]);
    await cos.putBucketInventory({
      Bucket: source,
      Region: region,
      Id: config.Id,
      InventoryConfiguration: config as unknown as COS.InventoryConfiguration,
    });
    const got = await cos.getBucketInventory({ Bucket: source, Region: region, Id: config.Id });
    const normalized = normalizeRemoteConfiguration(got.InventoryConfiguration);
    expect(diffConfigurations(config, normalized)).toEqual([]);
    expect(JSON.stringify(normalized)).toBe(JSON.stringify(canonicalConfiguration(config)));
  });

  it('reads the same forms from listBucketInventory', async () => {
    const listed = await cos.listBucketInventory({ Bucket: source, Region: region });
    const byId = new Map(
      (listed.InventoryConfigurations as unknown[]).map((raw) => {
        const normalized = normalizeRemoteConfiguration(raw);
        return [normalized.Id, normalized] as const;
      }),
    );
    for (const [, config] of cases) {
      expect(JSON.stringify(byId.get(config.Id))).toBe(JSON.stringify(canonicalConfiguration(config)));
    }
  });

  it('finds the reports where reportPrefix and manifestKey say, inside the policy statement', () => {
    const date = new Date('2026-01-02T03:04:05Z');
    const delivery = local.runInventory(source, 'inventory_test', { date });
    const location = reportPrefix({
      destinationPrefix: 'inventory_test_prefix',
      appId: parseBucketName(source).appId,
      sourceBucketName: parseBucketName(source).name,
      jobId: 'inventory_test',
    });
    expect(delivery.manifestKey).toBe(manifestKey(location, reportDate(date)));
    for (const key of delivery.dataKeys) expect(key.startsWith(location)).toBe(true);

    const statement = inventoryPolicyStatement({
      destinationBucket: 'reports-1250000000',
      destinationRegion: region,
      sourceBucket: source,
      prefixes: ['inventory_test_prefix'],
      ownerUin: '100000000001',
    });
    const granted = statement.resource[0].replace(/\*$/, '');
    const resourceOf = (key: string) => `qcs::cos:${region}:uid/1250000000:reports-1250000000/${key}`;
    expect(resourceOf(delivery.manifestKey).startsWith(granted)).toBe(true);
  });

  it('stores a policy document edited by upsertStatement', async () => {
    const statement = inventoryPolicyStatement({
      destinationBucket: 'reports-1250000000',
      destinationRegion: region,
      sourceBucket: source,
      prefixes: [''],
      ownerUin: '100000000001',
    });
    const policy = upsertStatement(undefined, statement);
    await cos.putBucketPolicy({ Bucket: 'reports-1250000000', Region: region, Policy: policy });
    const stored = await cos.getBucketPolicy({ Bucket: 'reports-1250000000', Region: region });
    expect(JSON.stringify(stored.Policy)).toContain(statement.sid);
  });
});
