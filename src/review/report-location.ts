/** Where the reports of a job land, from the values a plan holds for it. */
import { parseBucketName } from '../model/bucket';
import { reportPrefix } from '../model/report-location';
import { Unknown } from './plan-json';

function text(value: unknown): string | undefined {
  if (value instanceof Unknown) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * `cos://<destination>/<prefix>/<appid>/<source name>/<job id>/`, or undefined when the source
 * bucket or the destination is not known. `destinationArn` is `qcs::cos:<region>::<name-appid>`.
 */
export function reportLocation(
  sourceBucket: string,
  jobId: string,
  destinationArn: unknown,
  destinationPrefix: unknown,
): string | undefined {
  const arn = text(destinationArn);
  if (arn === undefined) return undefined;
  try {
    const source = parseBucketName(sourceBucket);
    const bucket = /^qcs::cos:[^:]*::(.*)$/.exec(arn)?.[1] ?? arn;
    const prefix = reportPrefix({
      destinationPrefix: text(destinationPrefix),
      appId: source.appId,
      sourceBucketName: source.name,
      jobId,
    });
    return `cos://${bucket}/${prefix}`;
  } catch {
    return undefined;
  }
}
