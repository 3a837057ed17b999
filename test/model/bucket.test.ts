import {
  BUCKET_NAME_PATTERN,
  destinationBucketArn,
  isValidBucketName,
  isValidRegion,
  parseBucketName,
  parseDestinationBucket,
} from '../../src/model';

describe('parseBucketName', () => {
  it('splits name and appid at the last hyphen', () => {
    expect(parseBucketName('examplebucket-1250000000')).toEqual({
      name: 'examplebucket',
      appId: '1250000000',
    });
    expect(parseBucketName('my-logs-2024-1250000000')).toEqual({ name: 'my-logs-2024', appId: '1250000000' });
  });

  it.each([
    'examplebucket',
    'Example-1250000000',
    'ex_ample-1250000000',
    '-ex-1250000000',
    'ex--1250000000',
    'ex-12a',
    '',
  ])('rejects %j with a message naming the value and the expected form', (bucket) => {
    expect(() => parseBucketName(bucket)).toThrow(
      `parseBucketName: bucket ${JSON.stringify(bucket)} is not valid: expected <name>-<appid>`,
    );
  });

  it('agrees with the exported pattern', () => {
    expect(BUCKET_NAME_PATTERN.test('a-1')).toBe(true);
    expect(isValidBucketName('a-1')).toBe(true);
    expect(isValidBucketName('a')).toBe(false);
  });
});

describe('isValidRegion', () => {
  it.each([
    'ap-guangzhou',
    'ap-beijing',
    'na-siliconvalley',
    'ap-shanghai-fsi',
    'ap-beijing-1',
    'eu-frankfurt',
  ])('accepts %s', (region) => expect(isValidRegion(region)).toBe(true));
  it.each(['', 'guangzhou', 'AP-GUANGZHOU', 'ap guangzhou', 'ap-', 'ap-guangzhou/'])('rejects %j', (region) =>
    expect(isValidRegion(region)).toBe(false),
  );
});

describe('destinationBucketArn', () => {
  it('builds qcs::cos:<region>::<bucket>', () => {
    expect(destinationBucketArn('ap-guangzhou', 'reports-1250000000')).toBe(
      'qcs::cos:ap-guangzhou::reports-1250000000',
    );
  });
  it('rejects a bad region or bucket', () => {
    expect(() => destinationBucketArn('nowhere', 'reports-1250000000')).toThrow(
      'destinationBucketArn: region "nowhere" is not valid',
    );
    expect(() => destinationBucketArn('ap-guangzhou', 'reports')).toThrow(
      'parseBucketName: bucket "reports"',
    );
  });
});

describe('parseDestinationBucket', () => {
  it('accepts a bare name-appid in the default region', () => {
    expect(parseDestinationBucket('reports-1250000000', 'ap-beijing')).toEqual({
      region: 'ap-beijing',
      bucket: 'reports-1250000000',
      name: 'reports',
      appId: '1250000000',
    });
  });
  it('takes the region from the qcs form', () => {
    expect(parseDestinationBucket('qcs::cos:ap-guangzhou::reports-1250000001', 'ap-beijing')).toEqual({
      region: 'ap-guangzhou',
      bucket: 'reports-1250000001',
      name: 'reports',
      appId: '1250000001',
    });
  });
  it.each([
    'qcs::cos:ap-guangzhou:reports-1250000000',
    'qcs::cos:::reports-1250000000',
    'qcs::cos:ap-guangzhou::reports',
    'reports',
  ])('rejects %j', (value) => {
    expect(() => parseDestinationBucket(value, 'ap-beijing')).toThrow(
      `parseDestinationBucket: destination bucket ${JSON.stringify(value)} is not valid: ` +
        'expected "<name>-<appid>" or "qcs::cos:<region>::<name>-<appid>"',
    );
  });
  it('rejects an invalid default region for a bare name', () => {
    expect(() => parseDestinationBucket('reports-1250000000', '')).toThrow(
      'parseDestinationBucket: region "" is not valid',
    );
  });
});
