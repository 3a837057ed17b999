/**
 * The BucketInventory construct through the REAL `terraform` binary, step by step, against a
 * local COS endpoint: what Terraform plans (per address, and the plan text a reviewer reads),
 * which requests reach COS in which order, what it keeps in state, and what COS holds after.
 * Runs only where a terraform >= 1.5 answers `terraform version` (CI requires >= 1.9).
 * Every stack keeps its drift check, its `hashicorp/external` provider from the
 * terraform-mirror; it must stay quiet throughout (its warnings are drift-check.test.ts's).
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { TerraformStack } from 'cdktf';

import { BucketInventory, RemovedBucketInventory, type InventoryJob } from '../../src/construct';
import type { RequestLogEntry } from '../../src/emulator';
import { SEED_BUCKET, SEED_DESTINATION, SEED_REGION } from '../fixtures/seed-samples';
import { writeTerraformMirror } from './mirror';
import { planWarnings, type PlanWarning } from './plan-warnings';
import { RealStack, type RemoteState, type RealStep } from './real-stack';
import { digestRequests, jobRequests } from './request-digest';
import { atLeast, findTerraform, requireTerraform } from './terraform-binary';

const REGION = 'ap-guangzhou';
const LOGS = 'logs-1250000000';
const AUDIT = 'audit-1250000000';
const DEST = 'reports-1250000000';
const POLICY = `terraform_data.cos_inventory_policy_${DEST}`;
const RELEASE = `${POLICY}_release`;

const terraform = findTerraform([1, 5]);
// CI sets COS_INVENTORY_REQUIRE_TERRAFORM=1: a missing or too old terraform fails the run there.
requireTerraform(terraform, [1, 9], 'real-terraform.test.ts');
if (!terraform.found) console.log(`real-terraform.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;
const removedBlocks = terraform.found && atLeast(terraform.binary, [1, 9]);
if (terraform.found && !removedBlocks) {
  console.log(`removed-block scenarios skipped: terraform ${terraform.binary.version} is older than 1.9`);
}

function job(id: string, frequency: 'Daily' | 'Weekly' = 'Daily'): InventoryJob {
  return { id, destination: { bucket: DEST, prefix: 'inv' }, schedule: { frequency } };
}

/**
 * The construct as a user declares it, drift check included: its read is a listing of the
 * bucket's jobs, which `notListing` and `jobRequests` leave out of the request assertions.
 */
function inventory(
  stack: TerraformStack,
  id: string,
  bucket: string,
  jobs: InventoryJob[],
  options: { readonly handlerBundlePath?: string } = {},
): BucketInventory {
  return new BucketInventory(stack, id, {
    bucket,
    region: REGION,
    ownerUin: '100000000001',
    jobs,
    ...options,
  });
}

/** The handler path (content-hashed) the synthesized stack's provisioners use. */
function handlerPath(real: RealStack): string {
  return /assets\/\S+\/handler\.js/.exec(JSON.stringify(real.config()))![0];
}

/** Requests other than listings (the drift check's read lists a bucket's jobs, as prune does). */
const notListing = (requests: readonly RequestLogEntry[]): string[] =>
  requests
    .filter((e) => !(e.method === 'GET' && e.subresource === 'inventory' && e.id === undefined))
    .map((e) => `${e.method} ${e.subresource} ${e.id ?? ''}`.trimEnd());

/**
 * The apply (or destroy) succeeded, planning only read (the drift check's listing), and the
 * drift check stayed quiet: in plan and apply alike.
 */
function expectClean(
  step: RealStep,
  options: {
    /** `cdktf synth --hcl` quotes `when` and `depends_on` entries: Terraform warns, deprecated. */
    readonly hcl?: boolean;
  } = {},
): void {
  // stderr shown on failure, for the diagnosis.
  expect({ ok: step.ok, stderr: step.stderr }).toEqual({ ok: true, stderr: '' });
  expect(notListing(step.planRequests)).toEqual([]);
  const deprecated = options.hcl
    ? ['Quoted keywords are deprecated', 'Quoted references are deprecated']
    : [];
  const warned = (text: string): PlanWarning[] =>
    planWarnings(text).filter(
      (w) => w.summary !== 'Check block assertion known after apply' && !deprecated.includes(w.summary),
    );
  expect(warned(step.planText)).toEqual([]);
  // Read again after the apply: in sync.
  expect(warned(step.stdout)).toEqual([]);
}

let cliConfig: string;
let mirrorDir: string;
beforeAll(() => {
  mirrorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-terraform-mirror-'));
  cliConfig = writeTerraformMirror(mirrorDir);
});
afterAll(() => {
  if (mirrorDir) fs.rmSync(mirrorDir, { recursive: true, force: true });
});

