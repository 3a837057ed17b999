/**
 * `cosinventory_job`: one PUT per create or update (no read-back wait: a Terraform worker must
 * not sit out COS's lag per job), an idempotent DELETE, and refreshes served from one listing
 * per bucket per process. A refresh that does not find a job this provider wrote recently (its
 * write time is in the private state) re-lists the bucket with backoff within the read-back
 * window before it believes COS, so lag waits grow per bucket, not per job.
 */
import { deleteInventory, isNoSuchBucket, putInventory } from '../cos/inventory';
import { READBACK_FIRST_DELAY_MS, READBACK_MAX_DELAY_MS } from '../handler/read-back';
import { diffConfigurations } from '../model/compare';
import type { InventoryConfiguration } from '../model/configuration';
import { configurationFromAttributes, jobAttributes, type JobAttributes } from '../model/job-attributes';
import { formatProblem } from '../model/problem';
import { validateConfiguration } from '../model/validate';
import { isValidBucketName, isValidRegion } from '../model/bucket';
import { errorDiagnostic, type Diagnostic } from '../tfplugin/diagnostics';
import type { ApplyRequest, ResourceDefinition } from '../tfplugin/provider';
import { containsUnknown, isObject, type TfObject } from '../tfplugin/value';
import { ALLOWED_ACCOUNT_IDS, guardIds, guardProblems } from './account-guard';
import { parseJobImportId } from './import-id';
import { legacyString, legacyTriggers } from './legacy-state';
import { JOB_RESOURCE_TYPE } from './names';
import { decodePrivate, encodePrivate, isRecentWrite } from './private-state';
import { bucketKey, type JobListing, type ProviderRuntime } from './provider-runtime';
import type { SharedRead } from './shared-reads';
import { attributesOf, JOB_SCHEMA, jobState } from './job-schema';

/** Whether COS's job says what the attributes say (compared in canonical form). */
function sameJob(attributes: JobAttributes, stored: InventoryConfiguration): boolean {
  try {
    return diffConfigurations(configurationFromAttributes(attributes), stored).length === 0;
  } catch {
    return false;
  }
}

/** Problems of a known configuration, as COS would refuse it. */
function validateJob(config: TfObject): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const invalid = (message: string) =>
    diagnostics.push(errorDiagnostic(`invalid ${JOB_RESOURCE_TYPE}`, message));
  diagnostics.push(...guardProblems(config[ALLOWED_ACCOUNT_IDS], `invalid ${JOB_RESOURCE_TYPE}`));
  for (const name of ['filter_tags', 'optional_fields'] as const) {
    const value = config[name];
    if (
      (Array.isArray(value) && value.length === 0) ||
      (isObject(value) && Object.keys(value).length === 0)
    ) {
      invalid(
        `${name}: must be null or hold at least one entry, COS stores none as absent (received ${JSON.stringify(value)})`,
      );
    }
  }
  if (containsUnknown(config)) return diagnostics;
  const attributes = attributesOf(config);
  if (!isValidRegion(attributes.region)) {
    invalid(
      `region: must be a cos region id such as "ap-guangzhou" (received ${JSON.stringify(attributes.region)})`,
    );
  }
  if (!isValidBucketName(attributes.bucket)) {
    invalid(`bucket: must be the source bucket's name-appid (received ${JSON.stringify(attributes.bucket)})`);
  }
  let configuration: InventoryConfiguration;
  try {
    configuration = configurationFromAttributes(attributes);
  } catch (error) {
    invalid(error instanceof Error ? error.message : String(error));
    return diagnostics;
  }
  for (const problem of validateConfiguration(configuration, { sourceRegion: attributes.region })) {
    invalid(formatProblem(problem));
  }
  return diagnostics;
}

