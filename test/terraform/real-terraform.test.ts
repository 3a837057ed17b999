/**
 * The BucketInventory construct through the REAL `terraform` binary, step by step, against a
 * local COS endpoint: what Terraform plans (per address, and the plan text a reviewer reads),
 * which requests reach COS, what COS holds after, and that a second plan finds nothing to do
 * (`terraform plan -detailed-exitcode` exits 0). The stack directory carries the provider:
 * `terraform init` installs it offline with an empty CLI configuration.
 * The provider's own behaviour on raw configurations is test/provider/*.terraform.test.ts's;
 * here the input is what the construct synthesizes.
 */

import * as fs from 'node:fs';

import type { TerraformStack } from 'cdktf';

import { BucketInventory, RemovedBucketInventory, type InventoryJob } from '../../src/construct';
import type { RequestLogEntry } from '../../src/emulator';
import { SEED_BUCKET, SEED_DESTINATION, SEED_REGION } from '../fixtures/seed-samples';
import { planWarnings, type PlanWarning } from './plan-warnings';
import { RealStack, type RemoteState, type RealStep } from './real-stack';
import { digestRequests, jobRequests } from './request-digest';
import { findTerraform, requireTerraform } from './terraform-binary';

const REGION = 'ap-guangzhou';
const UIN = '100000000001';
const LOGS = 'logs-1250000000';
const AUDIT = 'audit-1250000000';
const DEST = 'reports-1250000000';
const DEST2 = 'archive-1250000000';
const GRANT = `cosinventory_destination_grant.cos_inventory_policy_${DEST}`;
const GRANT2 = `cosinventory_destination_grant.cos_inventory_policy_${DEST2}`;
/** The sid of the stack's statement on a destination: scoped by the first source granted there, in sorted order. */
const sid = (firstSource: string): string => `cosInventory-${firstSource}`;

