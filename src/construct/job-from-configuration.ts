/**
 * The inverse of `job-configuration.ts`: a configuration COS holds, as the construct's
 * `InventoryJob` props, for `cos-inventory import`. Pure code (no cdktf): the command line
 * loads it without the construct framework. A configuration the props cannot state exactly is
 * refused with the reasons, never approximated; `jobConfiguration(job)` of an accepted result
 * equals the canonical input (tested on generated configurations).
 */
import { DESTINATION_ARN_PATTERN } from '../model/bucket';
import { canonicalConfiguration } from '../model/canonical';
import type { InventoryConfiguration } from '../model/configuration';
import { formatProblem } from '../model/problem';
import { validateConfiguration, validateJobSet } from '../model/validate';
import type { InventoryJob, InventoryJobFilter, InventoryJobPeriod } from './inventory-job';
import { jobResourceName } from './logical-names';

/** A job the props state exactly, or why they cannot. */
export type JobFromConfiguration =
  | { readonly ok: true; readonly job: InventoryJob }
  | { readonly ok: false; readonly id: string; readonly reasons: readonly string[] };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Unix seconds as the number the props take; `undefined` when a number cannot hold it exactly. */
function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) && String(number) === value ? number : undefined;
}

function filterProps(config: InventoryConfiguration, reasons: string[]): InventoryJobFilter | undefined {
  const filter = config.Filter;
  if (filter === undefined) return undefined;
  const result: Mutable<InventoryJobFilter> = {};
  const prefix = filter.Prefix ?? filter.And?.Prefix;
  if (prefix !== undefined) result.prefix = prefix;
  if (filter.And?.StorageClass !== undefined) {
    reasons.push(
      `Filter.And.StorageClass: the construct has no storage-class filter (an undocumented cos field) (received ${JSON.stringify(filter.And.StorageClass)})`,
    );
  }
  const tags = filter.And?.Tag ?? [];
  // The list form keeps every tag, also two with one key, in canonical order.
  if (tags.length > 0) result.tags = tags.map((tag) => ({ key: tag.Key, value: tag.Value }));
  if (filter.Period !== undefined) {
    const period: Mutable<InventoryJobPeriod> = {};
    for (const [field, prop] of [
      ['StartTime', 'startTime'],
      ['EndTime', 'endTime'],
    ] as const) {
      const text = filter.Period[field];
      if (text === undefined) continue;
      const value = seconds(text);
      if (value === undefined) {
        reasons.push(
          `Filter.Period.${field}: must be unix seconds a javascript number holds exactly (received ${JSON.stringify(text)})`,
        );
      } else {
        period[prop] = value;
      }
    }
    result.period = period;
  }
  return result;
}

/**
 * `config` (as `normalizeRemoteConfiguration` returns it) as construct props, for a bucket in
 * `sourceRegion`. Defaults are left out except `optionalFields`, which is always written: it is
 * the report's column list, and a job imported from COS should not follow a change of ours.
 */
export function jobFromConfiguration(
  config: InventoryConfiguration,
  sourceRegion: string,
): JobFromConfiguration {
  const id = typeof config.Id === 'string' ? config.Id : String(config.Id);
  const problems = validateConfiguration(config, { sourceRegion });
  if (problems.length > 0) {
    return { ok: false, id, reasons: problems.map((problem) => formatProblem(problem)) };
  }
  const canonical = canonicalConfiguration(config);
  const reasons: string[] = [];
  const destination = canonical.Destination.COSBucketDestination;
  // Validation has checked the form and the region: the name-appid alone says the same.
  const bucket = DESTINATION_ARN_PATTERN.exec(destination.Bucket)![2];
  const schedule = canonical.Schedule;
  const filter = filterProps(canonical, reasons);
  if (reasons.length > 0) return { ok: false, id, reasons };
  const job: InventoryJob = {
    id: canonical.Id,
    ...(canonical.IsEnabled === 'false' ? { enabled: false } : {}),
    destination: {
      bucket,
      ...(destination.Prefix !== undefined ? { prefix: destination.Prefix } : {}),
      ...(destination.AccountId !== undefined ? { accountId: destination.AccountId } : {}),
      ...(destination.Encryption !== undefined ? { encryption: 'SSE-COS' as const } : {}),
    },
    ...(schedule.Frequency !== 'Daily'
      ? {
          schedule: {
            frequency: schedule.Frequency,
            ...(schedule.MonthlyDate !== undefined ? { monthlyDate: Number(schedule.MonthlyDate) } : {}),
          },
        }
      : {}),
    ...(filter !== undefined ? { filter } : {}),
    ...(canonical.IncludedObjectVersions !== 'Current'
      ? { includedObjectVersions: canonical.IncludedObjectVersions }
      : {}),
    optionalFields: [...(canonical.OptionalFields ?? [])],
  };
  return { ok: true, job };
}

/** The jobs of one bucket: each as props, or refused; plus problems of the set as a whole. */
export interface JobsFromConfigurations {
  readonly jobs: readonly InventoryJob[];
  readonly refused: readonly { readonly id: string; readonly reasons: readonly string[] }[];
}

/**
 * Every configuration of a bucket as props for one `BucketInventory` with id `constructId`,
 * in id order. Refuses, besides what {@link jobFromConfiguration} refuses, duplicate ids and
 * ids that would share a Terraform resource name (the construct rejects both at synth).
 */
export function jobsFromConfigurations(
  configs: readonly InventoryConfiguration[],
  sourceRegion: string,
  constructId: string,
): JobsFromConfigurations {
  const refused: { id: string; reasons: string[] }[] = [];
  const duplicated = new Set(
    validateJobSet(configs)
      .filter((problem) => problem.field.endsWith('.Id'))
      .map((problem) => String(problem.value)),
  );
  const names = new Map<string, string>();
  const jobs: InventoryJob[] = [];
  const sorted = [...configs].sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
  for (const config of sorted) {
    if (duplicated.has(config.Id)) {
      if (!refused.some((r) => r.id === config.Id)) {
        refused.push({ id: config.Id, reasons: ['Id: the bucket lists this id more than once'] });
      }
      continue;
    }
    const result = jobFromConfiguration(config, sourceRegion);
    if (!result.ok) {
      refused.push({ id: result.id, reasons: [...result.reasons] });
      continue;
    }
    const name = jobResourceName(constructId, result.job.id);
    const other = names.get(name);
    if (other !== undefined) {
      refused.push({
        id: result.job.id,
        reasons: [`Id: gets the terraform name ${name} of job ${JSON.stringify(other)}`],
      });
      continue;
    }
    names.set(name, result.job.id);
    jobs.push(result.job);
  }
  return { jobs, refused };
}
