/**
 * Plan JSON in the shape `terraform show -json` writes (format 1.2, Terraform 1.11): the
 * `resource_changes[].change.{actions,before,after,after_unknown,importing}` of each resource
 * instance, `previous_address` for a `moved` one, `action_reason`, and `resource_drift` for
 * what the refresh found changed outside Terraform (internal/command/jsonplan/plan.go of
 * hashicorp/terraform). Checked against Terraform 1.11.4 here: an `import` block plans `no-op`
 * with `change.importing.id`, a `moved` one `no-op` with `previous_address`, a `removed` one
 * with destroy = false `forget` with `delete_because_no_resource_config` (a real plan of the
 * last two is fixtures/upgrade-forget.terraform-1.11.4.plan.json). Values are what the
 * construct synthesizes: job attributes from the model's own mapping
 * (src/model/job-attributes.ts), grants as one policy statement each. Provisioner-era
 * `terraform_data` values too, for the plan of an upgrade.
 */

import type { InventoryJob } from '../../src/construct';
import { jobConfiguration } from '../../src/construct/job-configuration';
import { jobAttributes, jobImportId } from '../../src/model/job-attributes';
import { inventoryPolicyStatement, statementSid } from '../../src/model/policy';
import { GRANT_RESOURCE_TYPE, JOB_RESOURCE_TYPE } from '../../src/provider/names';

type Json = Record<string, unknown>;

export const PROVIDER_NAME = 'cos-inventory.local/cdktf-cos-inventory/cosinventory';
const BUILTIN = 'terraform.io/builtin/terraform';

/** The attributes of a `cosinventory_job` as the plan shows them, `id` included. */
export function jobValue(bucket: string, region: string, job: InventoryJob): Json {
  const attributes = jobAttributes(jobConfiguration(job, region), bucket, region);
  return { ...attributes, id: jobImportId(region, bucket, job.id) };
}

/** A `cosinventory_destination_grant`: one statement on `destination`, for the sources' report folders. */
export function grantValue(
  destination: string,
  region: string,
  sid: string,
  grants: { source: string; prefixes: string[] }[],
  principals = ['qcs::cam::uin/100000000001:roleName/COS_QcsRole'],
): Json {
  const resources = grants.flatMap(
    (g) =>
      inventoryPolicyStatement({
        destinationBucket: destination,
        destinationRegion: region,
        sourceBucket: g.source,
        prefixes: g.prefixes,
        principal: principals,
      }).resource,
  );
  return {
    bucket: destination,
    region,
    sid,
    principals,
    resources,
    role_arn: null,
    id: `${region}/${destination}/${sid}`,
  };
}

/** A provisioner-era job: the configuration in `triggers_replace`. */
export function legacyJobValue(bucket: string, region: string, job: InventoryJob): Json {
  const data = { bucket, region, id: job.id, configuration: jobConfiguration(job, region) };
  return { id: 'x', input: null, output: null, triggers_replace: data };
}

/** A provisioner-era prune resource: job ids and the destinations holding the source's statement. */
export function legacyPruneValue(
  bucket: string,
  region: string,
  ids: string[],
  destinations: string[],
): Json {
  const data = {
    bucket,
    region,
    ids,
    sid: statementSid(bucket),
    destinations: Object.fromEntries(destinations.map((d) => [d, { bucket: d, region }])),
  };
  return { id: 'x', input: null, output: null, triggers_replace: data };
}

/** A provisioner-era release guard of a destination's statements. */
export function legacyReleaseValue(destination: string, region: string, sids: string[]): Json {
  return { id: 'x', input: null, output: null, triggers_replace: { bucket: destination, region, sids } };
}

export interface ChangeSpec {
  readonly name: string;
  readonly actions: string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly afterUnknown?: unknown;
  readonly reason?: string;
  readonly module?: string;
  /** Default `cosinventory_job`. */
  readonly type?: string;
  readonly mode?: 'managed' | 'data';
  readonly deposed?: string;
  /** `previous_address`: the address a `moved` block moves it from. */
  readonly previousAddress?: string;
  /** `change.importing.id` of an `import` block. */
  readonly importId?: string;
}

function providerOf(type: string): string {
  return type === JOB_RESOURCE_TYPE || type === GRANT_RESOURCE_TYPE
    ? PROVIDER_NAME
    : type === 'terraform_data'
      ? BUILTIN
      : `registry.terraform.io/hashicorp/${type.split('_')[0]}`;
}

export function change(spec: ChangeSpec): Json {
  const type = spec.type ?? JOB_RESOURCE_TYPE;
  const mode = spec.mode ?? 'managed';
  const local = `${mode === 'data' ? 'data.' : ''}${type}.${spec.name}`;
  const address = spec.module ? `${spec.module}.${local}` : local;
  return {
    address,
    ...(spec.previousAddress ? { previous_address: spec.previousAddress } : {}),
    ...(spec.module ? { module_address: spec.module } : {}),
    mode,
    type,
    name: spec.name,
    provider_name: providerOf(type),
    change: {
      actions: spec.actions,
      before: spec.before ?? null,
      after: spec.after ?? null,
      after_unknown: spec.afterUnknown ?? {},
      before_sensitive: false,
      after_sensitive: false,
      ...(spec.importId ? { importing: { id: spec.importId } } : {}),
    },
    ...(spec.deposed ? { deposed: spec.deposed } : {}),
    ...(spec.reason ? { action_reason: spec.reason } : {}),
  };
}

export interface PlanSpec {
  readonly changes: Json[];
  /** `resource_drift` entries, built with {@link change}. */
  readonly drift?: Json[];
  readonly outputs?: Record<string, { actions: string[]; before?: unknown; after?: unknown }>;
  readonly checks?: unknown[];
  readonly prior?: string[];
  readonly complete?: boolean;
  readonly formatVersion?: string;
}

export function plan(spec: PlanSpec): Json {
  return {
    format_version: spec.formatVersion ?? '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: {} },
    ...(spec.drift ? { resource_drift: spec.drift } : {}),
    resource_changes: spec.changes,
    output_changes: Object.fromEntries(
      Object.entries(spec.outputs ?? {}).map(([name, o]) => [
        name,
        { actions: o.actions, before: o.before ?? null, after: o.after ?? null, after_unknown: false },
      ]),
    ),
    prior_state: {
      format_version: '1.0',
      values: {
        root_module: {
          resources: (spec.prior ?? []).map((address) => ({ address, mode: 'managed' })),
        },
      },
    },
    checks: spec.checks ?? [],
    applyable: true,
    complete: spec.complete ?? true,
    errored: false,
  };
}

/** `terraform show -json` text of a plan creating job `a` of logs-1250000000: the review commands' common input. */
export const ONE_JOB_CREATE_PLAN = JSON.stringify(
  plan({
    changes: [
      change({
        name: 'Logs_job_a',
        actions: ['create'],
        after: jobValue('logs-1250000000', 'ap-guangzhou', {
          id: 'a',
          destination: { bucket: 'reports-1250000000' },
        }),
        afterUnknown: { id: true },
      }),
    ],
  }),
);
