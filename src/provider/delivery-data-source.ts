/**
 * `data "cosinventory_job_delivery"`: whether a job's reports arrive, for the construct's
 * `deliveryCheck` inside a `check` block (where a failed assertion is a warning). The job's
 * configuration comes from the bucket's shared listing; the verdict from the report reader
 * (one folder listing of the job's report folder, one HEAD of its newest manifest), judged
 * as the handler's `read` judges it.
 */
import { WARNING_VERDICTS } from '../handler/read';
import { isValidBucketName, isValidRegion } from '../model/bucket';
import { deliveryStatuses } from '../report/delivery-status';
import { errorDiagnostic, type Diagnostic } from '../tfplugin/diagnostics';
import { ctyBool, ctyString } from '../tfplugin/cty-type';
import type { DataSourceDefinition } from '../tfplugin/provider';
import type { Schema } from '../tfplugin/schema';
import type { TfObject } from '../tfplugin/value';
import { PROVIDER_TYPE } from './names';
import { bucketKey, type ProviderRuntime } from './provider-runtime';

/** Whether a job's reports arrive (the construct's `deliveryCheck`). */
export const DELIVERY_DATA_SOURCE_TYPE = `${PROVIDER_TYPE}_job_delivery`;

/** The verdict of a job the bucket does not hold (its absence is the job resource's drift). */
export const ABSENT_VERDICT = 'absent';

export const DELIVERY_SCHEMA: Schema = {
  block: {
    description: "Whether an inventory job's reports arrive in its destination.",
    attributes: {
      region: { type: ctyString, required: true, description: 'Region of the source bucket.' },
      bucket: { type: ctyString, required: true, description: 'Source bucket `name-appid`.' },
      job_id: { type: ctyString, required: true, description: 'The job id.' },
      verdict: {
        type: ctyString,
        computed: true,
        description:
          '`ok`, `disabled`, `never`, `overdue`, `unreadable`, or `absent` when the bucket holds no such job.',
      },
      ok: {
        type: ctyBool,
        computed: true,
        description:
          'False when the job is enabled and its reports are overdue, never arrived or unreadable.',
      },
      detail: { type: ctyString, computed: true, description: 'One line saying why.' },
      newest_date: {
        type: ctyString,
        computed: true,
        description: 'Date folder (`YYYYMMDD`) of the newest delivery, null when none.',
      },
    },
  },
};

export function deliveryDataSource(runtime: ProviderRuntime): DataSourceDefinition {
  return {
    schema: DELIVERY_SCHEMA,
    validate(config) {
      const diagnostics: Diagnostic[] = [];
      const invalid = (message: string) =>
        diagnostics.push(errorDiagnostic(`invalid ${DELIVERY_DATA_SOURCE_TYPE}`, message));
      if (typeof config.region === 'string' && !isValidRegion(config.region))
        invalid(
          `region: must be a cos region id such as "ap-guangzhou" (received ${JSON.stringify(config.region)})`,
        );
      if (typeof config.bucket === 'string' && !isValidBucketName(config.bucket))
        invalid(`bucket: must be the source bucket's name-appid (received ${JSON.stringify(config.bucket)})`);
      return diagnostics;
    },
    async read(config) {
      const region = String(config.region);
      const bucket = String(config.bucket);
      const jobId = String(config.job_id);
      const where = { verb: 'provider read-delivery', bucket, id: jobId };
      try {
        const listing = await runtime.listings.current(bucketKey(region, bucket));
        const configuration = listing.value.jobs.get(jobId);
        if (configuration === undefined) {
          const state: TfObject = {
            ...config,
            verdict: ABSENT_VERDICT,
            ok: true,
            detail: `inventory job ${jobId} is not in bucket ${bucket}: nothing is delivered`,
            newest_date: null,
          };
          return { state };
        }
        const client = await runtime.client();
        const [status] = await deliveryStatuses(client, {
          bucket,
          region,
          configurations: [configuration],
          now: new Date(runtime.clock.now()),
        });
        const state: TfObject = {
          ...config,
          verdict: status.verdict,
          ok: !WARNING_VERDICTS.has(status.verdict),
          detail: `${status.detail} (bucket ${bucket})`,
          newest_date: status.newestDate ?? null,
        };
        return { state };
      } catch (error) {
        return {
          diagnostics: [
            runtime.failure(`checking the deliveries of inventory job ${jobId} failed`, error, where),
          ],
        };
      }
    },
  };
}