export function jobResource(runtime: ProviderRuntime): ResourceDefinition {
  const where = (verb: string, attributes: JobAttributes) => ({
    verb: `provider ${verb}`,
    bucket: attributes.bucket,
    id: attributes.job_id,
  });

  const put = async (request: ApplyRequest, verb: string) => {
    const attributes = attributesOf(request.plannedState);
    const target = { bucket: attributes.bucket, region: attributes.region };
    // Only the guard changed: nothing to write to COS.
    const guardOnly =
      request.priorState !== null &&
      JSON.stringify(attributesOf(request.priorState)) === JSON.stringify(attributes);
    try {
      await runtime.checkAccount(guardIds(request.plannedState[ALLOWED_ACCOUNT_IDS]), JOB_RESOURCE_TYPE);
      if (guardOnly) {
        return {
          state: { ...request.plannedState, id: jobState(attributes).id },
          private: request.plannedPrivate,
        };
      }
      const client = await runtime.client();
      await runtime.write(() => putInventory(client, target, configurationFromAttributes(attributes)));
    } catch (error) {
      return {
        diagnostics: [
          runtime.failure(
            `${verb} inventory job ${attributes.job_id} on bucket ${attributes.bucket} failed`,
            error,
            where('put-job', attributes),
          ),
        ],
      };
    }
    runtime.listings.forget(bucketKey(target.region, target.bucket));
    return {
      state: { ...request.plannedState, id: jobState(attributes).id },
      private: encodePrivate({ writtenAt: runtime.clock.now() }),
    };
  };

  /** The bucket's listing, re-listed with backoff while a recent write does not show in it. */
  const listingFor = async (
    attributes: JobAttributes,
    privateBytes: Buffer,
  ): Promise<SharedRead<JobListing>> => {
    const key = bucketKey(attributes.region, attributes.bucket);
    const written = decodePrivate(privateBytes);
    const window = runtime.readBack.windowMs;
    let seen = await runtime.listings.current(key);
    let delay = READBACK_FIRST_DELAY_MS;
    const shows = (read: SharedRead<JobListing>) => {
      const stored = read.value.jobs.get(attributes.job_id);
      return stored !== undefined && sameJob(attributes, stored);
    };
    while (!shows(seen) && isRecentWrite(written, runtime.clock.now(), window)) {
      if (runtime.clock.now() + delay - (written.writtenAt as number) > window) break;
      seen = await runtime.listings.fresher(key, seen, delay);
      delay = Math.min(delay * 2, READBACK_MAX_DELAY_MS);
    }
    return seen;
  };

  return {
    schema: JOB_SCHEMA,

    validate: (config) => validateJob(config),

    create: (request) => put(request, 'creating'),

    update: (request) => put(request, 'updating'),

    async delete(priorState) {
      const attributes = attributesOf(priorState);
      const target = { bucket: attributes.bucket, region: attributes.region };
      try {
        // The guard in state: the configuration that set it may be gone.
        await runtime.checkAccount(guardIds(priorState[ALLOWED_ACCOUNT_IDS]), JOB_RESOURCE_TYPE);
        const client = await runtime.client();
        await runtime.write(async () => {
          try {
            await deleteInventory(client, target, attributes.job_id);
          } catch (error) {
            // A bucket that is gone holds no job: the job is deleted as asked.
            if (!isNoSuchBucket(error)) throw error;
          }
        });
      } catch (error) {
        return {
          diagnostics: [
            runtime.failure(
              `deleting inventory job ${attributes.job_id} from bucket ${attributes.bucket} failed`,
              error,
              where('delete-job', attributes),
            ),
          ],
        };
      }
      runtime.listings.forget(bucketKey(target.region, target.bucket));
      return {};
    },

    async read(state, currentPrivate) {
      const attributes = attributesOf(state);
      let listing: SharedRead<JobListing>;
      try {
        listing = await listingFor(attributes, currentPrivate);
      } catch (error) {
        return {
          diagnostics: [
            runtime.failure(
              `reading the inventory jobs of bucket ${attributes.bucket} failed`,
              error,
              where('read', attributes),
            ),
          ],
        };
      }
      const stored = listing.value.jobs.get(attributes.job_id);
      if (stored === undefined) return { state: null };
      // Unchanged: keep the configuration's own spelling (the order of optional_fields, say).
      if (sameJob(attributes, stored)) return { state: { ...state, id: jobState(attributes).id } };
      return {
        state: {
          ...jobState(jobAttributes(stored, attributes.bucket, attributes.region)),
          // The guard is the configuration's, not COS's: a refresh keeps it.
          ...(state[ALLOWED_ACCOUNT_IDS] == null
            ? {}
            : { [ALLOWED_ACCOUNT_IDS]: state[ALLOWED_ACCOUNT_IDS] }),
        },
      };
    },

    async importState(id) {
      let address;
      try {
        address = parseJobImportId(id);
      } catch (error) {
        return {
          diagnostics: [errorDiagnostic(`cannot import ${JOB_RESOURCE_TYPE}`, (error as Error).message)],
        };
      }
      const where = { verb: 'provider import', bucket: address.bucket, id: address.jobId };
      let listing: SharedRead<JobListing>;
      try {
        listing = await runtime.listings.current(bucketKey(address.region, address.bucket));
      } catch (error) {
        return {
          diagnostics: [
            runtime.failure(`reading the inventory jobs of bucket ${address.bucket} failed`, error, where),
          ],
        };
      }
      const stored = listing.value.jobs.get(address.jobId);
      if (stored === undefined) {
        const why = listing.value.exists
          ? `bucket ${address.bucket} in ${address.region} holds no inventory job ${address.jobId}`
          : `bucket ${address.bucket} does not exist in ${address.region}`;
        return {
          diagnostics: [
            errorDiagnostic(
              `cannot import ${JOB_RESOURCE_TYPE} ${JSON.stringify(id)}`,
              `${why}: nothing to import (ids present: ${[...listing.value.jobs.keys()].sort().join(', ') || 'none'})`,
            ),
          ],
        };
      }
      return { state: jobState(jobAttributes(stored, address.bucket, address.region)) };
    },

    async moveState(request) {
      try {
        const expected = '{ bucket, region, id, configuration }';
        const triggers = legacyTriggers(request, JOB_RESOURCE_TYPE, expected);
        const bucket = legacyString(triggers, 'bucket', JOB_RESOURCE_TYPE);
        const region = legacyString(triggers, 'region', JOB_RESOURCE_TYPE);
        const id = legacyString(triggers, 'id', JOB_RESOURCE_TYPE);
        const configuration = triggers.configuration;
        if (!isObject(configuration) || configuration.Id !== id) {
          throw new Error(
            `cannot move this terraform_data to ${JOB_RESOURCE_TYPE}: triggers_replace.configuration is not the configuration of job ${JSON.stringify(id)} (received ${JSON.stringify(configuration ?? null).slice(0, 200)})`,
          );
        }
        const attributes = jobAttributes(configuration as unknown as InventoryConfiguration, bucket, region);
        return { state: jobState(attributes) };
      } catch (error) {
        return {
          diagnostics: [
            errorDiagnostic(
              `cannot move ${request.sourceTypeName} to ${JOB_RESOURCE_TYPE}`,
              (error as Error).message,
            ),
          ],
        };
      }
    },
  };
}
