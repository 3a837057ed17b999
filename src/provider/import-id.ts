/** The import id of a job, `<region>/<bucket>/<job_id>` (`jobImportId`), read back. */
import { isValidBucketName, isValidRegion } from '../model/bucket';
import { ID_PATTERN } from '../model/validate';

export interface JobAddress {
  readonly region: string;
  readonly bucket: string;
  readonly jobId: string;
}

const FORM = '<region>/<bucket>/<job_id>, e.g. ap-guangzhou/examplebucket-1250000000/daily-inventory';

/** Parses an import id; throws a message naming the id received and the form allowed. */
export function parseJobImportId(id: string): JobAddress {
  const parts = id.split('/');
  const [region = '', bucket = '', jobId = ''] = parts;
  const problem =
    parts.length !== 3
      ? `has ${parts.length} part${parts.length === 1 ? '' : 's'} separated by "/"`
      : !isValidRegion(region)
        ? `has no valid region first (received ${JSON.stringify(region)})`
        : !isValidBucketName(bucket)
          ? `has no valid bucket name-appid second (received ${JSON.stringify(bucket)})`
          : !ID_PATTERN.test(jobId)
            ? `has no valid job id third (received ${JSON.stringify(jobId)}; letters, digits, ".", "_" and "-" allowed)`
            : undefined;
  if (problem !== undefined) {
    throw new Error(`import id ${JSON.stringify(id)} ${problem}: expected ${FORM}`);
  }
  return { region, bucket, jobId };
}