const terraform = findTerraform([1, 8]);
// CI sets COS_INVENTORY_REQUIRE_TERRAFORM=1: a missing or too old terraform fails the run there.
requireTerraform(terraform, [1, 8], 'real-terraform.test.ts');
if (!terraform.found) console.log(`real-terraform.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

function job(id: string, frequency: 'Daily' | 'Weekly' = 'Daily', bucket = DEST): InventoryJob {
  return { id, destination: { bucket, prefix: 'inv' }, schedule: { frequency } };
}

/** The construct as a user declares it. */
function inventory(
  stack: TerraformStack,
  id: string,
  bucket: string,
  jobs: InventoryJob[],
  options: { readonly allowedAccountIds?: readonly string[] } = {},
): BucketInventory {
  return new BucketInventory(stack, id, {
    bucket,
    region: REGION,
    ownerUin: UIN,
    jobs,
    providerBundlePath: require.resolve('../../dist/provider.js'),
    nodeCommand: process.execPath,
    ...options,
  });
}

/** Requests other than reads: what changed COS. */
const writes = (requests: readonly RequestLogEntry[]): string[] =>
  requests
    .filter((e) => e.method !== 'GET' && e.method !== 'HEAD')
    .map((e) => `${e.method} ${e.subresource} ${e.bucket ?? ''} ${e.id ?? ''}`.trimEnd())
    .sort();

/**
 * The apply (or destroy) succeeded, planning only read, and neither plan nor apply warned.
 * `cdktf synth --hcl` quotes `depends_on` entries: Terraform warns that is deprecated.
 */
function expectClean(step: RealStep, options: { readonly hcl?: boolean } = {}): void {
  // stderr shown on failure, for the diagnosis.
  expect({ ok: step.ok, stderr: step.stderr }).toEqual({ ok: true, stderr: '' });
  expect(writes(step.planRequests)).toEqual([]);
  const deprecated = options.hcl
    ? ['Quoted keywords are deprecated', 'Quoted references are deprecated']
    : [];
  const warned = (text: string): PlanWarning[] =>
    planWarnings(text).filter((w) => !deprecated.includes(w.summary));
  expect(warned(step.planText)).toEqual([]);
  expect(warned(step.stdout)).toEqual([]);
}

/** After an apply: a plan finds COS, state and configuration in sync, reading only. */
async function expectInSync(real: RealStack): Promise<void> {
  real.cos.clearRequestLog();
  const code = await real.planExitCode();
  expect({ code, plan: code === 0 ? '' : real.terraform.lastPlanText }).toEqual({ code: 0, plan: '' });
  expect(writes(real.cos.requestLog)).toEqual([]);
}

/**
 * The enclosing describe's RealStack: started before its tests, handed to `set`, closed after
 * them. Its tests are successive applies on one workspace, each on the state the previous left.
 */
function useRealStack(options: Parameters<typeof RealStack.start>[0], set: (real: RealStack) => void): void {
  let real: RealStack | undefined;
  beforeAll(async () => {
    real = await RealStack.start(options);
    set(real);
  });
  afterAll(async () => {
    await real?.close();
  });
}

const changed = (step: RealStep): [string, string][] =>
  Object.entries(step.plan).filter(([, action]) => action !== 'no-op');

const ids = (remote: RemoteState, bucket: string): string[] =>
  (remote.inventories[bucket] as { Id: string }[]).map((c) => c.Id);

interface Statement {
  readonly sid: string;
  readonly resource: string[];
}

/** The statements of a policy, whichever key case the endpoint answers with. */
const statementsOf = (policy: string | null): Statement[] => {
  if (policy === null) return [];
  const document = JSON.parse(policy) as Record<string, Record<string, unknown>[] | undefined>;
  return (document.Statement ?? document.statement ?? []).map((s) => ({
    sid: (s.Sid ?? s.sid) as string,
    resource: [(s.Resource ?? s.resource) as string | string[]].flat(),
  }));
};
const sidsOf = (policy: string | null): string[] => statementsOf(policy).map((s) => s.sid);

/** Terraform wraps its diagnostics at 78 columns and frames them. */
const oneLine = (text: string): string => text.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ');

const address = (id: string): string => `cosinventory_job.Logs_job_${id}`;

const foreignStatement = (bucket: string, region = REGION): Record<string, unknown> => ({
  sid: 'someone-else',
  effect: 'allow',
  principal: { qcs: ['qcs::cam::uin/100000000002:uin/100000000002'] },
  action: ['name/cos:GetObject'],
  resource: [`qcs::cos:${region}:uid/1250000000:${bucket}/public/*`],
});

/** The resource our statement grants a source's reports under `prefix`. */
const grantedTo = (bucket: string, source: string, prefix = 'inv'): string =>
  `qcs::cos:${REGION}:uid/1250000000:${bucket}/${prefix}/1250000000/${source.replace('-1250000000', '')}/*`;

// Terraform's default -parallelism (10): requests are asserted as multisets and per object.
describeReal('one BucketInventory through real terraform apply and destroy', () => {
  let real: RealStack;
  const synth = (jobs: InventoryJob[]): void => real.synth((stack) => inventory(stack, 'Logs', LOGS, jobs));

  useRealStack({ region: REGION, sources: [LOGS], destinations: [DEST] }, (started) => (real = started));

  it('creates three jobs after the grant, one PUT each; credentials only in the environment; a second plan is empty', async () => {
    synth([job('a'), job('b'), job('c')]);
    const config = real.config() as { provider: Record<string, unknown> };
    expect(JSON.stringify(config)).not.toContain(real.cos.credentials.secretKey);
    expect(JSON.stringify(config)).not.toContain(real.cos.credentials.secretId);
    // The provider block holds no setting: credentials and endpoint come from the environment.
    expect(config.provider).toEqual({ cosinventory: [{}] });

    await real.terraform.init();
    const step = await real.step();
    expectClean(step);
    expect(step.plan).toEqual({
      [address('a')]: 'create',
      [address('b')]: 'create',
      [address('c')]: 'create',
      [GRANT]: 'create',
    });
    expect(step.stdout).toContain('Apply complete! Resources: 4 added, 0 changed, 0 destroyed.');
    // One PUT per job, no read-back wait in the apply.
    expect(jobRequests(step.requests).sort()).toEqual(['PUT a', 'PUT b', 'PUT c']);
    expect(writes(step.requests)).toEqual([
      `PUT inventory ${LOGS} a`,
      `PUT inventory ${LOGS} b`,
      `PUT inventory ${LOGS} c`,
      `PUT policy ${DEST}`,
    ]);
    // The jobs depend on their destination's grant: every job request after the policy's.
    expect(new Set(Object.values(digestRequests(step.requests).policyOrder))).toEqual(
      new Set(['policy first']),
    );
    const remote = await real.remote();
    expect(ids(remote, LOGS)).toEqual(['a', 'b', 'c']);
    expect(statementsOf(remote.policies[DEST])).toEqual([
      { sid: sid(LOGS), resource: [grantedTo(DEST, LOGS)] },
    ]);
    const stored = remote.inventories[LOGS][1] as {
      Destination: { COSBucketDestination: { Bucket: string } };
    };
    expect(stored.Destination.COSBucketDestination.Bucket).toBe(`qcs::cos:${REGION}::${DEST}`);
    expect((await real.terraform.outputs())['Logs_report_a']).toBe(`cos://${DEST}/inv/1250000000/logs/a/`);

    await expectInSync(real);
    // The refresh reads one listing of the bucket and the policy, whatever the number of jobs.
    real.cos.clearRequestLog();
    await real.planExitCode();
    expect(real.cos.requestLog.map((e) => `${e.method} ${e.subresource}`).sort()).toEqual([
      'GET inventory',
      'GET policy',
    ]);
  });

  it('a one-field change plans as an in-place update of that field alone and sends one PUT', async () => {
    synth([job('a'), job('b', 'Weekly'), job('c')]);
    const step = await real.step();
    expectClean(step);
    expect(changed(step)).toEqual([[address('b'), 'update']]);
    // What a reviewer reads: the changed field under the job's address, nothing else changed.
    expect(step.planText).toContain(`# ${address('b')} will be updated in-place`);
    expect(step.planText).toMatch(/~ frequency\s+= "Daily" -> "Weekly"/);
    expect(step.planText.split('\n').filter((line) => /^\s+[~+-] \S+\s+=/.test(line))).toHaveLength(1);
    expect(step.planText).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    expect(writes(step.requests)).toEqual([`PUT inventory ${LOGS} b`]);
    const remote = await real.remote();
    expect(ids(remote, LOGS)).toEqual(['a', 'b', 'c']);
    expect((remote.inventories[LOGS] as { Id: string; Schedule: { Frequency: string } }[])[1]).toMatchObject({
      Id: 'b',
      Schedule: { Frequency: 'Weekly' },
    });
  });

  it('a job removed from the code is deleted in COS; a renamed one is deleted and put; an added one put', async () => {
    synth([job('a2'), job('b', 'Weekly'), job('d')]);
    const step = await real.step();
    expectClean(step);
    expect(changed(step)).toEqual([
      [address('a'), 'delete'],
      [address('a2'), 'create'],
      [address('c'), 'delete'],
      [address('d'), 'create'],
    ]);
    expect(writes(step.requests)).toEqual([
      `DELETE inventory ${LOGS} a`,
      `DELETE inventory ${LOGS} c`,
      `PUT inventory ${LOGS} a2`,
      `PUT inventory ${LOGS} d`,
    ]);
    expect(ids(await real.remote(), LOGS)).toEqual(['a2', 'b', 'd']);
    await expectInSync(real);
  });

  it('terraform destroy deletes every job, then our statement, leaving a foreign one byte-for-byte', async () => {
    const foreign = foreignStatement(DEST);
    await real.addStatement(DEST, foreign);
    const step = await real.step('destroy');
    expectClean(step);
    expect(step.plan).toEqual({
      [address('a2')]: 'delete',
      [address('b')]: 'delete',
      [address('d')]: 'delete',
      [GRANT]: 'delete',
    });
    expect(step.stdout).toContain('Apply complete! Resources: 0 added, 0 changed, 4 destroyed.');
    expect(jobRequests(step.requests).sort()).toEqual(['DELETE a2', 'DELETE b', 'DELETE d']);
    // The jobs depend on the grant: it is detached only after they are deleted.
    expect(new Set(Object.values(digestRequests(step.requests).policyOrder))).toEqual(new Set(['job first']));
    const remote = await real.remote();
    expect(ids(remote, LOGS)).toEqual([]);
    const policy = remote.policies[DEST]!;
    expect(policy).toContain(JSON.stringify(foreign));
    expect(sidsOf(policy)).toEqual(['someone-else']);
    expect(await real.terraform.stateResources()).toEqual([]);
  });
});

// docs/terraform.md, "Destination policy" and "Removing a whole BucketInventory", with COS's
// normalised policy reads: the grant is one statement per destination per stack, shared by the
// constructs delivering there.
describeReal('constructs joining and leaving a shared destination under real terraform', () => {
  let real: RealStack;
  const audit = (stack: TerraformStack, guard = false): BucketInventory =>
    inventory(
      stack,
      'Audit',
      AUDIT,
      [job('x'), job('y', 'Daily', DEST2)],
      guard ? { allowedAccountIds: [UIN] } : {},
    );
  const logs = (stack: TerraformStack): BucketInventory => inventory(stack, 'Logs', LOGS, [job('l')]);
  const sids = async (bucket = DEST): Promise<string[]> => sidsOf((await real.remote()).policies[bucket]);
  const foreignHeld = {
    sid: 'someone-else',
    resource: [`qcs::cos:${REGION}:uid/1250000000:${DEST}/public/*`],
  };

  useRealStack(
    { region: REGION, sources: [LOGS, AUDIT], destinations: [DEST, DEST2], normalizePolicy: true },
    (started) => (real = started),
  );

  /** The step deleting the last construct (Logs): its job and our grant gone, the foreign statement left. */
  const expectLastRemoved = async (removed: RealStep): Promise<void> => {
    expectClean(removed);
    expect(changed(removed)).toEqual([
      [GRANT, 'delete'],
      ['cosinventory_job.Logs_job_l', 'delete'],
    ]);
    expect(ids(await real.remote(), LOGS)).toEqual([]);
    expect(await sids()).toEqual(['someone-else']);
    expect(await real.terraform.stateResources()).toEqual([]);
  };

  it("a second construct delivering to the destination updates the grant in place, in one PUT keeping the first's resource and a foreign statement", async () => {
    real.synth(logs);
    await real.terraform.init();
    expectClean(await real.step());
    await real.addStatement(DEST, foreignStatement(DEST));

    real.synth((stack) => {
      logs(stack);
      audit(stack);
    });
    const added = await real.step();
    expectClean(added);
    expect(changed(added)).toEqual([
      [GRANT2, 'create'],
      [GRANT, 'update'],
      ['cosinventory_job.Audit_job_x', 'create'],
      ['cosinventory_job.Audit_job_y', 'create'],
    ]);
    expect(writes(added.requests)).toEqual([
      `PUT inventory ${AUDIT} x`,
      `PUT inventory ${AUDIT} y`,
      `PUT policy ${DEST2}`,
      `PUT policy ${DEST}`,
    ]);
    const remote = await real.remote();
    expect(statementsOf(remote.policies[DEST])).toEqual([
      foreignHeld,
      { sid: sid(AUDIT), resource: [grantedTo(DEST, AUDIT), grantedTo(DEST, LOGS)].sort() },
    ]);
    expect(await sids(DEST2)).toEqual([sid(AUDIT)]);
    await expectInSync(real);
  });

  it('deleting a construct from the code deletes its jobs and the grants only it needed; the rest stays', async () => {
    real.synth(logs);
    const removed = await real.step();
    expectClean(removed);
    expect(changed(removed)).toEqual([
      [GRANT2, 'delete'],
      [GRANT, 'update'],
      ['cosinventory_job.Audit_job_x', 'delete'],
      ['cosinventory_job.Audit_job_y', 'delete'],
    ]);
    expect(jobRequests(removed.requests).sort()).toEqual(['DELETE x', 'DELETE y']);
    const remote = await real.remote();
    expect(ids(remote, AUDIT)).toEqual([]);
    expect(ids(remote, LOGS)).toEqual(['l']);
    expect(statementsOf(remote.policies[DEST])).toEqual([
      foreignHeld,
      { sid: sid(LOGS), resource: [grantedTo(DEST, LOGS)] },
    ]);
    // Nothing else was in that policy: it is gone.
    expect(remote.policies[DEST2]).toBeNull();
    await expectInSync(real);
  });

  it('deleting the last construct of the stack deletes its job and detaches our statement', async () => {
    real.synth(() => undefined);
    // init again, as `cdktf deploy` runs it: the provider is still in the stack directory,
    // which synthesizing into the same output directory leaves in place.
    await real.terraform.init();
    await expectLastRemoved(await real.step());
  });

  it('a construct with an account guard applies through the one provider block, the guard on each of its resources checked', async () => {
    real.synth((stack) => {
      logs(stack);
      audit(stack, true);
    });
    const config = real.config() as {
      provider: { cosinventory: Record<string, unknown>[] };
      resource: { cosinventory_job: Record<string, { allowed_account_ids?: string[] }> };
    };
    expect(config.provider.cosinventory).toEqual([{}]);
    expect(config.resource.cosinventory_job.Audit_job_x.allowed_account_ids).toEqual([UIN]);
    expect(config.resource.cosinventory_job.Logs_job_l).not.toHaveProperty('allowed_account_ids');
    await real.terraform.init();
    const created = await real.step();
    expectClean(created);
    // The provider asked STS whose credential it runs with before writing.
    expect(created.requests.some((e) => e.subresource === 'sts' || e.action === 'GetCallerIdentity')).toBe(
      true,
    );
    expect(ids(await real.remote(), AUDIT)).toEqual(['x', 'y']);
  });

  // The guard is on the resources, so their provider block outlives the construct: a guard on
  // a provider alias went with the construct, and Terraform refused to plan the deletion
  // ("Provider configuration not present").
  it('deleting a construct with an account guard deletes its jobs and grants, under the guard in state', async () => {
    real.synth(logs);
    const removed = await real.step();
    expectClean(removed);
    expect(changed(removed)).toEqual([
      [GRANT2, 'delete'],
      [GRANT, 'update'],
      ['cosinventory_job.Audit_job_x', 'delete'],
      ['cosinventory_job.Audit_job_y', 'delete'],
    ]);
    // The shared grant had the guard of Audit, the first construct giving one: it goes with it.
    expect(removed.planText).toMatch(/allowed_account_ids\s+= \[\s+- "100000000001",\s+\] -> null/);
    expect(ids(await real.remote(), AUDIT)).toEqual([]);
    // The sid is scoped by the first source granted (Logs now); its name is another test's.
    expect(statementsOf((await real.remote()).policies[DEST]).map((s) => s.resource)).toEqual([
      foreignHeld.resource,
      [grantedTo(DEST, LOGS)],
    ]);
    await expectInSync(real);
  });

  // docs/terraform.md, "Deleting the last inventory of a stack": a fresh output directory (as CI
  // synthesizes) holds the provider only if some construct ships it.
  it('deleting the last construct, synthesized into a fresh directory, needs RemovedBucketInventory to ship the provider', async () => {
    const fresh = (): void => {
      fs.rmSync(real.stackDir, { recursive: true, force: true });
      fs.rmSync(real.terraform.env.TF_DATA_DIR as string, { recursive: true, force: true });
    };
    fresh();
    real.synth(() => undefined);
    // Without it Terraform cannot install the provider its state still names.
    await expect(real.terraform.init()).rejects.toThrow(
      /cos-inventory\.local\/cdktf-cos-inventory\/cosinventory/,
    );

    fresh();
    real.synth((stack) => {
      new RemovedBucketInventory(stack, 'Logs', {
        providerBundlePath: require.resolve('../../dist/provider.js'),
        nodeCommand: process.execPath,
      });
    });
    await real.terraform.init();
    await expectLastRemoved(await real.step());
  });
});

describeReal('failures mid-apply under real terraform', () => {
  const APP = 'app-1250000000';
  const MISSING = 'missing-1250000000';
  const appAddress = (id: string): string => `cosinventory_job.App_job_${id}`;
  let real: RealStack;
  const synth = (jobs: InventoryJob[]): void => real.synth((stack) => inventory(stack, 'App', APP, jobs));

  useRealStack({ region: REGION, sources: [APP], destinations: [DEST] }, (started) => (real = started));

  it('a refused PUT fails the apply with a diagnostic naming the job, keeps it out of state, and the next apply puts it', async () => {
    synth([job('one'), job('two')]);
    await real.terraform.init();
    real.cos.injectFault({
      method: 'PUT',
      subresource: 'inventory',
      id: 'two',
      status: 403,
      code: 'AccessDenied',
    });
    const failed = await real.step();
    expect(failed.ok).toBe(false);
    expect(oneLine(failed.stderr)).toContain(`with ${appAddress('two')}`);
    expect(oneLine(failed.stderr)).toContain('AccessDenied');
    expect(failed.stderr).not.toContain(real.cos.credentials.secretKey);
    expect(ids(await real.remote(), APP)).toEqual(['one']);
    expect(Object.keys(await real.states()).sort()).toEqual([GRANT, appAddress('one')]);

    real.cos.clearFaults();
    const retried = await real.step();
    expectClean(retried);
    expect(changed(retried)).toEqual([[appAddress('two'), 'create']]);
    expect(writes(retried.requests)).toEqual([`PUT inventory ${APP} two`]);
    expect(ids(await real.remote(), APP)).toEqual(['one', 'two']);
    await expectInSync(real);
  });

  it('a change to a destination that does not exist fails at its grant, leaving the job as it was; reverting changes no resource', async () => {
    const before = (await real.remote()).inventories[APP];
    synth([job('one', 'Daily', MISSING), job('two')]);
    const failed = await real.step();
    expect(failed.ok).toBe(false);
    expect(oneLine(failed.stderr)).toContain(MISSING);
    expect(oneLine(failed.stderr)).toContain('NoSuchBucket');
    // The job waits for its destination's grant: it was never written.
    expect(writes(failed.requests).filter((r) => r.includes('inventory'))).toEqual([]);
    expect((await real.remote()).inventories[APP]).toEqual(before);

    // Back to the real destination: no resource to change (the failed apply saved only the
    // output's new value, which this apply puts back), nothing written.
    synth([job('one'), job('two')]);
    const reverted = await real.step();
    expectClean(reverted);
    expect(changed(reverted)).toEqual([]);
    expect(writes(reverted.requests)).toEqual([]);
    await expectInSync(real);
  });

  it('a refused DELETE in destroy keeps that job and the grant it depends on in state; the next destroy finishes', async () => {
    real.cos.injectFault({
      method: 'DELETE',
      subresource: 'inventory',
      id: 'one',
      status: 403,
      code: 'AccessDenied',
    });
    const failed = await real.step('destroy');
    expect(failed.ok).toBe(false);
    expect(oneLine(failed.stderr)).toContain(`deleting inventory job one from bucket ${APP} failed`);
    expect(oneLine(failed.stderr)).toContain('AccessDenied');
    expect(Object.keys(await real.states()).sort()).toEqual([GRANT, appAddress('one')]);
    const afterFailure = await real.remote();
    expect(ids(afterFailure, APP)).toEqual(['one']);
    expect(sidsOf(afterFailure.policies[DEST])).toEqual([sid(APP)]);

    real.cos.clearFaults();
    const retried = await real.step('destroy');
    expectClean(retried);
    expect(retried.plan).toEqual({ [appAddress('one')]: 'delete', [GRANT]: 'delete' });
    const remote = await real.remote();
    expect(ids(remote, APP)).toEqual([]);
    expect(remote.policies[DEST]).toBeNull();
    expect(await real.terraform.stateResources()).toEqual([]);
  });
});

describeReal('the HCL rendering (cdktf synth --hcl) under real terraform', () => {
  const HCL = 'hcl-1250000000';
  const hclAddress = (id: string): string => `cosinventory_job.Hcl_job_${id}`;
  let real: RealStack;
  const synth = (jobs: InventoryJob[]): void =>
    real.synth((stack) => inventory(stack, 'Hcl', HCL, jobs), { hcl: true });

  useRealStack({ region: REGION, sources: [HCL], destinations: [DEST] }, (started) => (real = started));

  it('creates, re-plans in sync and destroys as the JSON rendering does', async () => {
    synth([job('a'), job('b')]);
    const files = fs.readdirSync(real.stackDir).filter((f) => /\.tf(\.json)?$/.test(f));
    expect(files).toContain('cdk.tf');
    expect(files).not.toContain('cdk.tf.json');
    await real.terraform.init();
    const created = await real.step();
    expectClean(created, { hcl: true });
    expect(created.plan).toEqual({
      [hclAddress('a')]: 'create',
      [hclAddress('b')]: 'create',
      [GRANT]: 'create',
    });
    expect(ids(await real.remote(), HCL)).toEqual(['a', 'b']);
    await expectInSync(real);

    const destroyed = await real.step('destroy');
    expectClean(destroyed, { hcl: true });
    const remote = await real.remote();
    expect(ids(remote, HCL)).toEqual([]);
    expect(remote.policies[DEST]).toBeNull();
  });
});

describeReal('template sequences and odd ids under real terraform', () => {
  const ODD = 'odd-1250000000';
  let real: RealStack;
  const tricky: InventoryJob = {
    id: 'e.v2',
    destination: { bucket: DEST, prefix: 'tpl/${x}/%{y}' },
    filter: { tags: { 'k${a}': 'v%{b}' } },
  };
  const synth = (): void => real.synth((stack) => inventory(stack, 'Odd', ODD, [tricky, job('plain')]));

  useRealStack({ region: REGION, sources: [ODD], destinations: [DEST] }, (started) => (real = started));

  it('sends `${` and `%{` to COS unchanged, and a second plan finds them in sync', async () => {
    synth();
    await real.terraform.init();
    expectClean(await real.step());
    const remote = await real.remote();
    expect(ids(remote, ODD)).toEqual(['e.v2', 'plain']);
    const stored = (
      remote.inventories[ODD] as { Destination: { COSBucketDestination: { Prefix: string } } }[]
    )[0];
    expect(stored.Destination.COSBucketDestination.Prefix).toBe('tpl/${x}/%{y}');
    expect(JSON.stringify(remote.inventories[ODD][0])).toContain('k${a}');
    expect(JSON.stringify(remote.inventories[ODD][0])).toContain('v%{b}');
    expect(remote.policies[DEST]).toContain('/tpl/${x}/%{y}/1250000000/odd/*');
    const outputs = await real.terraform.outputs();
    expect(Object.values(outputs)).toContain(`cos://${DEST}/tpl/\${x}/%{y}/1250000000/odd/e.v2/`);

    // What the provider read back equals what the configuration evaluates to.
    await expectInSync(real);
  });
});

// Issue 10's "done when", through real Terraform: the seed-sample stack (both jobs of the SDK
// samples, region ap-beijing, the destination as an ARN, no ownerUin) plus a job delivering to
// a second destination.
const SECOND_DEST = 'second-1250000000';
const seedJob = (id: string, frequency: 'Daily' | 'Weekly'): InventoryJob => ({
  id,
  enabled: true,
  schedule: { frequency },
  filter: { prefix: 'filter_prefix' },
  includedObjectVersions: 'All',
  optionalFields: ['Size', 'LastModifiedDate', 'StorageClass', 'ETag'],
  destination: {
    bucket: `qcs::cos:${SEED_REGION}::${SEED_DESTINATION}`,
    accountId: UIN,
    prefix: 'inventory_test_prefix',
    ...(id === 'inventory_test' ? { encryption: 'SSE-COS' as const } : {}),
  },
});
const secondJob: InventoryJob = {
  id: 'to_second',
  destination: { bucket: SECOND_DEST, accountId: UIN, prefix: 'second' },
};
const seedStack =
  (jobs: InventoryJob[]) =>
  (stack: TerraformStack): void => {
    // As the sample: no ownerUin, the principal comes from destination.accountId.
    new BucketInventory(stack, 'SourceBucket', {
      bucket: SEED_BUCKET,
      region: SEED_REGION,
      providerBundlePath: require.resolve('../../dist/provider.js'),
      nodeCommand: process.execPath,
      jobs,
    });
  };

describeReal('issue 10: the seed-sample stack plus a second destination under real terraform', () => {
  let real: RealStack;
  const base = [seedJob('inventory_test', 'Weekly'), seedJob('inventory_test_plain', 'Daily')];
  const foreign = foreignStatement(SECOND_DEST, SEED_REGION);

  useRealStack(
    { region: SEED_REGION, sources: [SEED_BUCKET], destinations: [SEED_DESTINATION, SECOND_DEST] },
    (started) => (real = started),
  );

  it('creates the jobs and both grants, each job after its own destination', async () => {
    real.synth(seedStack([...base, secondJob]));
    await real.terraform.init();
    const created = await real.step();
    expectClean(created);
    const remote = await real.remote();
    expect(ids(remote, SEED_BUCKET)).toEqual(['inventory_test', 'inventory_test_plain', 'to_second']);
    const order = digestRequests(created.requests).policyOrder;
    expect(order[`policy ${SECOND_DEST} | inventory ${SEED_BUCKET} to_second`]).toBe('policy first');
    expect(order[`policy ${SEED_DESTINATION} | inventory ${SEED_BUCKET} inventory_test`]).toBe(
      'policy first',
    );
    await expectInSync(real);
  });

  it('removing the only job for the second destination deletes its grant; the foreign statement stays byte-identical', async () => {
    await real.addStatement(SECOND_DEST, foreign);
    real.synth(seedStack(base));
    const step = await real.step();
    expectClean(step);
    expect(changed(step)).toEqual([
      [`cosinventory_destination_grant.cos_inventory_policy_${SECOND_DEST}`, 'delete'],
      ['cosinventory_job.SourceBucket_job_to_second', 'delete'],
    ]);
    const remote = await real.remote();
    expect(ids(remote, SEED_BUCKET)).toEqual(['inventory_test', 'inventory_test_plain']);
    expect(sidsOf(remote.policies[SECOND_DEST])).toEqual(['someone-else']);
    expect(remote.policies[SECOND_DEST]).toContain(JSON.stringify(foreign));
    expect(sidsOf(remote.policies[SEED_DESTINATION])).toEqual([sid(SEED_BUCKET)]);
  });
});
