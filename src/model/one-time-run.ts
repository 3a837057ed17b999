/**
 * Ids of COS's one-time inventory runs (`POST /?inventory&id=`). COS refuses a one-time run
 * whose id is a scheduled job's, or an id already run that day (`DuplicateInventoryId`), and
 * delivers the report under the one-time id. So every run gets a fresh id derived from the
 * job: `<job id>-once-<UTC YYYYMMDDhhmmss>-<6 hex>`, the job id cut so the whole fits the
 * 64-character id limit. Tencent's Terraform provider does the same with `<id>_instant_<time>`.
 */
import { MAX_ID_LENGTH, ONE_TIME_RUN_ID_PATTERN } from './validate';

export const ONE_TIME_MARKER = '-once-';

/** `-once-` + 14 digits + `-` + 6 hex. */
const SUFFIX_LENGTH = ONE_TIME_MARKER.length + 14 + 1 + 6;

function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * A fresh one-time run id for `jobId` at `now`; `random` gives the 6 hex characters that keep
 * two runs in the same second apart.
 */
export function oneTimeRunId(jobId: string, now: Date, random: string): string {
  if (!/^[0-9a-f]{6}$/.test(random)) {
    throw new Error(
      `oneTimeRunId: random ${JSON.stringify(random)} is not valid: expected 6 lowercase hex digits`,
    );
  }
  if (!/^[A-Za-z0-9._-]+$/.test(jobId)) {
    throw new Error(`oneTimeRunId: jobId ${JSON.stringify(jobId)} is not valid: expected a-z A-Z 0-9 - _ .`);
  }
  const base = jobId.slice(0, MAX_ID_LENGTH - SUFFIX_LENGTH);
  return `${base}${ONE_TIME_MARKER}${utcStamp(now)}-${random}`;
}

/** Whether `id` has the form of a one-time run id (never used for a scheduled job by us). */
export function isOneTimeRunId(id: string): boolean {
  return ONE_TIME_RUN_ID_PATTERN.test(id);
}
