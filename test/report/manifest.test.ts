import { parseManifest } from '../../src/report/manifest';
import { ReportFormatError } from '../../src/report/errors';

// The manifest sample of COS's "Inventory Overview" (seeds/003), values as strings.
const SAMPLE = {
  sourceAppid: '1250000000',
  sourceBucket: 'example-source-bucket',
  destinationAppid: '1250000000',
  destinationBucket: 'example-inventory-destination-bucket',
  fileFormat: 'CSV',
  listObjectCount: '13',
  listStorageSize: '7212835',
  filterObjectCount: '13',
  filterStorageSize: '7212835',
  fileSchema:
    'Appid, Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, ReplicationStatus',
  files: [
    {
      key: 'cos_bucket_inventory/1250000000/examplebucket/inventory01/04d73d9debc73d9f0bf85af461abde6c.csv.gz',
      size: '502',
      md5Checksum: '7D40288A09C25B302AD6CB5FCED54F35',
    },
  ],
};

describe('parseManifest', () => {
  it('reads the documented sample with typed counts and split columns', () => {
    const manifest = parseManifest(JSON.stringify(SAMPLE), 'm.json');
    expect(manifest.columns).toEqual([
      'Appid',
      'Bucket',
      'Key',
      'Size',
      'LastModifiedDate',
      'ETag',
      'StorageClass',
      'IsMultipartUploaded',
      'ReplicationStatus',
    ]);
    expect(manifest.listObjectCount).toBe(13);
    expect(manifest.filterStorageSize).toBe(7212835);
    expect(manifest.files).toEqual([
      { key: SAMPLE.files[0].key, size: 502, md5Checksum: '7d40288a09c25b302ad6cb5fced54f35' },
    ]);
  });

  it.each([
    ['not json', '{', /manifest is not valid json/],
    ['an array', '[]', /must be a json object/],
    ['another format', JSON.stringify({ ...SAMPLE, fileFormat: 'ORC' }), /fileFormat must be CSV.*"ORC"/],
    ['an empty column', JSON.stringify({ ...SAMPLE, fileSchema: 'Appid, , Key' }), /fileSchema must list/],
    ['a column twice', JSON.stringify({ ...SAMPLE, fileSchema: 'Key, Key' }), /names column Key twice/],
    [
      'a bad size',
      JSON.stringify({ ...SAMPLE, files: [{ ...SAMPLE.files[0], size: '-1' }] }),
      /files\[0\]\.size/,
    ],
    [
      'a bad md5',
      JSON.stringify({ ...SAMPLE, files: [{ ...SAMPLE.files[0], md5Checksum: 'abc' }] }),
      /files\[0\]\.md5Checksum must be 32 hex digits, received "abc"/,
    ],
    [
      'a bad count',
      JSON.stringify({ ...SAMPLE, listObjectCount: '1.5' }),
      /listObjectCount must be a whole number/,
    ],
    ['no files', JSON.stringify({ ...SAMPLE, files: undefined }), /files must be an array/],
  ])('refuses %s, naming the file and field', (_name, text, message) => {
    let caught: unknown;
    try {
      parseManifest(text, 'dest/m.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ReportFormatError);
    expect((caught as Error).message).toMatch(/^dest\/m\.json: /);
    expect((caught as Error).message).toMatch(message);
  });
});
