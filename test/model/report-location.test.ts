import {
  DEFAULT_REPORT_PREFIX,
  manifestChecksumKey,
  manifestKey,
  reportDate,
  reportPrefix,
} from '../../src/model';

describe('reportPrefix', () => {
  it('follows <prefix>/<appid>/<source-bucket-name>/<id>/', () => {
    expect(
      reportPrefix({
        destinationPrefix: 'inv',
        appId: '1250000000',
        sourceBucketName: 'photos',
        jobId: 'daily',
      }),
    ).toBe('inv/1250000000/photos/daily/');
  });

  it('uses cos_bucket_inventory without a prefix, as the manifest sample of seeds/003 does', () => {
    const sampleKey =
      'cos_bucket_inventory/1250000000/examplebucket/inventory01/04d73d9debc73d9f0bf85af461abde6c.csv.gz';
    const location = reportPrefix({
      appId: '1250000000',
      sourceBucketName: 'examplebucket',
      jobId: 'inventory01',
    });
    expect(DEFAULT_REPORT_PREFIX).toBe('cos_bucket_inventory');
    expect(sampleKey.startsWith(location)).toBe(true);
    expect(reportPrefix({ destinationPrefix: '', appId: '1', sourceBucketName: 'a', jobId: 'b' })).toBe(
      'cos_bucket_inventory/1/a/b/',
    );
  });

  it('rejects empty parts and slashes', () => {
    expect(() => reportPrefix({ appId: '', sourceBucketName: 'a', jobId: 'b' })).toThrow(
      `reportPrefix: appId "" is not valid: expected a non-empty string without '/'`,
    );
    expect(() => reportPrefix({ appId: '1', sourceBucketName: 'a/b', jobId: 'b' })).toThrow(
      'reportPrefix: sourceBucketName "a/b" is not valid',
    );
  });
});

describe('manifestKey', () => {
  const location = 'inv/1250000000/photos/daily/';
  it('places manifest.json and manifest.checksum in the day folder', () => {
    expect(manifestKey(location, '20260102')).toBe('inv/1250000000/photos/daily/20260102/manifest.json');
    expect(manifestChecksumKey(location, '20260102')).toBe(
      'inv/1250000000/photos/daily/20260102/manifest.checksum',
    );
  });
  it('formats dates in UTC and tolerates a location without the trailing slash', () => {
    expect(reportDate(new Date('2026-03-04T23:59:59Z'))).toBe('20260304');
    expect(manifestKey('inv/1/a/b', new Date('2026-03-04T00:00:00Z'))).toBe(
      'inv/1/a/b/20260304/manifest.json',
    );
  });
  it('rejects other date forms', () => {
    expect(() => manifestKey(location, '2026-01-02')).toThrow(
      'manifestKey: date "2026-01-02" is not valid: expected YYYYMMDD',
    );
  });
});
