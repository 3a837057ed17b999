/**
 * The BucketInventory construct through the REAL `terraform` binary, step by step, and the
 * same configurations through the lifecycle harness (test/lifecycle/harness) on a second
 * local COS endpoint: both must plan the same actions, send the same requests, keep the same
 * state and outputs, and leave the same remote state. Runs only where a terraform >= 1.5
 * answers `terraform version`. The drift check is off: its `hashicorp/external` provider
 * cannot be downloaded offline (see docs/lifecycle-testing.md).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

import type { TerraformStack } from 'cdktf';

import { BucketInventory, RemovedBucketInventory, type InventoryJob } from '../../src/construct';
import { digestRequests, jobRequests } from './request-digest';
import { atLeast, findTerraform, requireTerraform } from './terraform-binary';
import { TwinStack, type RemoteState, type TwinStep } from './twin-stack';

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

function inventory(
  stack: TerraformStack,
  id: string,
  bucket: string,
  jobs: InventoryJob[],
  handlerBundlePath?: string,
): BucketInventory {
  return new BucketInventory(stack, id, {
    bucket,
    region: REGION,
    ownerUin: '100000000001',
    driftCheck: false,
    jobs,
    handlerBundlePath,
  });
}

/** The handler path (content-hashed) the synthesized stack's provisioners use. */
async function handlerPath(twin: TwinStack): Promise<string> {
  return /assets\/\S+\/handler\.js/.exec(JSON.stringify(await twin.config()))![0];
}

/** Everything the two sides must agree on after a step; returns real Terraform's remote state. */
async function expectAgreement(
  twin: TwinStack,
  step: TwinStep,
  mode: 'apply' | 'destroy',
  options: {
    readonly failing?: boolean;
    /**
     * Policy requests race with independent resources' (two destinations, or a prune detaching
     * while an attacher upserts): compare the request multiset and each job's own sequence only.
     */
    readonly independentPolicies?: boolean;
  } = {},
): Promise<RemoteState> {
  if (options.failing) {
    expect([step.real.ok, step.harness.ok]).toEqual([false, false]);
  } else {
    expect(step.harness.errors).toEqual([]);
    // stderr shown on failure, for the diagnosis.
    expect({ ok: step.real.ok, stderr: step.real.stderr }).toEqual({ ok: true, stderr: '' });
  }
  // No data source in these stacks: planning never reaches COS.
  expect(step.real.planRequests).toEqual([]);
  expect(step.real.plan).toEqual(step.harness.plan.summary);
  const real = digestRequests(step.real.requests);
  const harness = digestRequests(step.harness.requests);
  if (options.independentPolicies) {
    const jobsOnly = (
      sequences: Readonly<Record<string, readonly string[]>>,
    ): Record<string, readonly string[]> =>
      Object.fromEntries(Object.entries(sequences).filter(([object]) => object.startsWith('inventory ')));
    expect(real.multiset).toEqual(harness.multiset);
    expect(jobsOnly(real.sequences)).toEqual(jobsOnly(harness.sequences));
  } else {
    expect(real).toEqual(harness);
  }
  const states = await twin.states();
  expect(states.real).toEqual(states.harness);
  expect(await twin.real.outputs()).toEqual(mode === 'apply' ? step.harness.outputs : {});
  const remote = await twin.remote();
  expect(remote.real).toEqual(remote.harness);
  return remote.real;
}

const ids = (remote: RemoteState, bucket: string): string[] =>
  (remote.inventories[bucket] as { Id: string }[]).map((c) => c.Id);

