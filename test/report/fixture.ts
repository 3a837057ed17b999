import type COS from 'cos-nodejs-sdk-v5';
import type { CosClient } from '../../src/cos/client';
import type { LocalCos } from '../../src/emulator';
import { startKit, type TestClock } from '../kit';

export const REGION = 'ap-guangzhou';
export const SOURCE = 'source-1250000000';
export const DEST = 'reports-1250000000';
export const JOB = 'daily-all';
export const PREFIX = 'inv';

/** Keys that stress URL-encoding, CSV quoting and UTF-8 in reports. */
export const AWKWARD_KEYS = [
  'plain.txt',
  'dir/with space.txt',
  'percent%25and%.txt',
  'plus+sign+.txt',
  'comma,file,.csv',
  'quote"s\'and`ticks.txt',
  'new\nline\r\nkey.txt',
  '中文/文件 名.txt',
  'emoji/🎉 party.bin',
  'deep/a/b/c/d.txt',
  'semi;colon&amp=eq?q#hash.txt',
  'tab\there.txt',
];

export interface Fixture {
  readonly cos: LocalCos;
  readonly sdk: COS;
  readonly client: CosClient;
  close(): Promise<void>;
}

/** LocalCos with SOURCE (versioned or not) and DEST; `clock` drives its delivery delay. */
export async function startFixture(
  rowsPerFile?: number,
  sourceVersioned = false,
  clock?: TestClock,
): Promise<Fixture> {
  const source = `${SOURCE}@${REGION}`;
  return startKit({
    ...(rowsPerFile === undefined ? {} : { rowsPerFile }),
    ...(clock ? { clock } : {}),
    buckets: [...(sourceVersioned ? [] : [source]), `${DEST}@${REGION}`],
    versionedBuckets: sourceVersioned ? [source] : [],
  });
}

/** Declares the job through the SDK, as the handler would. */
export async function putJob(
  sdk: COS,
  optionalFields: string[] = ['Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'IsMultipartUploaded'],
  versions: 'All' | 'Current' = 'Current',
): Promise<void> {
  await sdk.putBucketInventory({
    Bucket: SOURCE,
    Region: REGION,
    Id: JOB,
    InventoryConfiguration: {
      Id: JOB,
      IsEnabled: 'true',
      Destination: {
        COSBucketDestination: { Format: 'CSV', Bucket: `qcs::cos:${REGION}::${DEST}`, Prefix: PREFIX },
      },
      Schedule: { Frequency: 'Daily' },
      IncludedObjectVersions: versions,
      OptionalFields: optionalFields,
    } as COS.InventoryConfiguration,
  });
}

/** What a listing of the source bucket says about each object, in the report's terms. */
export interface ExpectedObject {
  readonly Key: string;
  readonly Size: number;
  readonly ETag: string;
  readonly StorageClass: string;
  readonly LastModified: number;
}

export function unquote(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

export async function listSource(sdk: COS): Promise<ExpectedObject[]> {
  // URL-encoded keys: XML would turn a CR LF inside a key into LF.
  const listing = await sdk.getBucket({ Bucket: SOURCE, Region: REGION, MaxKeys: 1000, EncodingType: 'url' });
  return listing.Contents.map((object) => ({
    Key: decodeURIComponent(object.Key),
    Size: Number(object.Size),
    ETag: unquote(object.ETag),
    StorageClass: object.StorageClass,
    LastModified: Date.parse(object.LastModified),
  })).sort((a, b) => (a.Key < b.Key ? -1 : 1));
}
