import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import COS from 'cos-nodejs-sdk-v5';
import {
  canonicalConfiguration,
  diffConfigurations,
  normalizeRemoteConfiguration,
  type InventoryConfiguration,
} from '../../src/model';
import { MINIMAL, SEED_SAMPLE_ENCRYPTED, edited } from './fixtures';

/**
 * The shapes come from the real SDK parsing real HTTP responses: a local server answers with
 * fixed XML bodies, as COS would, so every quirk of the SDK's XML handling is exercised.
 */
describe('normalizeRemoteConfiguration with what the sdk returns', () => {
  let server: Server;
  let cos: COS;
  const bodies = new Map<string, string>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const key = url.searchParams.get('id') ?? 'list';
      const body = bodies.get(key);
      res.writeHead(body === undefined ? 404 : 200, {
        'Content-Type': 'application/xml',
        'x-cos-request-id': 'r1',
      });
      res.end(body ?? '<Error><Code>NoSuchBucket</Code><Message>missing</Message></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    cos = new COS({ SecretId: 'id', SecretKey: 'key', Protocol: 'http:', Ip: `127.0.0.1:${port}` });
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  });

  async function get(xml: string): Promise<unknown> {
    bodies.set('job', xml);
    const data = await cos.getBucketInventory({
      Bucket: 'src-1250000000',
      Region: 'ap-guangzhou',
      Id: 'job',
    });
    return data.InventoryConfiguration;
  }

  const destination =
    '<Destination><COSBucketDestination><Format>CSV</Format><AccountId>100000000001</AccountId>' +
    '<Bucket>qcs::cos:ap-beijing::targetbucket-1250000000</Bucket><Prefix>inventory_test_prefix</Prefix>' +
    '<Encryption><SSE-COS></SSE-COS></Encryption></COSBucketDestination></Destination>';

  it('reads the seed sample back to the canonical form of what was put', async () => {
    const raw = await get(
      '<InventoryConfiguration><Id>inventory_test</Id><IsEnabled>true</IsEnabled>' +
        destination +
        '<Schedule><Frequency>Daily</Frequency></Schedule><Filter><Prefix>filter_prefix</Prefix></Filter>' +
        '<IncludedObjectVersions>All</IncludedObjectVersions><OptionalFields><Field>Size</Field>' +
        '<Field>LastModifiedDate</Field><Field>StorageClass</Field><Field>ETag</Field></OptionalFields>' +
        '</InventoryConfiguration>',
    );
    const normalized = normalizeRemoteConfiguration(raw);
    expect(JSON.stringify(normalized)).toBe(JSON.stringify(canonicalConfiguration(SEED_SAMPLE_ENCRYPTED)));
    expect(diffConfigurations(SEED_SAMPLE_ENCRYPTED, normalized)).toEqual([]);
  });

  it('handles a single Field, a single Tag, a period, an empty element and pretty-printed xml', async () => {
    const raw = await get(`<?xml version="1.0" encoding="UTF-8"?>
<InventoryConfiguration>
  <Id>tagged</Id>
  <IsEnabled>false</IsEnabled>
  <Destination>
    <COSBucketDestination>
      <Format>CSV</Format>
      <Bucket>qcs::cos:ap-guangzhou::reports-1250000000</Bucket>
      <Prefix></Prefix>
      <Encryption>
        <SSE-COS/>
      </Encryption>
    </COSBucketDestination>
  </Destination>
  <Schedule><Frequency>Monthly</Frequency><MonthlyDate>7</MonthlyDate></Schedule>
  <Filter>
    <And><Prefix>logs/</Prefix><Tag><Key>team</Key><Value>data</Value></Tag></And>
    <Period><StartTime>1700000000</StartTime><EndTime>1800000000</EndTime></Period>
  </Filter>
  <IncludedObjectVersions>Current</IncludedObjectVersions>
  <OptionalFields>
    <Field>Tag</Field>
  </OptionalFields>
</InventoryConfiguration>`);
    expect(normalizeRemoteConfiguration(raw)).toStrictEqual({
      Id: 'tagged',
      IsEnabled: 'false',
      Destination: {
        COSBucketDestination: {
          Format: 'CSV',
          Bucket: 'qcs::cos:ap-guangzhou::reports-1250000000',
          Encryption: { SSECOS: '' },
        },
      },
      Schedule: { Frequency: 'Monthly', MonthlyDate: '7' },
      Filter: {
        And: { Prefix: 'logs/', Tag: [{ Key: 'team', Value: 'data' }] },
        Period: { StartTime: '1700000000', EndTime: '1800000000' },
      },
      IncludedObjectVersions: 'Current',
      OptionalFields: ['Tag'],
    });
  });

  it('reads a prefix-only filter written as <And><Prefix> (go sdk, terraform provider) as a plain Prefix', async () => {
    const xml = (filter: string): string =>
      '<InventoryConfiguration><Id>job</Id><IsEnabled>true</IsEnabled>' +
      destination +
      `<Schedule><Frequency>Daily</Frequency></Schedule><Filter>${filter}</Filter>` +
      '<IncludedObjectVersions>Current</IncludedObjectVersions></InventoryConfiguration>';
    const viaAnd = normalizeRemoteConfiguration(await get(xml('<And><Prefix>logs/</Prefix></And>')));
    const plain = normalizeRemoteConfiguration(await get(xml('<Prefix>logs/</Prefix>')));
    expect(viaAnd.Filter).toEqual({ Prefix: 'logs/' });
    expect(viaAnd).toEqual(plain);
    expect(diffConfigurations(plain, viaAnd)).toEqual([]);
  });

  it('treats empty Filter and OptionalFields elements as absent', async () => {
    const raw = await get(
      '<InventoryConfiguration><Id>e</Id><IsEnabled>true</IsEnabled><Destination><COSBucketDestination>' +
        '<Format>CSV</Format><Bucket>qcs::cos:ap-guangzhou::reports-1250000000</Bucket></COSBucketDestination>' +
        '</Destination><Schedule><Frequency>Weekly</Frequency></Schedule><Filter></Filter>' +
        '<IncludedObjectVersions>All</IncludedObjectVersions><OptionalFields></OptionalFields>' +
        '</InventoryConfiguration>',
    );
    expect(normalizeRemoteConfiguration(raw)).toStrictEqual({
      Id: 'e',
      IsEnabled: 'true',
      Destination: {
        COSBucketDestination: { Format: 'CSV', Bucket: 'qcs::cos:ap-guangzhou::reports-1250000000' },
      },
      Schedule: { Frequency: 'Weekly' },
      IncludedObjectVersions: 'All',
    });
  });

  it('normalizes every entry listBucketInventory returns', async () => {
    const job = (id: string, tags: string) =>
      `<InventoryConfiguration><Id>${id}</Id><IsEnabled>true</IsEnabled>${destination}` +
      `<Schedule><Frequency>Daily</Frequency></Schedule><Filter><And>${tags}</And></Filter>` +
      '<IncludedObjectVersions>All</IncludedObjectVersions><OptionalFields><Field>Tag</Field></OptionalFields>' +
      '</InventoryConfiguration>';
    bodies.set(
      'list',
      '<ListInventoryConfigurationResult>' +
        job('a', '<Tag><Key>z</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value></Value></Tag>') +
        job('b', '<Prefix>p</Prefix>') +
        '<IsTruncated>false</IsTruncated></ListInventoryConfigurationResult>',
    );
    const data = await cos.listBucketInventory({ Bucket: 'src-1250000000', Region: 'ap-guangzhou' });
    const [a, b] = (data.InventoryConfigurations as unknown[]).map(normalizeRemoteConfiguration);
    expect(a.Filter).toStrictEqual({
      And: {
        Tag: [
          { Key: 'a', Value: '' },
          { Key: 'z', Value: '1' },
        ],
      },
    });
    // A prefix-only And is the same filter as a plain Prefix: one canonical spelling.
    expect(b.Filter).toStrictEqual({ Prefix: 'p' });
    expect(a.Destination.COSBucketDestination.Encryption).toStrictEqual({ SSECOS: '' });
  });
});

