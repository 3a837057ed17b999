/**
 * The provider's resources called in process against LocalCos (the real SDK over HTTP), on a
 * TestClock shared with the endpoint's read-after-write lag: no wall-clock waits.
 */
import { cosInventoryProvider } from '../../src/provider/provider';
import type { ProviderRuntime } from '../../src/provider/provider-runtime';
import { GRANT_RESOURCE_TYPE, JOB_RESOURCE_TYPE } from '../../src/provider/names';
import { jobAttributes } from '../../src/model/job-attributes';
import type { InventoryConfiguration } from '../../src/model/configuration';
import { sidOf, type PolicyDocument, type PolicyStatement } from '../../src/model/policy';
import type { LocalCosOptions, RequestLogEntry } from '../../src/emulator';
import type { Diagnostic } from '../../src/tfplugin/diagnostics';
import type { ResourceDefinition } from '../../src/tfplugin/provider';
import type { TfObject } from '../../src/tfplugin/value';
import { jobState } from '../../src/provider/job-schema';
import { startKit, TestClock, type Kit } from '../kit';

export const REGION = 'ap-guangzhou';
export const SOURCE = 'source-1250000000';
export const DESTINATION = 'reports-1250000000';
/** The role COS assumes to deliver reports: the grants' principal. */
export const ROLE = 'qcs::cam::uin/100000000001:roleName/COS_QcsRole';

/** The ARN of a bucket of REGION (DESTINATION by default): the grants' resources start with it. */
export function bucketArn(bucket: string = DESTINATION): string {
  return `qcs::cos:${REGION}:uid/1250000000:${bucket}`;
}

/** The sids of a policy's statements, sorted (whichever casing COS answered with). */
export function sidsIn(doc: PolicyDocument | undefined): string[] {
  return ((doc?.statement ?? doc?.Statement ?? []) as PolicyStatement[]).map((s) => sidOf(s) ?? '').sort();
}

/**
 * The statement 0.1.0 wrote into DESTINATION's policy for one source bucket (`name-appid`),
 * as written then (the shape of `inventoryPolicyStatement`).
 */
export function legacyStatement(source: string) {
  return {
    sid: `cosInventory-${source}`,
    effect: 'allow',
    principal: { qcs: [ROLE] },
    action: ['name/cos:PutObject'],
    resource: [`${bucketArn()}/inventory/1250000000/${source.replace('-1250000000', '')}/*`],
  } satisfies PolicyStatement;
}

/** Another account's statement in `bucket`'s policy, which the provider must leave in place. */
export function foreignStatement(bucket: string = DESTINATION): PolicyStatement {
  return {
    sid: 'someone-else',
    effect: 'allow',
    principal: { qcs: ['qcs::cam::uin/100000000009:uin/100000000009'] },
    action: ['name/cos:GetObject'],
    resource: [`${bucketArn(bucket)}/public/*`],
  };
}

export interface ProviderKit {
  readonly kit: Kit;
  readonly clock: TestClock;
  readonly runtime: ProviderRuntime;
  readonly job: ResourceDefinition;
  readonly grant: ResourceDefinition;
  /** The requests sent since the last `clearRequests`, as `METHOD subresource[ id]`. */
  requests(): string[];
  clearRequests(): void;
  close(): Promise<void>;
}

export interface ProviderKitOptions {
  readonly lagMs?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly normalizePolicy?: boolean;
  /** More accounts, roles and buckets (`name-appid@region`) for LocalCos. */
  readonly local?: Pick<LocalCosOptions, 'accounts' | 'roles' | 'buckets'>;
}

function describeRequest(entry: RequestLogEntry): string {
  return [entry.method, entry.subresource, entry.id ?? entry.action].filter(Boolean).join(' ');
}