/** Terraform wraps its diagnostics at 78 columns. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ');

const address = (id: string): string => `terraform_data.Logs_job_${id}`;

// -parallelism=1 and Terraform's default of 10: requests compare as multisets and per object.
describeReal.each([1, 10])(
  'one BucketInventory through real terraform apply and destroy (-parallelism=%i), as the harness predicts',
  (parallelism) => {
    let twin: TwinStack;
    let bundle: string | undefined;
    const synth = (jobs: InventoryJob[]): void =>
      twin.synth((stack) => inventory(stack, 'Logs', LOGS, jobs, bundle));

    beforeAll(async () => {
      twin = await TwinStack.start({ region: REGION, sources: [LOGS], destinations: [DEST], parallelism });
    });
    afterAll(async () => {
      await twin?.close();
    });

    it('creates three jobs after the destination policy', async () => {
      synth([job('a'), job('b'), job('c')]);
      await twin.real.init();
      const step = await twin.step();
      expect(step.real.plan).toEqual({
        [address('a')]: 'create',
        [address('b')]: 'create',
        [address('c')]: 'create',
        'terraform_data.Logs_prune': 'create',
        [POLICY]: 'create',
        [RELEASE]: 'create',
      });
      expect(step.real.stdout).toContain('Apply complete! Resources: 6 added, 0 changed, 0 destroyed.');
      expect(jobRequests(step.real.requests).sort()).toEqual([
        'GET a',
        'GET b',
        'GET c',
        'PUT a',
        'PUT b',
        'PUT c',
      ]);
      // The jobs depend on the policy: every job request comes after the last policy request.
      expect(new Set(Object.values(digestRequests(step.real.requests).policyOrder))).toEqual(
        new Set(['policy first']),
      );
      const remote = await expectAgreement(twin, step, 'apply');
      expect(ids(remote, LOGS)).toEqual(['a', 'b', 'c']);
      expect(remote.policies[DEST]).toContain('/inv/1250000000/logs/*');
    });

    it('replaces only the job whose field changed: one PUT and GET of it, no DELETE, nothing else', async () => {
      synth([job('a'), job('b', 'Weekly'), job('c')]);
      const step = await twin.step();
      expect(Object.entries(step.real.plan).filter(([, action]) => action !== 'no-op')).toEqual([
        [address('b'), 'replace'],
      ]);
      // What a reviewer reads: the changed field under the job's address, and no `output`.
      const text = twin.real.lastPlanText;
      expect(text).toContain(`# ${address('b')} must be replaced`);
      expect(text).toContain('+/- create replacement and then destroy');
      expect(text).toMatch(/~ "?Frequency"? += "Daily" -> "Weekly"/);
      expect(text).not.toMatch(/\boutput\b/);
      expect(text).not.toMatch(/\binput\b/);
      expect(step.real.requests.map((e) => `${e.method} ${e.subresource} ${e.id}`)).toEqual([
        'PUT inventory b',
        'GET inventory b',
      ]);
      const remote = await expectAgreement(twin, step, 'apply');
      expect(
        (remote.inventories[LOGS] as { Id: string; Schedule: { Frequency: string } }[])[1],
      ).toMatchObject({
        Id: 'b',
        Schedule: { Frequency: 'Weekly' },
      });
    });

    it('drops a removed job without its provisioner; the replaced prune resource deletes it', async () => {
      synth([job('a'), job('b', 'Weekly')]);
      const step = await twin.step();
      expect(step.real.plan[address('c')]).toBe('drop');
      expect(step.real.plan['terraform_data.Logs_prune']).toBe('replace');
      expect(step.real.stdout).not.toContain('delete-job');
      expect(jobRequests(step.real.requests)).toEqual(['DELETE c']);
      const remote = await expectAgreement(twin, step, 'apply');
      expect(ids(remote, LOGS)).toEqual(['a', 'b']);
    });

    it('renames a job: the new id is put, prune deletes the old one', async () => {
      synth([job('a2'), job('b', 'Weekly')]);
      const step = await twin.step();
      expect(Object.entries(step.real.plan).filter(([, action]) => action !== 'no-op')).toEqual([
        [address('a'), 'drop'],
        [address('a2'), 'create'],
        ['terraform_data.Logs_prune', 'replace'],
      ]);
      expect(jobRequests(step.real.requests).sort()).toEqual(['DELETE a', 'GET a2', 'PUT a2']);
      const remote = await expectAgreement(twin, step, 'apply');
      expect(ids(remote, LOGS)).toEqual(['a2', 'b']);
    });

    it('adds a job; the replaced prune resource deletes nothing', async () => {
      synth([job('a2'), job('b', 'Weekly'), job('d')]);
      const step = await twin.step();
      expect(Object.entries(step.real.plan).filter(([, action]) => action !== 'no-op')).toEqual([
        [address('d'), 'create'],
        ['terraform_data.Logs_prune', 'replace'],
      ]);
      expect(jobRequests(step.real.requests)).toEqual(['PUT d', 'GET d']);
      const remote = await expectAgreement(twin, step, 'apply');
      expect(ids(remote, LOGS)).toEqual(['a2', 'b', 'd']);
    });

    it('apply -replace= of one job: PUT and GET of it only (create_before_destroy)', async () => {
      const step = await twin.step('apply', { replace: [address('b')] });
      expect(Object.entries(step.real.plan).filter(([, action]) => action !== 'no-op')).toEqual([
        [address('b'), 'replace'],
      ]);
      expect(step.real.requests.map((e) => `${e.method} ${e.subresource} ${e.id}`)).toEqual([
        'PUT inventory b',
        'GET inventory b',
      ]);
      await expectAgreement(twin, step, 'apply');
    });

    it('a rebuilt handler bundle changes only commands, which are not in state: nothing to do', async () => {
      const before = await handlerPath(twin);
      // The asset keeps the bundle's file name; only its content hash (the folder) changes.
      bundle = path.join(twin.tmp, 'rebuilt', 'handler.js');
      fs.mkdirSync(path.dirname(bundle));
      fs.writeFileSync(
        bundle,
        `${fs.readFileSync(path.resolve(__dirname, '../../dist/handler.js'), 'utf8')}\n// rebuilt\n`,
      );
      synth([job('a2'), job('b', 'Weekly'), job('d')]);
      expect(await handlerPath(twin)).not.toBe(before);
      const step = await twin.step();
      expect(new Set(Object.values(step.real.plan))).toEqual(new Set(['no-op']));
      expect(step.real.requests).toEqual([]);
      await expectAgreement(twin, step, 'apply');
    });

    it('terraform destroy deletes every job and our statement, leaving a foreign one byte-for-byte', async () => {
      const foreign = {
        sid: 'someone-else',
        effect: 'allow',
        principal: { qcs: ['qcs::cam::uin/100000000002:uin/100000000002'] },
        action: ['name/cos:GetObject'],
        resource: [`qcs::cos:${REGION}:uid/1250000000:${DEST}/public/*`],
      };
      const foreignBytes = JSON.stringify(foreign);
      for (const side of ['real', 'harness'] as const) {
        const sdk = twin.sdk(side);
        const document = (await sdk.getBucketPolicy({ Bucket: DEST, Region: REGION })).Policy as {
          statement: unknown[];
        };
        await sdk.putBucketPolicy({
          Bucket: DEST,
          Region: REGION,
          Policy: { ...document, statement: [foreign, ...document.statement] },
        });
      }

      const step = await twin.step('destroy');
      expect(step.real.plan).toEqual({
        [address('a2')]: 'delete',
        [address('b')]: 'delete',
        [address('d')]: 'delete',
        'terraform_data.Logs_prune': 'delete',
        [POLICY]: 'delete',
        [RELEASE]: 'delete',
      });
      expect(step.real.stdout).toContain('Destroy complete! Resources: 6 destroyed.');
      // Destroy provisioners come from the current configuration: the rebuilt bundle runs.
      expect(step.real.stdout).toContain(`${await handlerPath(twin)} delete-job`);
      expect(jobRequests(step.real.requests).sort()).toEqual(['DELETE a2', 'DELETE b', 'DELETE d']);
      // The jobs depend on the policy: it is detached only after they are deleted.
      expect(new Set(Object.values(digestRequests(step.real.requests).policyOrder))).toEqual(
        new Set(['job first']),
      );
      const remote = await expectAgreement(twin, step, 'destroy');
      expect(ids(remote, LOGS)).toEqual([]);
      const policy = remote.policies[DEST]!;
      expect(policy).toContain(foreignBytes);
      expect((JSON.parse(policy) as { statement: unknown[] }).statement).toHaveLength(1);
      expect(await twin.real.stateResources()).toEqual([]);
    });
  },
);

(removedBlocks ? describe : describe.skip)(
  'removing a whole BucketInventory with RemovedBucketInventory (removed blocks, terraform >= 1.9)',
  () => {
    let twin: TwinStack;

    beforeAll(async () => {
      twin = await TwinStack.start({ region: REGION, sources: [LOGS, AUDIT], destinations: [DEST] });
    });
    afterAll(async () => {
      await twin?.close();
    });

    it('runs the removed prune: every job of the construct and its statement go in the same apply, as the harness does', async () => {
      twin.synth((stack) => {
        inventory(stack, 'Logs', LOGS, [job('l')]);
        inventory(stack, 'Audit', AUDIT, [job('x'), job('y')]);
      });
      await twin.real.init();
      const created = await twin.step();
      const before = await expectAgreement(twin, created, 'apply');
      expect(ids(before, AUDIT)).toEqual(['x', 'y']);

      twin.synth((stack) => {
        inventory(stack, 'Logs', LOGS, [job('l')]);
        new RemovedBucketInventory(stack, 'Audit');
      });
      const step = await twin.step();
      expect(step.real.plan).toEqual({
        // Their blocks are gone: dropped without provisioners; the prune deletes them.
        'terraform_data.Audit_job_x': 'drop',
        'terraform_data.Audit_job_y': 'drop',
        // Governed by the removed block: destroyed with its prune provisioner.
        'terraform_data.Audit_prune': 'delete',
        'terraform_data.Logs_job_l': 'no-op',
        'terraform_data.Logs_prune': 'no-op',
        // The shared attacher loses the audit statement: replaced create-before-destroy
        // (upsert only); the release guard's sids are updated in place.
        [POLICY]: 'replace',
        [RELEASE]: 'update',
      });
      expect(jobRequests(step.real.requests).sort()).toEqual(['DELETE x', 'DELETE y']);
      // The prune (delete x, y, then detach) and the attacher's upsert run independently.
      const remote = await expectAgreement(twin, step, 'apply', { independentPolicies: true });
      expect(ids(remote, AUDIT)).toEqual([]);
      expect(ids(remote, LOGS)).toEqual(['l']);
      expect(remote.policies[DEST]).not.toContain(`cosInventory-${AUDIT}`);
      expect(remote.policies[DEST]).toContain(`cosInventory-${LOGS}`);
    });
  },
);

describeReal('a shared destination policy gaining and losing a source under real terraform', () => {
  let twin: TwinStack;
  const foreign = {
    sid: 'someone-else',
    effect: 'allow',
    principal: { qcs: ['qcs::cam::uin/100000000002:uin/100000000002'] },
    action: ['name/cos:GetObject'],
    resource: [`qcs::cos:${REGION}:uid/1250000000:${DEST}/public/*`],
  };
  const synth = (auditJobs?: InventoryJob[]): void =>
    twin.synth((stack) => {
      inventory(stack, 'Logs', LOGS, [job('l')]);
      if (auditJobs) inventory(stack, 'Audit', AUDIT, auditJobs);
    });
  const sidsOf = (remote: RemoteState): string[] =>
    (JSON.parse(remote.policies[DEST]!) as { statement: { sid: string }[] }).statement.map((s) => s.sid);
  // The request log keeps no bodies: a policy write without A's statement would be a DELETE or
  // a PUT by a detach; the attach's read-modify-write PUT keeps what it read (A included).
  const policyWrites = (step: TwinStep): string[] =>
    step.real.requests
      .filter((e) => e.subresource === 'policy' && e.bucket === DEST && e.method !== 'GET')
      .map((e) => e.method);

  beforeAll(async () => {
    twin = await TwinStack.start({ region: REGION, sources: [LOGS, AUDIT], destinations: [DEST] });
  });
  afterAll(async () => {
    await twin?.close();
  });

  it("adding a source B keeps A's statement in the policy at every request", async () => {
    synth();
    await twin.real.init();
    const created = await twin.step();
    await expectAgreement(twin, created, 'apply');
    for (const side of ['real', 'harness'] as const) {
      const sdk = twin.sdk(side);
      const document = (await sdk.getBucketPolicy({ Bucket: DEST, Region: REGION })).Policy as {
        statement: unknown[];
      };
      await sdk.putBucketPolicy({
        Bucket: DEST,
        Region: REGION,
        Policy: { ...document, statement: [foreign, ...document.statement] },
      });
    }

    synth([job('x')]);
    const added = await twin.step();
    expect(added.real.plan).toMatchObject({ [POLICY]: 'replace', [RELEASE]: 'update' });
    // The attacher is replaced create-before-destroy: the old one runs no detach.
    expect(added.real.stdout).not.toContain('detach-policy');
    expect(policyWrites(added)).toEqual(['PUT']);
    const remote = await expectAgreement(twin, added, 'apply');
    expect(sidsOf(remote)).toEqual(['someone-else', `cosInventory-${LOGS}`, `cosInventory-${AUDIT}`]);
    expect((await twin.states()).real[RELEASE]).toMatchObject({
      input: { sids: [`cosInventory-${AUDIT}`, `cosInventory-${LOGS}`] },
    });
  });

  it("B with no job left: its prune detaches only B's statement; A's stays", async () => {
    synth([]);
    const removed = await twin.step();
    expect(removed.real.plan).toMatchObject({ [POLICY]: 'replace', [RELEASE]: 'update' });
    // B's prune detaches: PUT [foreign, A]; the attach finds A unchanged and writes nothing.
    expect(policyWrites(removed)).toEqual(['PUT']);
    // The prune's detach and the replaced attacher's upsert are independent resources.
    const remote = await expectAgreement(twin, removed, 'apply', { independentPolicies: true });
    expect(sidsOf(remote)).toEqual(['someone-else', `cosInventory-${LOGS}`]);
  });

  it('terraform destroy: all of ours gone, the foreign statement intact', async () => {
    const destroyed = await twin.step('destroy');
    expect(destroyed.real.plan).toMatchObject({ [POLICY]: 'delete', [RELEASE]: 'delete' });
    const remote = await expectAgreement(twin, destroyed, 'destroy');
    expect(remote.policies[DEST]).toContain(JSON.stringify(foreign));
    expect(sidsOf(remote)).toEqual(['someone-else']);
    expect(await twin.real.stateResources()).toEqual([]);
  });
});

describeReal('failed provisioners under real terraform, as the harness predicts', () => {
  const APP = 'app-1250000000';
  const appAddress = (id: string): string => `terraform_data.App_job_${id}`;
  let twin: TwinStack;
  const synth = (jobs: InventoryJob[]): void => twin.synth((stack) => inventory(stack, 'App', APP, jobs));

  beforeAll(async () => {
    twin = await TwinStack.start({ region: REGION, sources: [APP], destinations: [DEST] });
  });
  afterAll(async () => {
    await twin?.close();
  });

  it('taints a job whose put-job failed; the next apply replaces it without running delete-job', async () => {
    synth([job('one'), job('two')]);
    await twin.real.init();
    twin.injectFault({
      method: 'PUT',
      subresource: 'inventory',
      id: 'two',
      status: 403,
      code: 'AccessDenied',
    });
    const failed = await twin.step();
    expect(failed.real.stderr).toContain('local-exec provisioner error');
    expect(oneLine(failed.real.stderr)).toMatch(
      /cos-inventory put-job: bucket=app-1250000000 id=two code=AccessDenied/,
    );
    expect(failed.real.stderr).not.toContain(twin.realCos.credentials.secretKey);
    const afterFailure = await expectAgreement(twin, failed, 'apply', { failing: true });
    expect(ids(afterFailure, APP)).toEqual(['one']);
    expect((await twin.states()).real[appAddress('two')]).toMatchObject({ tainted: true });

    const retried = await twin.step();
    expect(Object.entries(retried.real.plan).filter(([, action]) => action !== 'no-op')).toEqual([
      [appAddress('two'), 'replace'],
    ]);
    // A tainted object's destroy provisioner is skipped: no DELETE before the PUT.
    expect(jobRequests(retried.real.requests)).toEqual(['PUT two', 'GET two']);
    const remote = await expectAgreement(twin, retried, 'apply');
    expect(ids(remote, APP)).toEqual(['one', 'two']);
  });

  it('keeps a job whose delete-job failed in state, skips the policy detach, and finishes on the next destroy', async () => {
    twin.injectFault({
      method: 'DELETE',
      subresource: 'inventory',
      id: 'one',
      status: 403,
      code: 'AccessDenied',
    });
    const failed = await twin.step('destroy');
    expect(oneLine(failed.real.stderr)).toMatch(
      /cos-inventory delete-job: bucket=app-1250000000 id=one code=AccessDenied/,
    );
    const afterFailure = await expectAgreement(twin, failed, 'destroy', { failing: true });
    expect(Object.keys((await twin.states()).real).sort()).toEqual([appAddress('one'), POLICY, RELEASE]);
    expect(ids(afterFailure, APP)).toEqual(['one']);
    expect(afterFailure.policies[DEST]).toContain(`cosInventory-${APP}`);

    const retried = await twin.step('destroy');
    expect(retried.real.plan).toEqual({
      [appAddress('one')]: 'delete',
      [POLICY]: 'delete',
      [RELEASE]: 'delete',
    });
    const remote = await expectAgreement(twin, retried, 'destroy');
    expect(ids(remote, APP)).toEqual([]);
    expect(remote.policies[DEST]).toBeNull();
  });
});

describeReal('the HCL rendering (cdktf synth --hcl) under real terraform, as the harness predicts', () => {
  const HCL = 'hcl-1250000000';
  const hclAddress = (id: string): string => `terraform_data.Hcl_job_${id}`;
  let twin: TwinStack;
  const synth = (jobs: InventoryJob[]): void =>
    twin.synth((stack) => inventory(stack, 'Hcl', HCL, jobs), { hcl: true });

  beforeAll(async () => {
    twin = await TwinStack.start({ region: REGION, sources: [HCL], destinations: [DEST] });
  });
  afterAll(async () => {
    await twin?.close();
  });

  it('creates, changes, prunes and destroys with the same actions and requests', async () => {
    synth([job('a'), job('b')]);
    await twin.real.init();
    const created = await twin.step();
    // cdktf quotes `when` and `depends_on` entries: deprecated, accepted with a warning.
    expect(created.real.stdout).not.toContain('Error');
    expect(ids(await expectAgreement(twin, created, 'apply'), HCL)).toEqual(['a', 'b']);

    synth([job('a', 'Weekly')]);
    const changed = await twin.step();
    expect(changed.real.plan).toEqual({
      [hclAddress('a')]: 'replace',
      [hclAddress('b')]: 'drop',
      'terraform_data.Hcl_prune': 'replace',
      [POLICY]: 'no-op',
      [RELEASE]: 'no-op',
    });
    expect(jobRequests(changed.real.requests).sort()).toEqual(['DELETE b', 'GET a', 'PUT a']);
    expect(ids(await expectAgreement(twin, changed, 'apply'), HCL)).toEqual(['a']);

    const destroyed = await twin.step('destroy');
    const remote = await expectAgreement(twin, destroyed, 'destroy');
    expect(ids(remote, HCL)).toEqual([]);
    expect(remote.policies[DEST]).toBeNull();
  });
});

describeReal('template sequences and odd ids under real terraform, as the harness predicts', () => {
  const ODD = 'odd-1250000000';
  let twin: TwinStack;
  const tricky: InventoryJob = {
    id: 'e.v2',
    destination: { bucket: DEST, prefix: 'tpl/${x}/%{y}' },
    filter: { tags: { 'k${a}': 'v%{b}' } },
  };
  const synth = (): void => twin.synth((stack) => inventory(stack, 'Odd', ODD, [tricky, job('plain')]));

  beforeAll(async () => {
    twin = await TwinStack.start({ region: REGION, sources: [ODD], destinations: [DEST] });
  });
  afterAll(async () => {
    await twin?.close();
  });

  it('sends `${` and `%{` to COS unchanged, and plans nothing on a second apply', async () => {
    synth();
    await twin.real.init();
    const created = await twin.step();
    const remote = await expectAgreement(twin, created, 'apply');
    expect(ids(remote, ODD)).toEqual(['e.v2', 'plain']);
    const stored = (
      remote.inventories[ODD] as { Destination: { COSBucketDestination: { Prefix: string } } }[]
    )[0];
    expect(stored.Destination.COSBucketDestination.Prefix).toBe('tpl/${x}/%{y}');
    expect(JSON.stringify(remote.inventories[ODD][0])).toContain('k${a}');
    expect(JSON.stringify(remote.inventories[ODD][0])).toContain('v%{b}');
    expect(remote.policies[DEST]).toContain('/tpl/${x}/%{y}/1250000000/odd/*');
    const outputs = await twin.real.outputs();
    expect(Object.values(outputs)).toContain(`cos://${DEST}/tpl/\${x}/%{y}/1250000000/odd/e.v2/`);

    // What Terraform stored equals what the configuration evaluates to: nothing to do.
    synth();
    const again = await twin.step();
    expect(new Set(Object.values(again.real.plan))).toEqual(new Set(['no-op']));
    expect(again.real.requests).toEqual([]);
    await expectAgreement(twin, again, 'apply');
  });
});

// Issue 10's "done when", through real Terraform: the seed-sample stack (both jobs of the SDK
// samples, region ap-beijing) plus a job delivering to a second destination.
const SEED = 'sourcebucket-1250000000';
const SEED_DEST = 'targetbucket-1250000000';
const SECOND_DEST = 'second-1250000000';
const SEED_REGION = 'ap-beijing';
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
      driftCheck: false,
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

async function addForeignStatement(twin: TwinStack, bucket: string): Promise<void> {
  for (const side of ['real', 'harness'] as const) {
    const sdk = twin.sdk(side);
    const document = (await sdk.getBucketPolicy({ Bucket: bucket, Region: SEED_REGION })).Policy as {
      statement: unknown[];
    };
    await sdk.putBucketPolicy({
      Bucket: bucket,
      Region: SEED_REGION,
      Policy: { ...document, statement: [foreignOn(bucket), ...document.statement] },
    });
  }
}

const statementsOf = (policy: string | null): { sid: string }[] =>
  policy === null ? [] : (JSON.parse(policy) as { statement: { sid: string }[] }).statement;

describeReal('issue 10: the seed-sample stack plus a second destination under real terraform', () => {
  let twin: TwinStack;
  const base = [seedJob('inventory_test', 'Weekly'), seedJob('inventory_test_plain', 'Daily')];

  beforeAll(async () => {
    twin = await TwinStack.start({
      region: SEED_REGION,
      sources: [SEED],
      destinations: [SEED_DEST, SECOND_DEST],
    });
  });
  afterAll(async () => {
    await twin?.close();
  });

  it('creates the jobs and both statements', async () => {
    twin.synth(seedStack([...base, secondJob]));
    await twin.real.init();
    const created = await twin.step();
    const remote = await expectAgreement(twin, created, 'apply', { independentPolicies: true });
    expect(ids(remote, SEED)).toEqual(['inventory_test', 'inventory_test_plain', 'to_second']);
    // Each job after its own destination's policy.
    const order = digestRequests(created.real.requests).policyOrder;
    expect(order[`policy ${SECOND_DEST} | inventory ${SEED} to_second`]).toBe('policy first');
    expect(order[`policy ${SEED_DEST} | inventory ${SEED} inventory_test`]).toBe('policy first');
    await addForeignStatement(twin, SECOND_DEST);
  });

  it('a one-field change plans as that field alone and sends one PUT (and its read-back), no DELETE', async () => {
    twin.synth(seedStack([seedJob('inventory_test', 'Daily'), base[1], secondJob]));
    const step = await twin.step();
    expect(Object.entries(step.real.plan).filter(([, action]) => action !== 'no-op')).toEqual([
      [seedAddress('inventory_test'), 'replace'],
    ]);
    const text = twin.real.lastPlanText;
    const changed = text.slice(text.indexOf(`# ${seedAddress('inventory_test')}`));
    expect(changed).toMatch(/~ "?Frequency"? += "Weekly" -> "Daily"/);
    expect(text).not.toMatch(/\boutput\b/);
    expect(text).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');
    expect(step.real.requests.filter((e) => e.method === 'DELETE')).toEqual([]);
    expect(jobRequests(step.real.requests)).toEqual(['PUT inventory_test', 'GET inventory_test']);
    await expectAgreement(twin, step, 'apply', { independentPolicies: true });
  });

  it('removing the only job for the second destination leaves no statement of ours there; the foreign one byte-identical', async () => {
    const before = (await twin.remote()).real.policies[SECOND_DEST];
    twin.synth(seedStack([seedJob('inventory_test', 'Daily'), base[1]]));
    const step = await twin.step();
    expect(step.real.plan['terraform_data.SourceBucket_prune']).toBe('replace');
    const remote = await expectAgreement(twin, step, 'apply', { independentPolicies: true });
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
      twin.synth((stack) => new RemovedBucketInventory(stack, 'SourceBucket'));
      const step = await twin.step();
      expect(step.real.plan['terraform_data.SourceBucket_prune']).toBe('delete');
      const remote = await expectAgreement(twin, step, 'apply', { independentPolicies: true });
      expect(ids(remote, SEED)).toEqual([]);
      expect(remote.policies[SEED_DEST]).toBeNull();
      expect(statementsOf(remote.policies[SECOND_DEST]).map((s) => s.sid)).toEqual(['someone-else']);
      expect(await twin.real.stateResources()).toEqual([]);
    },
  );
});

describeReal('issue 10: a change to a destination that does not exist under real terraform', () => {
  const MISSING = 'missing-1250000000';
  let twin: TwinStack;
  const original = [seedJob('inventory_test', 'Daily'), seedJob('inventory_test_plain', 'Daily')];

  beforeAll(async () => {
    twin = await TwinStack.start({ region: SEED_REGION, sources: [SEED], destinations: [SEED_DEST] });
  });
  afterAll(async () => {
    await twin?.close();
  });

  it('fails the apply and leaves the old job in COS with its old configuration; reverting repairs', async () => {
    twin.synth(seedStack(original));
    await twin.real.init();
    await expectAgreement(twin, await twin.step(), 'apply');
    const before = (await twin.remote()).real.inventories[SEED];

    twin.synth(seedStack([seedJob('inventory_test', 'Daily', MISSING), original[1]]));
    const failed = await twin.step();
    expect(failed.real.ok).toBe(false);
    expect(oneLine(failed.real.stderr)).toMatch(/bucket=missing-1250000000 .*code=NoSuchBucket/);
    // No DELETE of any job: the old object's delete-job never runs (create_before_destroy).
    expect(
      failed.real.requests.filter((e) => e.subresource === 'inventory' && e.method === 'DELETE'),
    ).toEqual([]);
    const after = (await twin.remote()).real.inventories[SEED];
    expect(after).toEqual(before);
    // The harness predicts the same failure (its state keeps no deposed objects, so the sides
    // are not compared further here).
    expect(failed.harness.ok).toBe(false);

    // Back to the real destination: the job is put again and its statement is in place.
    twin.synth(seedStack(original));
    const repaired = await twin.step();
    expect(repaired.real.ok).toBe(true);
    const remote = (await twin.remote()).real;
    expect(remote.inventories[SEED]).toEqual(before);
    expect(statementsOf(remote.policies[SEED_DEST]).map((s) => s.sid)).toEqual([`cosInventory-${SEED}`]);
  });
});