/**
 * The enclosing describe's RealStack (on the terraform-mirror's CLI configuration): started
 * before its tests, handed to `set`, closed after them.
 */
function useRealStack(
  options: Omit<Parameters<typeof RealStack.start>[0], 'cliConfig'>,
  set: (real: RealStack) => void,
): void {
  let real: RealStack | undefined;
  beforeAll(async () => {
    real = await RealStack.start({ cliConfig, ...options });
    set(real);
  });
  afterAll(async () => {
    await real?.close();
  });
}

/** The addresses whose local-exec provisioner ran a handler command, in the order Terraform printed them. */
function ran(step: RealStep, command: string): string[] {
  const pattern = new RegExp(`^(\\S+) \\(local-exec\\): Executing: .*handler\\.js ${command}\\b`, 'gm');
  return [...step.stdout.matchAll(pattern)].map((match) => match[1]);
}

const changed = (step: RealStep): [string, string][] =>
  Object.entries(step.plan).filter(([, action]) => action !== 'no-op');

const ids = (remote: RemoteState, bucket: string): string[] =>
  (remote.inventories[bucket] as { Id: string }[]).map((c) => c.Id);

/** The sids of a policy, whichever key case the endpoint answers with. */
const sidsOf = (policy: string | null): string[] => {
  if (policy === null) return [];
  const document = JSON.parse(policy) as Record<string, Record<string, unknown>[] | undefined>;
  return (document.Statement ?? document.statement ?? []).map((s) => (s.Sid ?? s.sid) as string);
};