describe('normalizeRemoteConfiguration with hand-built shapes', () => {
  const base = {
    Id: 'job',
    IsEnabled: 'true',
    Destination: { COSBucketDestination: { Format: 'CSV', Bucket: 'qcs::cos:ap-guangzhou::r-1250000000' } },
    Schedule: { Frequency: 'Daily' },
    IncludedObjectVersions: 'All',
  };

  it('accepts booleans and numbers where strings belong', () => {
    const normalized = normalizeRemoteConfiguration({
      ...base,
      IsEnabled: false,
      Schedule: { Frequency: 'Monthly', MonthlyDate: 5 },
      Filter: { Period: { StartTime: 1700000000 } },
    });
    expect(normalized.IsEnabled).toBe('false');
    expect(normalized.Schedule).toStrictEqual({ Frequency: 'Monthly', MonthlyDate: '5' });
    expect(normalized.Filter).toStrictEqual({ Period: { StartTime: '1700000000' } });
    expect(normalizeRemoteConfiguration({ ...base, IsEnabled: 'True' }).IsEnabled).toBe('true');
  });

  it('accepts SSE-COS as well as SSECOS, and OptionalFields not unwrapped from Field', () => {
    const normalized = normalizeRemoteConfiguration({
      ...base,
      Destination: {
        COSBucketDestination: { ...base.Destination.COSBucketDestination, Encryption: { 'SSE-COS': '' } },
      },
      OptionalFields: { Field: ['Size', 'ETag'] },
    });
    expect(normalized.Destination.COSBucketDestination.Encryption).toStrictEqual({ SSECOS: '' });
    expect(normalized.OptionalFields).toEqual(['ETag', 'Size']);
    expect(
      normalizeRemoteConfiguration({ ...base, OptionalFields: { Field: 'Size' } }).OptionalFields,
    ).toEqual(['Size']);
    expect(normalizeRemoteConfiguration({ ...base, OptionalFields: 'Size' }).OptionalFields).toEqual([
      'Size',
    ]);
  });

  it('keeps unexpected values verbatim so that a diff shows them', () => {
    const normalized = normalizeRemoteConfiguration({
      ...base,
      IsEnabled: 'maybe',
      IncludedObjectVersions: 'Some',
    });
    expect(diffConfigurations(base as InventoryConfiguration, normalized)).toEqual([
      'IncludedObjectVersions',
      'IsEnabled',
    ]);
  });

  it('rejects something that is not an object', () => {
    expect(() => normalizeRemoteConfiguration('')).toThrow(
      'normalizeRemoteConfiguration: InventoryConfiguration: expected an object, received ""',
    );
    expect(() => normalizeRemoteConfiguration(undefined)).toThrow('received nothing');
  });
});