/** LocalCos with the source and destination buckets, and a provider configured like Terraform would. */
export async function startProviderKit(options: ProviderKitOptions = {}): Promise<ProviderKit> {
  const clock = new TestClock();
  const kit = await startKit({
    consistencyLagMs: options.lagMs ?? 0,
    normalizePolicy: options.normalizePolicy ?? false,
    clock,
    ...options.local,
    buckets: [`${SOURCE}@${REGION}`, `${DESTINATION}@${REGION}`, ...(options.local?.buckets ?? [])],
  });
  const provider = cosInventoryProvider({
    env: kit.env({ COS_INVENTORY_STS_ENDPOINT: kit.cos.endpoint, ...options.env }),
    clock,
  });
  const resources = provider.resources ?? {};
  return {
    kit,
    clock,
    runtime: provider.runtime,
    job: resources[JOB_RESOURCE_TYPE],
    grant: resources[GRANT_RESOURCE_TYPE],
    requests: () => kit.cos.requestLog.map(describeRequest),
    clearRequests: () => kit.cos.clearRequestLog(),
    close: () => kit.close(),
  };
}

/** A valid job of SOURCE delivering to DESTINATION. */
export function jobConfiguration(
  id: string,
  edit: Partial<InventoryConfiguration> = {},
): InventoryConfiguration {
  return {
    Id: id,
    IsEnabled: 'true',
    Destination: {
      COSBucketDestination: {
        Format: 'CSV',
        Bucket: `qcs::cos:${REGION}::${DESTINATION}`,
        Prefix: 'inventory',
      },
    },
    Schedule: { Frequency: 'Daily' },
    IncludedObjectVersions: 'Current',
    OptionalFields: ['Size', 'ETag'],
    ...edit,
  };
}

/** The resource value of a job (as a configuration or a state holds it). */
export function jobValue(id: string, edit: Partial<InventoryConfiguration> = {}): TfObject {
  return jobState(jobAttributes(jobConfiguration(id, edit), SOURCE, REGION));
}

const EMPTY = Buffer.alloc(0);

/** Create as ApplyResourceChange calls it; throws when it returns no state. */
export async function create(
  resource: ResourceDefinition,
  planned: TfObject,
): Promise<{ state: TfObject; private: Buffer; diagnostics: readonly Diagnostic[] }> {
  const result = await resource.create({
    priorState: null,
    plannedState: planned,
    config: planned,
    plannedPrivate: EMPTY,
  });
  if (!result.state) throw new Error(`create failed: ${JSON.stringify(result.diagnostics)}`);
  return { state: result.state, private: result.private ?? EMPTY, diagnostics: result.diagnostics ?? [] };
}

export async function update(
  resource: ResourceDefinition,
  prior: TfObject,
  planned: TfObject,
  plannedPrivate: Buffer = EMPTY,
): Promise<{ state: TfObject; private: Buffer }> {
  const result = await resource.update({
    priorState: prior,
    plannedState: planned,
    config: planned,
    plannedPrivate,
  });
  if (!result.state) throw new Error(`update failed: ${JSON.stringify(result.diagnostics)}`);
  return { state: result.state, private: result.private ?? EMPTY };
}

/** Read as ReadResource calls it; throws on an error diagnostic. */
export async function read(
  resource: ResourceDefinition,
  state: TfObject,
  priv: Buffer = EMPTY,
): Promise<TfObject | null> {
  const result = await resource.read(state, priv);
  if (result.diagnostics?.some((d) => d.severity === 'error'))
    throw new Error(`read failed: ${JSON.stringify(result.diagnostics)}`);
  return result.state === undefined ? state : result.state;
}

/** The `terraform_data` state JSON 0.1.0 left: `triggers_replace` as Terraform stores a dynamic value. */
export function legacyDataState(triggers: Record<string, unknown>): TfObject {
  return JSON.parse(
    JSON.stringify({
      id: '184d9a13-38c4-7810-fe0b-9f0b81583bdd',
      input: null,
      output: null,
      triggers_replace: { value: triggers, type: ['object', {}] },
    }),
  ) as TfObject;
}
