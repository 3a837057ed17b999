/**
 * Plan JSON in the shape `terraform show -json` writes (format 1.2, Terraform 1.11, measured
 * in test/review/real-terraform-review.test.ts), for cases real Terraform cannot produce here:
 * state of older versions of the construct, modules, unknown values, foreign resources, failing
 * drift checks, `-target`ed removals. Values default to what the construct synthesizes now
 * (everything only in `triggers_replace`; the prune resource records `sid` and
 * `destinations`); job values come from the construct's own mapping.
 */

import type { InventoryJob } from '../../src/construct';
import { jobConfiguration } from '../../src/construct/job-configuration';
import { inventoryPolicyStatement, statementSid } from '../../src/model/policy';

type Json = Record<string, unknown>;

/** `triggers-only`: the construct's shape; `input-and-triggers`: state of older versions. */
export type Shape = 'input-and-triggers' | 'triggers-only';

export function jobValue(
  bucket: string,
  region: string,
  job: InventoryJob,
  shape: Shape = 'triggers-only',
): Json {
  const data = { bucket, region, id: job.id, configuration: jobConfiguration(job, region) };
  return shape === 'triggers-only'
    ? { id: 'x', input: null, output: null, triggers_replace: data }
    : { id: 'x', input: data, output: data, triggers_replace: data };
}

/**
 * A prune resource: job ids and the destination buckets holding the source's statement. With
 * `destinations` undefined, the shape of older state (ids only, also in `input`).
 */
export function pruneValue(bucket: string, region: string, ids: string[], destinations?: string[]): Json {
  if (destinations === undefined) {
    const data = { bucket, region, ids };
    return { id: 'x', input: data, output: data, triggers_replace: data };
  }
  const data = {
    bucket,
    region,
    ids,
    sid: statementSid(bucket),
    destinations: Object.fromEntries(destinations.map((d) => [d, { bucket: d, region }])),
  };
  return { id: 'x', input: null, output: null, triggers_replace: data };
}

export function policyValue(
  destination: string,
  region: string,
  grants: { source: string; prefixes: string[] }[],
): Json {
  const statements = grants.map((g) =>
    inventoryPolicyStatement({
      destinationBucket: destination,
      destinationRegion: region,
      sourceBucket: g.source,
      prefixes: g.prefixes,
      ownerUin: '100000000001',
    }),
  );
  const data = { bucket: destination, region, statements, sids: statements.map((s) => s.sid) };
  return { id: 'x', input: null, output: null, triggers_replace: data };
}

export interface ChangeSpec {
  readonly name: string;
  readonly actions: string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly afterUnknown?: unknown;
  readonly reason?: string;
  readonly module?: string;
  readonly type?: string;
  readonly mode?: 'managed' | 'data';
  readonly deposed?: string;
}

export function change(spec: ChangeSpec): Json {
  const type = spec.type ?? 'terraform_data';
  const mode = spec.mode ?? 'managed';
  const local = `${mode === 'data' ? 'data.' : ''}${type}.${spec.name}`;
  return {
    address: spec.module ? `${spec.module}.${local}` : local,
    ...(spec.module ? { module_address: spec.module } : {}),
    mode,
    type,
    name: spec.name,
    provider_name: 'terraform.io/builtin/terraform',
    change: {
      actions: spec.actions,
      before: spec.before ?? null,
      after: spec.after ?? null,
      after_unknown: spec.afterUnknown ?? {},
      before_sensitive: false,
      after_sensitive: false,
    },
    ...(spec.deposed ? { deposed: spec.deposed } : {}),
    ...(spec.reason ? { action_reason: spec.reason } : {}),
  };
}

export interface PlanSpec {
  readonly changes: Json[];
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
      }),
    ],
  }),
);