/** Terraform wraps its diagnostics at 78 columns. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ');

const address = (id: string): string => `terraform_data.Logs_job_${id}`;

const foreignStatement = (bucket: string, region = REGION): Record<string, unknown> => ({
  sid: 'someone-else',
  effect: 'allow',
  principal: { qcs: ['qcs::cam::uin/100000000002:uin/100000000002'] },
  action: ['name/cos:GetObject'],
  resource: [`qcs::cos:${region}:uid/1250000000:${bucket}/public/*`],
});

// Terraform's default -parallelism (10): requests are asserted as multisets and per object.
describeReal('one BucketInventory through real terraform apply and destroy', () => {
  let real: RealStack;
  let bundle: string | undefined;
  const synth = (jobs: InventoryJob[]): void =>
    real.synth((stack) => inventory(stack, 'Logs', LOGS, jobs, { handlerBundlePath: bundle }));

  useRealStack({ region: REGION, sources: [LOGS], destinations: [DEST] }, (started) => (real = started));

  it('creates three jobs after the destination policy; credentials only in the environment', async () => {
    synth([job('a'), job('b'), job('c')]);
    const config = real.config() as {
      resource: {
        terraform_data: Record<string, { provisioner?: { 'local-exec': { environment?: object } }[] }>;
      };
    };
    expect(JSON.stringify(config)).not.toContain(real.cos.credentials.secretKey);
    // The configuration hands over the spec only; credentials come from the inherited environment.
    const environments = Object.values(config.resource.terraform_data).flatMap((resource) =>
      (resource.provisioner ?? []).flatMap((p) => Object.keys(p['local-exec'].environment ?? {})),
    );
    expect(new Set(environments)).toEqual(new Set(['COS_INVENTORY_SPEC']));

    await real.terraform.init();
    const step = await real.step();
    expectClean(step);
    expect(step.plan).toEqual({
      [address('a')]: 'create',
      [address('b')]: 'create',
      [address('c')]: 'create',
      'terraform_data.Logs_prune': 'create',
      [POLICY]: 'create',
      [RELEASE]: 'create',
    });
    expect(step.stdout).toContain('Apply complete! Resources: 6 added, 0 changed, 0 destroyed.');
    expect(jobRequests(step.requests).sort()).toEqual(['GET a', 'GET b', 'GET c', 'PUT a', 'PUT b', 'PUT c']);
    // The jobs depend on the policy: every job request comes after the last policy request.
    expect(new Set(Object.values(digestRequests(step.requests).policyOrder))).toEqual(
      new Set(['policy first']),
    );
    // The release guard has no create provisioner.
    expect(ran(step, 'attach-policy')).toEqual([POLICY]);
    const remote = await real.remote();
    expect(ids(remote, LOGS)).toEqual(['a', 'b', 'c']);
    expect(remote.policies[DEST]).toContain('/inv/1250000000/logs/*');
    const stored = remote.inventories[LOGS][1] as {
      Destination: { COSBucketDestination: { Bucket: string } };
    };
    expect(stored.Destination.COSBucketDestination.Bucket).toBe(`qcs::cos:${REGION}::${DEST}`);
    expect((await real.terraform.outputs())['Logs_report_a']).toBe(`cos://${DEST}/inv/1250000000/logs/a/`);
    expect(Object.values(await real.states()).filter((s) => s.tainted)).toEqual([]);
  });

  it('replaces only the job whose field changed: one PUT and GET of it, no DELETE, nothing else', async () => {
    synth([job('a'), job('b', 'Weekly'), job('c')]);
    const step = await real.step();
    expectClean(step);
    expect(changed(step)).toEqual([[address('b'), 'replace']]);
    // What a reviewer reads: the changed field under the job's address, and no `output`.
    expect(step.planText).toContain(`# ${address('b')} must be replaced`);
    expect(step.planText).toContain('+/- create replacement and then destroy');
    expect(step.planText).toMatch(/~ "?Frequency"? += "Daily" -> "Weekly"/);
    expect(step.planText).not.toMatch(/\boutput\b/);
    expect(step.planText).not.toMatch(/\binput\b/);
    // create_before_destroy: the replaced object's delete-job never runs; PUT overwrites by id.
    expect(notListing(step.requests)).toEqual(['PUT inventory b', 'GET inventory b']);
    const remote = await real.remote();
    expect(ids(remote, LOGS)).toEqual(['a', 'b', 'c']);
    expect((remote.inventories[LOGS] as { Id: string; Schedule: { Frequency: string } }[])[1]).toMatchObject({
      Id: 'b',
      Schedule: { Frequency: 'Weekly' },
    });
  });

  it('drops a removed job without its provisioner; the replaced prune resource deletes it', async () => {
    synth([job('a'), job('b', 'Weekly')]);
    const step = await real.step();
    expectClean(step);
    expect(changed(step)).toEqual([
      [address('c'), 'drop'],
      ['terraform_data.Logs_prune', 'replace'],
    ]);
    expect(ran(step, 'delete-job')).toEqual([]);
    expect(ran(step, 'prune')).toEqual(['terraform_data.Logs_prune']);
    expect(jobRequests(step.requests)).toEqual(['DELETE c']);
    expect(ids(await real.remote(), LOGS)).toEqual(['a', 'b']);
  });

  it('renames a job: the new id is put, prune deletes the old one', async () => {
    synth([job('a2'), job('b', 'Weekly')]);
    const step = await real.step();
    expectClean(step);
    expect(changed(step)).toEqual([
      [address('a'), 'drop'],
      [address('a2'), 'create'],
      ['terraform_data.Logs_prune', 'replace'],
    ]);
    expect(jobRequests(step.requests).sort()).toEqual(['DELETE a', 'GET a2', 'PUT a2']);
    expect(ids(await real.remote(), LOGS)).toEqual(['a2', 'b']);
  });

  it('adds a job; the replaced prune resource deletes nothing', async () => {
    synth([job('a2'), job('b', 'Weekly'), job('d')]);
    const step = await real.step();
    expectClean(step);
    expect(changed(step)).toEqual([
      [address('d'), 'create'],
      ['terraform_data.Logs_prune', 'replace'],
    ]);
    expect(jobRequests(step.requests)).toEqual(['PUT d', 'GET d']);
    expect(ids(await real.remote(), LOGS)).toEqual(['a2', 'b', 'd']);
  });

  it('apply -replace= of one job: PUT and GET of it only (create_before_destroy)', async () => {
    const step = await real.step('apply', { replace: [address('b')] });
    expectClean(step);
    expect(changed(step)).toEqual([[address('b'), 'replace']]);
    expect(notListing(step.requests)).toEqual(['PUT inventory b', 'GET inventory b']);
  });

  it('a rebuilt handler bundle changes only commands, which are not in state: nothing to do', async () => {
    const before = handlerPath(real);
    // The asset keeps the bundle's file name; only its content hash (the folder) changes.
    bundle = path.join(real.tmp, 'rebuilt', 'handler.js');
    fs.mkdirSync(path.dirname(bundle));
    fs.writeFileSync(
      bundle,
      `${fs.readFileSync(path.resolve(__dirname, '../../dist/handler.js'), 'utf8')}\n// rebuilt\n`,
    );
    synth([job('a2'), job('b', 'Weekly'), job('d')]);
    expect(handlerPath(real)).not.toBe(before);
    const step = await real.step();
    expectClean(step);
    expect(new Set(Object.values(step.plan))).toEqual(new Set(['no-op']));
    expect(notListing(step.requests)).toEqual([]);
  });

  it('terraform destroy deletes every job and our statement, leaving a foreign one byte-for-byte', async () => {
    const foreign = foreignStatement(DEST);
    await real.addStatement(DEST, foreign);
    const step = await real.step('destroy');
    expectClean(step);
    expect(step.plan).toEqual({
      [address('a2')]: 'delete',
      [address('b')]: 'delete',
      [address('d')]: 'delete',
      'terraform_data.Logs_prune': 'delete',
      [POLICY]: 'delete',
      [RELEASE]: 'delete',
    });
    expect(step.stdout).toContain('Apply complete! Resources: 0 added, 0 changed, 6 destroyed.');
    // Destroy provisioners come from the current configuration: the rebuilt bundle runs.
    expect(step.stdout).toContain(`${handlerPath(real)} delete-job`);
    expect(jobRequests(step.requests).sort()).toEqual(['DELETE a2', 'DELETE b', 'DELETE d']);
    // The jobs depend on the policy: it is detached only after they are deleted, by the guard alone.
    expect(new Set(Object.values(digestRequests(step.requests).policyOrder))).toEqual(new Set(['job first']));
    expect(ran(step, 'detach-policy')).toEqual([RELEASE]);
    const remote = await real.remote();
    expect(ids(remote, LOGS)).toEqual([]);
    const policy = remote.policies[DEST]!;
    expect(policy).toContain(JSON.stringify(foreign));
    expect(sidsOf(policy)).toEqual(['someone-else']);
    expect(await real.terraform.stateResources()).toEqual([]);
  });
});

// docs/terraform.md, "Removing a whole BucketInventory": what happens when its blocks simply
// disappear, and the two documented ways to really delete its jobs and statement.
describeReal('removing a whole BucketInventory under real terraform', () => {
  let real: RealStack;
  type Audit = InventoryJob[] | 'gone' | 'removed';
  const synth = (audit: Audit, logs: InventoryJob[] | 'removed' = [job('l')]): void =>
    real.synth((stack) => {
      if (logs === 'removed') new RemovedBucketInventory(stack, 'Logs');
      else inventory(stack, 'Logs', LOGS, logs);
      if (audit === 'removed') new RemovedBucketInventory(stack, 'Audit');
      else if (audit !== 'gone') inventory(stack, 'Audit', AUDIT, audit);
    });
  const auditRequests = (step: RealStep): string[] =>
    jobRequests(step.requests.filter((e) => e.bucket === AUDIT)).sort();

  useRealStack(
    { region: REGION, sources: [LOGS, AUDIT], destinations: [DEST] },
    (started) => (real = started),
  );

  it('deleting the construct drops its resources without provisioners: its jobs and statement stay', async () => {
    synth([job('x'), job('y')]);
    await real.terraform.init();
    expectClean(await real.step());
    synth('gone');
    const step = await real.step();
    expectClean(step);
    expect(changed(step)).toEqual([
      ['terraform_data.Audit_job_x', 'drop'],
      ['terraform_data.Audit_job_y', 'drop'],
      ['terraform_data.Audit_prune', 'drop'],
      // The shared attacher is replaced create-before-destroy (upserting the statements still
      // configured, running no destroy provisioner); the guard's sids are updated in place.
      [POLICY, 'replace'],
      [RELEASE, 'update'],
    ]);
    expect(auditRequests(step)).toEqual([]);
    expect(ran(step, 'detach-policy')).toEqual([]);
    // What the plan calls destroyed is still there: the README says so, loudly.
    const remote = await real.remote();
    expect(ids(remote, AUDIT)).toEqual(['x', 'y']);
    expect(sidsOf(remote.policies[DEST]).sort()).toEqual([`cosInventory-${AUDIT}`, `cosInventory-${LOGS}`]);
  });

  it('emptying jobs first lets prune delete the jobs and detach the statement; then the construct can go', async () => {
    synth([job('x'), job('y')]);
    expectClean(await real.step());
    synth([]);
    const emptied = await real.step();
    expectClean(emptied);
    expect(changed(emptied)).toEqual([
      ['terraform_data.Audit_job_x', 'drop'],
      ['terraform_data.Audit_job_y', 'drop'],
      ['terraform_data.Audit_prune', 'replace'],
      [POLICY, 'replace'],
      [RELEASE, 'update'],
    ]);
    expect(auditRequests(emptied)).toEqual(['DELETE x', 'DELETE y']);
    let remote = await real.remote();
    expect(ids(remote, AUDIT)).toEqual([]);
    expect(sidsOf(remote.policies[DEST])).toEqual([`cosInventory-${LOGS}`]);

    synth('gone');
    const removed = await real.step();
    expectClean(removed);
    expect(removed.plan['terraform_data.Audit_prune']).toBe('drop');
    remote = await real.remote();
    expect(ids(remote, AUDIT)).toEqual([]);
    expect(ids(remote, LOGS)).toEqual(['l']);
    expect(sidsOf(remote.policies[DEST])).toEqual([`cosInventory-${LOGS}`]);
  });

  (removedBlocks ? it : it.skip)(
    'RemovedBucketInventory (removed blocks, terraform >= 1.9) deletes the jobs and the statement in the same apply, and does nothing after',
    async () => {
      synth([job('x'), job('y')]);
      expectClean(await real.step());
      synth('removed');
      const step = await real.step();
      expectClean(step);
      expect(step.plan).toEqual({
        // Their blocks are gone: dropped without provisioners; the prune deletes them.
        'terraform_data.Audit_job_x': 'drop',
        'terraform_data.Audit_job_y': 'drop',
        // Governed by the removed block: destroyed with its prune provisioner, nothing desired.
        'terraform_data.Audit_prune': 'delete',
        'terraform_data.Logs_job_l': 'no-op',
        'terraform_data.Logs_prune': 'no-op',
        [POLICY]: 'replace',
        [RELEASE]: 'update',
      });
      expect(jobRequests(step.requests).sort()).toEqual(['DELETE x', 'DELETE y']);
      const remote = await real.remote();
      expect(ids(remote, AUDIT)).toEqual([]);
      expect(ids(remote, LOGS)).toEqual(['l']);
      expect(sidsOf(remote.policies[DEST])).toEqual([`cosInventory-${LOGS}`]);
      expect(Object.keys(await real.states()).filter((a) => a.includes('Audit'))).toEqual([]);

      // Left in the code, the removed block does nothing more.
      const again = await real.step();
      expectClean(again);
      expect(changed(again)).toEqual([]);
      expect(notListing(again.requests)).toEqual([]);
    },
  );

  (removedBlocks ? it : it.skip)(
    'the last constructs delivering to a destination removed: no statement of ours left, and the policy goes',
    async () => {
      synth('removed', 'removed');
      const step = await real.step();
      expectClean(step);
      expect(step.plan['terraform_data.Logs_prune']).toBe('delete');
      const remote = await real.remote();
      expect(ids(remote, LOGS)).toEqual([]);
      // Nothing foreign in it: the policy is deleted.
      expect(remote.policies[DEST]).toBeNull();
      expect(await real.terraform.stateResources()).toEqual([]);
    },
  );
});

// docs/terraform.md, "Destination policy", with COS's normalised policy reads.
describeReal('a shared destination policy gaining and losing a source under real terraform', () => {
  let real: RealStack;
  const synth = (auditJobs?: InventoryJob[]): void =>
    real.synth((stack) => {
      inventory(stack, 'Logs', LOGS, [job('l')]);
      if (auditJobs) inventory(stack, 'Audit', AUDIT, auditJobs);
    });
  const sids = async (): Promise<string[]> => sidsOf((await real.remote()).policies[DEST]);
  // The request log keeps no bodies: a policy write without A's statement would be a DELETE or
  // a PUT by a detach; the attach's read-modify-write PUT keeps what it read (A included).
  const policyWrites = (step: RealStep): string[] =>
    step.requests
      .filter((e) => e.subresource === 'policy' && e.bucket === DEST && e.method !== 'GET')
      .map((e) => e.method);

  useRealStack(
    { region: REGION, sources: [LOGS, AUDIT], destinations: [DEST], normalizePolicy: true },
    (started) => (real = started),
  );

  it("adding a source B keeps A's statement in the policy at every request", async () => {
    synth();
    await real.terraform.init();
    expectClean(await real.step());
    await real.addStatement(DEST, foreignStatement(DEST));

    synth([job('x')]);
    const added = await real.step();
    expectClean(added);
    expect(added.plan).toMatchObject({ [POLICY]: 'replace', [RELEASE]: 'update' });
    // The attacher is replaced create-before-destroy: the old one runs no detach.
    expect(ran(added, 'detach-policy')).toEqual([]);
    expect(policyWrites(added)).toEqual(['PUT']);
    expect(await sids()).toEqual(['someone-else', `cosInventory-${LOGS}`, `cosInventory-${AUDIT}`]);
    expect((await real.states())[RELEASE]).toMatchObject({
      input: { sids: [`cosInventory-${AUDIT}`, `cosInventory-${LOGS}`] },
    });
  });

  it("B with no job left: its prune detaches only B's statement; A's stays", async () => {
    synth([]);
    const removed = await real.step();
    expectClean(removed);
    expect(removed.plan).toMatchObject({
      [POLICY]: 'replace',
      [RELEASE]: 'update',
      'terraform_data.Audit_prune': 'replace',
    });
    expect(removed.stdout).toContain(`detached policy statements cosInventory-${AUDIT} from ${DEST}`);
    // B's prune detaches: PUT [foreign, A]; the attach finds A unchanged and writes nothing.
    expect(policyWrites(removed)).toEqual(['PUT']);
    expect(await sids()).toEqual(['someone-else', `cosInventory-${LOGS}`]);
    expect((await real.states())[RELEASE]).toMatchObject({ input: { sids: [`cosInventory-${LOGS}`] } });
  });

  it('terraform destroy: the guard detaches all of ours, the foreign statement intact', async () => {
    const destroyed = await real.step('destroy');
    expectClean(destroyed);
    expect(destroyed.plan).toMatchObject({ [POLICY]: 'delete', [RELEASE]: 'delete' });
    expect(ran(destroyed, 'detach-policy')).toEqual([RELEASE]);
    expect(await sids()).toEqual(['someone-else']);
    expect(await real.terraform.stateResources()).toEqual([]);
  });
});

describeReal('failed provisioners under real terraform', () => {
  const APP = 'app-1250000000';
  const appAddress = (id: string): string => `terraform_data.App_job_${id}`;
  let real: RealStack;
  const synth = (jobs: InventoryJob[]): void => real.synth((stack) => inventory(stack, 'App', APP, jobs));

  useRealStack({ region: REGION, sources: [APP], destinations: [DEST] }, (started) => (real = started));

  it('taints a job whose put-job failed; the next apply replaces it without running delete-job', async () => {
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
    expect(oneLine(failed.stderr)).toContain(`Error: local-exec provisioner error with ${appAddress('two')}`);
    expect(oneLine(failed.stderr)).toMatch(
      /cos-inventory put-job: bucket=app-1250000000 id=two code=AccessDenied/,
    );
    expect(failed.stderr).not.toContain(real.cos.credentials.secretKey);
    expect(ids(await real.remote(), APP)).toEqual(['one']);
    const states = await real.states();
    expect(states[appAddress('two')]).toMatchObject({ tainted: true });
    expect(states[appAddress('one')]).toMatchObject({ tainted: false });

    const retried = await real.step();
    expectClean(retried);
    expect(changed(retried)).toEqual([[appAddress('two'), 'replace']]);
    // A tainted object's destroy provisioner is skipped: no DELETE before the PUT.
    expect(jobRequests(retried.requests)).toEqual(['PUT two', 'GET two']);
    expect(ids(await real.remote(), APP)).toEqual(['one', 'two']);
  });

  it('keeps a job whose delete-job failed in state, skips the policy detach, and finishes on the next destroy', async () => {
    real.cos.injectFault({
      method: 'DELETE',
      subresource: 'inventory',
      id: 'one',
      status: 403,
      code: 'AccessDenied',
    });
    const failed = await real.step('destroy');
    expect(failed.ok).toBe(false);
    expect(oneLine(failed.stderr)).toMatch(
      /cos-inventory delete-job: bucket=app-1250000000 id=one code=AccessDenied/,
    );
    expect(Object.keys(await real.states()).sort()).toEqual([appAddress('one'), POLICY, RELEASE]);
    // The guard's detach depends on the job's delete: it never ran.
    expect(ran(failed, 'detach-policy')).toEqual([]);
    const afterFailure = await real.remote();
    expect(ids(afterFailure, APP)).toEqual(['one']);
    expect(afterFailure.policies[DEST]).toContain(`cosInventory-${APP}`);

    real.cos.clearFaults();
    const retried = await real.step('destroy');
    expectClean(retried);
    expect(retried.plan).toEqual({ [appAddress('one')]: 'delete', [POLICY]: 'delete', [RELEASE]: 'delete' });
    const remote = await real.remote();
    expect(ids(remote, APP)).toEqual([]);
    expect(remote.policies[DEST]).toBeNull();
    expect(await real.terraform.stateResources()).toEqual([]);
  });
});

describeReal('the HCL rendering (cdktf synth --hcl) under real terraform', () => {
  const HCL = 'hcl-1250000000';
  const hclAddress = (id: string): string => `terraform_data.Hcl_job_${id}`;
  let real: RealStack;
  const synth = (jobs: InventoryJob[]): void =>
    real.synth((stack) => inventory(stack, 'Hcl', HCL, jobs), { hcl: true });

  useRealStack({ region: REGION, sources: [HCL], destinations: [DEST] }, (started) => (real = started));

  it('creates, changes, prunes and destroys as the JSON rendering does', async () => {
    synth([job('a'), job('b')]);
    const files = fs.readdirSync(real.stackDir).filter((f) => /\.tf(\.json)?$/.test(f));
    expect(files).toContain('cdk.tf');
    expect(files).not.toContain('cdk.tf.json');
    await real.terraform.init();
    const created = await real.step();
    // cdktf quotes `when` and `depends_on` entries: deprecated, accepted with a warning.
    expectClean(created, { hcl: true });
    expect(created.stdout).not.toContain('Error');
    expect(created.plan).toEqual({
      [hclAddress('a')]: 'create',
      [hclAddress('b')]: 'create',
      'terraform_data.Hcl_prune': 'create',
      [POLICY]: 'create',
      [RELEASE]: 'create',
    });
    expect(ids(await real.remote(), HCL)).toEqual(['a', 'b']);

    synth([job('a', 'Weekly')]);
    const step = await real.step();
    expectClean(step, { hcl: true });
    expect(step.plan).toEqual({
      [hclAddress('a')]: 'replace',
      [hclAddress('b')]: 'drop',
      'terraform_data.Hcl_prune': 'replace',
      [POLICY]: 'no-op',
      [RELEASE]: 'no-op',
    });
    expect(jobRequests(step.requests).sort()).toEqual(['DELETE b', 'GET a', 'PUT a']);
    expect(ids(await real.remote(), HCL)).toEqual(['a']);

    // The check block (a JSON companion of cdk.tf) reads and warns as in the JSON rendering.
    await real.sdk.deleteBucketInventory({ Bucket: HCL, Region: REGION, Id: 'a' });
    const drift = await real.plan();
    expect(planWarnings(drift.planText).filter((w) => w.summary.startsWith('Check'))).toEqual([
      {
        summary: 'Check block assertion failed',
        detail: `inventory job a is absent: it is missing from bucket ${HCL}; run terraform apply -replace=${hclAddress('a')} to restore it`,
      },
    ]);
    const repaired = await real.step('apply', { replace: [hclAddress('a')] });
    expectClean(repaired, { hcl: true });
    expect(jobRequests(repaired.requests)).toEqual(['PUT a', 'GET a']);

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

  it('sends `${` and `%{` to COS unchanged, and plans nothing on a second apply', async () => {
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

    // What Terraform stored equals what the configuration evaluates to: nothing to do.
    synth();
    const again = await real.step();
    expectClean(again);
    expect(new Set(Object.values(again.plan))).toEqual(new Set(['no-op']));
    expect(notListing(again.requests)).toEqual([]);
  });
});

// Issue 10's "done when", through real Terraform: the seed-sample stack (both jobs of the SDK
// samples, region ap-beijing) plus a job delivering to a second destination.
const SEED = SEED_BUCKET;
const SEED_DEST = SEED_DESTINATION;
const SECOND_DEST = 'second-1250000000';
const seedJob = (id: string, frequency: 'Daily' | 'Weekly', destination = SEED_DEST): InventoryJob => ({
  id,
  enabled: true,
  schedule: { frequency },
  filter: { prefix: 'filter_prefix' },
  includedObjectVersions: 'All',
  optionalFields: ['Size', 'LastModifiedDate', 'StorageClass', 'ETag'],
  destination: {
    bucket: `qcs::cos:${SEED_REGION}::${destination}`,
    accountId: '100000000001',
    prefix: 'inventory_test_prefix',
    ...(id === 'inventory_test' ? { encryption: 'SSE-COS' as const } : {}),
  },
});
const secondJob: InventoryJob = {
  id: 'to_second',
  destination: { bucket: SECOND_DEST, accountId: '100000000001', prefix: 'second' },
};
const seedStack =
  (jobs: InventoryJob[]) =>
  (stack: TerraformStack): void => {
    // As the sample: no ownerUin, the principal comes from destination.accountId.
    new BucketInventory(stack, 'SourceBucket', {
      bucket: SEED,
      region: SEED_REGION,
      jobs,
    });
  };
const seedAddress = (id: string): string => `terraform_data.SourceBucket_job_${id}`;
const foreignOn = (bucket: string): Record<string, unknown> => ({
  sid: 'someone-else',
  effect: 'allow',
  principal: { qcs: ['qcs::cam::uin/100000000002:uin/100000000002'] },
  action: ['name/cos:GetObject'],
  resource: [`qcs::cos:${SEED_REGION}:uid/1250000000:${bucket}/public/*`],
});

const statementsOf = (policy: string | null): { sid: string }[] =>
  policy === null ? [] : (JSON.parse(policy) as { statement: { sid: string }[] }).statement;

describeReal('issue 10: the seed-sample stack plus a second destination under real terraform', () => {
  let real: RealStack;
  const base = [seedJob('inventory_test', 'Weekly'), seedJob('inventory_test_plain', 'Daily')];

  useRealStack(
    { region: SEED_REGION, sources: [SEED], destinations: [SEED_DEST, SECOND_DEST] },
    (started) => (real = started),
  );

  it('creates the jobs and both statements', async () => {
    real.synth(seedStack([...base, secondJob]));
    await real.terraform.init();
    const created = await real.step();
    expectClean(created);
    const remote = await real.remote();
    expect(ids(remote, SEED)).toEqual(['inventory_test', 'inventory_test_plain', 'to_second']);
    // Each job after its own destination's policy.
    const order = digestRequests(created.requests).policyOrder;
    expect(order[`policy ${SECOND_DEST} | inventory ${SEED} to_second`]).toBe('policy first');
    expect(order[`policy ${SEED_DEST} | inventory ${SEED} inventory_test`]).toBe('policy first');
    await real.addStatement(SECOND_DEST, foreignOn(SECOND_DEST));
  });

  it('a one-field change plans as that field alone and sends one PUT (and its read-back), no DELETE', async () => {
    real.synth(seedStack([seedJob('inventory_test', 'Daily'), base[1], secondJob]));
    const step = await real.step();
    expectClean(step);
    expect(changed(step)).toEqual([[seedAddress('inventory_test'), 'replace']]);
    const text = step.planText;
    const section = text.slice(text.indexOf(`# ${seedAddress('inventory_test')}`));
    expect(section).toMatch(/~ "?Frequency"? += "Weekly" -> "Daily"/);
    expect(text).not.toMatch(/\boutput\b/);
    expect(text).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');
    expect(step.requests.filter((e) => e.method === 'DELETE')).toEqual([]);
    expect(jobRequests(step.requests)).toEqual(['PUT inventory_test', 'GET inventory_test']);
  });

  it('removing the only job for the second destination leaves no statement of ours there; the foreign one byte-identical', async () => {
    const before = (await real.remote()).policies[SECOND_DEST];
    real.synth(seedStack([seedJob('inventory_test', 'Daily'), base[1]]));
    const step = await real.step();
    expectClean(step);
    expect(step.plan['terraform_data.SourceBucket_prune']).toBe('replace');
    const remote = await real.remote();
    expect(ids(remote, SEED)).toEqual(['inventory_test', 'inventory_test_plain']);
    const policy = remote.policies[SECOND_DEST];
    expect(statementsOf(policy).map((s) => s.sid)).toEqual(['someone-else']);
    expect(policy).toContain(JSON.stringify(foreignOn(SECOND_DEST)));
    expect(before).toContain(JSON.stringify(foreignOn(SECOND_DEST)));
    expect(statementsOf(remote.policies[SEED_DEST]).map((s) => s.sid)).toEqual([`cosInventory-${SEED}`]);
  });

  (removedBlocks ? it : it.skip)(
    'the documented whole-construct removal (RemovedBucketInventory) leaves no job and no statement of ours',
    async () => {
      real.synth((stack) => new RemovedBucketInventory(stack, 'SourceBucket'));
      const step = await real.step();
      expectClean(step);
      expect(step.plan['terraform_data.SourceBucket_prune']).toBe('delete');
      const remote = await real.remote();
      expect(ids(remote, SEED)).toEqual([]);
      expect(remote.policies[SEED_DEST]).toBeNull();
      expect(statementsOf(remote.policies[SECOND_DEST]).map((s) => s.sid)).toEqual(['someone-else']);
      expect(await real.terraform.stateResources()).toEqual([]);
    },
  );
});

describeReal('issue 10: a change to a destination that does not exist under real terraform', () => {
  const MISSING = 'missing-1250000000';
  let real: RealStack;
  const original = [seedJob('inventory_test', 'Daily'), seedJob('inventory_test_plain', 'Daily')];

  useRealStack(
    { region: SEED_REGION, sources: [SEED], destinations: [SEED_DEST] },
    (started) => (real = started),
  );

  it('fails the apply and leaves the old job in COS with its old configuration; reverting repairs', async () => {
    real.synth(seedStack(original));
    await real.terraform.init();
    expectClean(await real.step());
    const before = (await real.remote()).inventories[SEED];

    real.synth(seedStack([seedJob('inventory_test', 'Daily', MISSING), original[1]]));
    const failed = await real.step();
    expect(failed.ok).toBe(false);
    expect(oneLine(failed.stderr)).toMatch(/bucket=missing-1250000000 .*code=NoSuchBucket/);
    // No DELETE of any job: the old object's delete-job never runs (create_before_destroy).
    expect(failed.requests.filter((e) => e.subresource === 'inventory' && e.method === 'DELETE')).toEqual([]);
    const after = (await real.remote()).inventories[SEED];
    expect(after).toEqual(before);

    // Back to the real destination: the job is put again and its statement is in place.
    real.synth(seedStack(original));
    const repaired = await real.step();
    expectClean(repaired);
    const remote = await real.remote();
    expect(remote.inventories[SEED]).toEqual(before);
    expect(statementsOf(remote.policies[SEED_DEST]).map((s) => s.sid)).toEqual([`cosInventory-${SEED}`]);
  });
});
