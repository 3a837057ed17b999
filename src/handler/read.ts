import type { CosClient } from '../cos/client';
import { isNoSuchBucket, listAllInventories } from '../cos/inventory';
import { diffConfigurations, normalizeRemoteConfiguration } from '../model/compare';
import type { InventoryConfiguration } from '../model/configuration';
import { deliveryStatuses } from '../report/delivery-status';
import type { ReadQuery } from './spec';

/**
 * What the `external` data source receives: one flat object of strings.
 *
 * - `in_sync`: `'true'` when every declared job exists exactly as declared (undeclared jobs
 *   do not count), else `'false'`
 * - `bucket_status`: `'present'` or `'absent'` (a missing bucket is an answer, not a failure)
 * - `remote_count`: how many jobs the bucket holds
 * - `undeclared`: comma-separated ids the bucket holds that are not declared, `''` when none
 * - `drift_message`: `''` when in sync, else one line per absent or drifted job, with the
 *   `terraform apply -replace=<address>` that repairs it when the address is known
 * - `undeclared_message`: `''` or one line naming the undeclared jobs
 * - `job.<id>`: `'in-sync'`, `'absent'` or `'drifted:<field>,<field>'` per declared job
 *
 * With `delivery_check` `'true'` (the construct's `deliveryCheck`), also:
 * - `delivery_ok`: `'false'` when a declared, enabled job present in COS is `overdue`,
 *   `never` delivered or `unreadable` (model/delivery-verdict.ts), else `'true'`
 * - `delivery_message`: one line per such job, `''` when none
 * - `delivery.<id>`: the verdict of each such job that was checked
 */
export type ReadResult = Record<string, string>;

type JobState =
  | { readonly kind: 'in-sync' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'drifted'; readonly fields: readonly string[] };

function describeState(state: JobState): string {
  return state.kind === 'drifted' ? `drifted:${state.fields.join(',')}` : state.kind;
}

function repairAdvice(address: string | undefined): string {
  return address ? `; run terraform apply -replace=${address} to restore it` : '';
}

/** Compares the declared jobs with ONE paged listing of the bucket (never a get per job). */
export async function readInventory(client: CosClient, query: ReadQuery): Promise<ReadResult> {
  let remote: readonly unknown[] = [];
  let bucketStatus = 'present';
  try {
    remote = (await listAllInventories(client, { bucket: query.bucket, region: query.region }))
      .configurations;
  } catch (error) {
    if (!isNoSuchBucket(error)) throw error;
    bucketStatus = 'absent';
  }
  const result = compareWithRemote(query, remote, bucketStatus);
  return query.deliveryCheck === true
    ? { ...result, ...(await checkDeliveries(client, query, remote)) }
    : result;
}

/** Verdicts that warn at plan time. */
export const WARNING_VERDICTS: ReadonlySet<string> = new Set(['overdue', 'never', 'unreadable']);

/**
 * The delivery verdicts of the declared, enabled jobs that COS holds (an absent job is drift,
 * reported above): one folder listing per job, plus one HEAD of its newest manifest.
 */
async function checkDeliveries(
  client: CosClient,
  query: ReadQuery,
  remote: readonly unknown[],
): Promise<ReadResult> {
  const present = new Set(remote.map((raw) => normalizeRemoteConfiguration(raw).Id));
  const configurations = query.configurations.filter(
    (config) => present.has(config.Id) && config.IsEnabled !== 'false',
  );
  let statuses;
  try {
    statuses = await deliveryStatuses(client, { bucket: query.bucket, region: query.region, configurations });
  } catch (error) {
    // A destination that keeps failing must not hide the drift part of the answer.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      delivery_ok: 'false',
      delivery_message: `deliveries of the jobs of bucket ${query.bucket} could not be checked: ${reason}`,
    };
  }
  const warnings = statuses.filter((status) => WARNING_VERDICTS.has(status.verdict));
  return {
    delivery_ok: String(warnings.length === 0),
    delivery_message: warnings.map((status) => `${status.detail} (bucket ${query.bucket})`).join('\n'),
    ...Object.fromEntries(statuses.map((status) => [`delivery.${status.id}`, status.verdict])),
  };
}

/** The pure half of `read`: the answer for a given listing. */
export function compareWithRemote(
  query: ReadQuery,
  remote: readonly unknown[],
  bucketStatus: string,
): ReadResult {
  const remoteById = new Map<string, InventoryConfiguration>();
  for (const raw of remote) {
    const normalized = normalizeRemoteConfiguration(raw);
    remoteById.set(normalized.Id, normalized);
  }
  const result: ReadResult = {};
  const driftLines: string[] = [];
  for (const declared of query.configurations) {
    const actual = remoteById.get(declared.Id);
    const fields = actual === undefined ? [] : diffConfigurations(declared, actual);
    const state: JobState =
      actual === undefined
        ? { kind: 'absent' }
        : fields.length > 0
          ? { kind: 'drifted', fields }
          : { kind: 'in-sync' };
    result[`job.${declared.Id}`] = describeState(state);
    const advice = repairAdvice(query.addresses[declared.Id]);
    if (state.kind === 'absent') {
      const where =
        bucketStatus === 'absent'
          ? `bucket ${query.bucket} does not exist`
          : `it is missing from bucket ${query.bucket}`;
      driftLines.push(`inventory job ${declared.Id} is absent: ${where}${advice}`);
    } else if (state.kind === 'drifted') {
      driftLines.push(
        `inventory job ${declared.Id} on bucket ${query.bucket} drifted in ${state.fields.join(', ')}${advice}`,
      );
    }
  }
  const declaredIds = new Set(query.configurations.map((config) => config.Id));
  const undeclared = [...remoteById.keys()].filter((id) => !declaredIds.has(id)).sort();
  return {
    in_sync: String(driftLines.length === 0),
    bucket_status: bucketStatus,
    remote_count: String(remoteById.size),
    undeclared: undeclared.join(','),
    drift_message: driftLines.join('\n'),
    undeclared_message:
      undeclared.length === 0
        ? ''
        : `bucket ${query.bucket} holds inventory jobs not declared here: ${undeclared.join(', ')} (import them with cos-inventory import --bucket ${query.bucket} --region ${query.region}, or delete them if unwanted)`,
    ...result,
  };
}