describe('diffConfigurations', () => {
  it('is empty for configurations that differ only in spelling', () => {
    const reordered = edited(SEED_SAMPLE_ENCRYPTED, (c) => {
      c.OptionalFields = [...c.OptionalFields].reverse().concat(['Size']);
      c.Destination.COSBucketDestination.AccountId = '100000000001';
      c.Filter.Period = {};
    }) as InventoryConfiguration;
    expect(diffConfigurations(SEED_SAMPLE_ENCRYPTED, reordered)).toEqual([]);
  });

  it('lists the sorted paths that differ', () => {
    const actual = edited(SEED_SAMPLE_ENCRYPTED, (c) => {
      c.Filter.Prefix = 'other';
      c.OptionalFields = ['Size'];
      c.IsEnabled = 'false';
      c.Destination.COSBucketDestination.Prefix = 'elsewhere';
    }) as InventoryConfiguration;
    expect(diffConfigurations(SEED_SAMPLE_ENCRYPTED, actual)).toEqual([
      'Destination.COSBucketDestination.Prefix',
      'Filter.Prefix',
      'IsEnabled',
      'OptionalFields',
    ]);
  });

  it('reports a part present on one side only at its own path', () => {
    const plain = edited(SEED_SAMPLE_ENCRYPTED, (c) => {
      delete c.Destination.COSBucketDestination.Encryption;
      delete c.Filter;
      c.Schedule = { Frequency: 'Monthly', MonthlyDate: '1' };
    }) as InventoryConfiguration;
    expect(diffConfigurations(SEED_SAMPLE_ENCRYPTED, plain)).toEqual([
      'Destination.COSBucketDestination.Encryption',
      'Filter',
      'Schedule.Frequency',
      'Schedule.MonthlyDate',
    ]);
    expect(diffConfigurations(plain, SEED_SAMPLE_ENCRYPTED)).toEqual(
      diffConfigurations(SEED_SAMPLE_ENCRYPTED, plain),
    );
  });

  it('treats { Prefix } and { And: { Prefix } } as the same filter, and keeps And when it holds more', () => {
    const plain = edited(MINIMAL, (c) => (c.Filter = { Prefix: 'logs/' })) as InventoryConfiguration;
    const viaAnd = edited(
      MINIMAL,
      (c) => (c.Filter = { And: { Prefix: 'logs/' } }),
    ) as InventoryConfiguration;
    expect(diffConfigurations(plain, viaAnd)).toEqual([]);
    expect(diffConfigurations(viaAnd, plain)).toEqual([]);
    const otherPrefix = edited(
      MINIMAL,
      (c) => (c.Filter = { And: { Prefix: 'other/' } }),
    ) as InventoryConfiguration;
    expect(diffConfigurations(plain, otherPrefix)).toEqual(['Filter.Prefix']);
    const tagged = edited(MINIMAL, (c) => {
      c.Filter = { And: { Prefix: 'logs/', Tag: [{ Key: 'k', Value: 'v' }] } };
      c.OptionalFields = ['Tag'];
    }) as InventoryConfiguration;
    expect(canonicalConfiguration(tagged).Filter).toEqual({
      And: { Prefix: 'logs/', Tag: [{ Key: 'k', Value: 'v' }] },
    });
  });

  it('compares tags as a whole, ignoring their order', () => {
    const tagged = (tags: { Key: string; Value: string }[]) =>
      edited(MINIMAL, (c) => {
        c.Filter = { And: { Tag: tags } };
        c.OptionalFields = ['Tag'];
      }) as InventoryConfiguration;
    const ab = tagged([
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
    ]);
    const ba = tagged([
      { Key: 'b', Value: '2' },
      { Key: 'a', Value: '1' },
    ]);
    expect(diffConfigurations(ab, ba)).toEqual([]);
    expect(diffConfigurations(ab, tagged([{ Key: 'a', Value: '1' }]))).toEqual(['Filter.And.Tag']);
  });
});
