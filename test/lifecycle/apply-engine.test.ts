import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  ConfigError,
  PlanError,
  terraformApply,
  type ApplyResult,
  type JsonValue,
  type TerraformState,
} from './harness';

type Json = { [key: string]: JsonValue };

const FIXTURE = path.join(__dirname, 'fixtures', 'chain.tf.json');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-engine-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function chain(): Json {
  return JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Json;
}
function res(config: Json, name: string): Json {
  return ((config.resource as Json).terraform_data as Json)[name] as Json;
}
function log(): string[] {
  const file = path.join(dir, 'log.txt');
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
  fs.rmSync(file, { force: true });
  return lines.filter((l) => l !== '');
}
async function apply(
  config: Json | undefined,
  state: TerraformState | undefined,
  extra: {
    mode?: 'apply' | 'destroy';
    replace?: string[];
    env?: NodeJS.ProcessEnv;
    parallelism?: number;
  } = {},
): Promise<ApplyResult> {
  return terraformApply({ stackDir: dir, config, state, env: { PATH: process.env.PATH }, ...extra });
}
async function created(): Promise<TerraformState> {
  const result = await apply(chain(), undefined);
  expect(result.ok).toBe(true);
  log();
  return result.state;
}

describe('terraform apply on terraform_data', () => {
  it('creates in dependency order and records input, output and dependencies', async () => {
    const result = await apply(chain(), undefined);
    expect(result.ok).toBe(true);
    expect(result.plan.summary).toEqual({
      'terraform_data.job_a': 'create',
      'terraform_data.job_b': 'create',
      'terraform_data.policy': 'create',
    });
    expect(log()).toEqual([
      'create policy {"name":"policy","rev":"1"}',
      'create job_a {"id":"a","v":"1"}',
      'create job_b {"id":"b","v":"1"}',
    ]);
    const jobA = result.state.resources['terraform_data.job_a'];
    expect(jobA.input).toEqual({ id: 'a', v: '1' });
    expect(jobA.output).toEqual(jobA.input);
    expect(jobA.dependencies).toEqual(['terraform_data.policy']);
    expect(jobA.tainted).toBe(false);
  });

  it('does nothing when configuration and state agree', async () => {
    const state = await created();
    const result = await apply(chain(), state);
    expect(result.plan.lines).toEqual([]);
    expect(Object.values(result.plan.summary)).toEqual(['no-op', 'no-op', 'no-op']);
    expect(log()).toEqual([]);
  });

  it('replaces on a triggers_replace change: old self in the destroy provisioner, new literals', async () => {
    const state = await created();
    const config = chain();
    const jobA = res(config, 'job_a');
    jobA.input = jobA.triggers_replace = { id: 'a', v: '2' };
    const destroyEnv = ((jobA.provisioner as Json[])[1]['local-exec'] as Json).environment as Json;
    destroyEnv.LITERAL = 'v=2';
    const result = await apply(config, state);
    expect(result.plan.lines).toEqual(['replace terraform_data.job_a']);
    expect(log()).toEqual(['destroy job_a {"id":"a","v":"1"} v=2', 'create job_a {"id":"a","v":"2"}']);
    expect(result.state.resources['terraform_data.job_a'].input).toEqual({ id: 'a', v: '2' });
    expect(result.steps.map((s) => `${s.kind} ${s.address}`)).toEqual([
      'destroy terraform_data.job_a',
      'create terraform_data.job_a',
    ]);
  });

  it('updates in place without provisioners when only input changes', async () => {
    const state = await created();
    const config = chain();
    res(config, 'policy').input = { name: 'policy', rev: '2' };
    const result = await apply(config, state);
    expect(result.plan.summary['terraform_data.policy']).toBe('update');
    expect(log()).toEqual([]);
    expect(result.state.resources['terraform_data.policy'].output).toEqual({ name: 'policy', rev: '2' });
  });

  it('with create_before_destroy never runs the deposed destroy provisioner', async () => {
    const config = chain();
    res(config, 'job_a').lifecycle = { create_before_destroy: true };
    const state = (await apply(config, undefined)).state;
    log();
    res(config, 'job_a').triggers_replace = { id: 'a', v: '2' };
    const result = await apply(config, state);
    expect(result.plan.lines).toEqual(['replace terraform_data.job_a']);
    expect(log()).toEqual(['create job_a {"id":"a","v":"1"}']);
    expect(result.steps.map((s) => s.kind)).toEqual(['create', 'destroy-deposed']);
  });

  it('drops a resource removed from the configuration without its destroy provisioner', async () => {
    const state = await created();
    const config = chain();
    delete ((config.resource as Json).terraform_data as Json).job_b;
    const result = await apply(config, state);
    expect(result.plan.lines).toEqual(['drop terraform_data.job_b']);
    expect(log()).toEqual([]);
    expect(Object.keys(result.state.resources)).toEqual(['terraform_data.job_a', 'terraform_data.policy']);
  });

  it('runs the destroy provisioner of a removed block (Terraform >= 1.9), or forgets with destroy = false', async () => {
    const state = await created();
    const config = chain();
    delete ((config.resource as Json).terraform_data as Json).job_b;
    config.removed = [
      {
        from: 'terraform_data.job_b',
        lifecycle: { destroy: true },
        provisioner: [
          {
            'local-exec': {
              command: 'echo "removed job_b $ID" >> log.txt',
              environment: { ID: '${self.input.id}' },
              when: 'destroy',
            },
          },
        ],
      },
    ];
    const result = await apply(config, state);
    expect(result.plan.lines).toEqual(['delete terraform_data.job_b']);
    expect(log()).toEqual(['removed job_b b']);

    config.removed = [{ from: 'terraform_data.job_b', lifecycle: { destroy: false } }];
    const forgotten = await apply(config, state);
    expect(forgotten.plan.lines).toEqual(['forget terraform_data.job_b']);
    expect(log()).toEqual([]);
    expect(forgotten.state.resources['terraform_data.job_b']).toBeUndefined();
  });

  it('destroys everything in reverse dependency order with destroy provisioners', async () => {
    const state = await created();
    const result = await apply(chain(), state, { mode: 'destroy' });
    expect(result.ok).toBe(true);
    expect(result.plan.lines).toEqual([
      'delete terraform_data.job_a',
      'delete terraform_data.job_b',
      'delete terraform_data.policy',
    ]);
    expect(log()).toEqual([
      'destroy job_a {"id":"a","v":"1"} v=1',
      'destroy job_b {"id":"b","v":"1"}',
      'destroy policy {"name":"policy","rev":"1"}',
    ]);
    expect(result.state.resources).toEqual({});
  });

  it('destroys dependents first when the dependency is replaced too (-replace)', async () => {
    const state = await created();
    const result = await apply(chain(), state, {
      replace: ['terraform_data.policy', 'terraform_data.job_b'],
    });
    expect(result.plan.lines).toEqual(['replace terraform_data.job_b', 'replace terraform_data.policy']);
    expect(log()).toEqual([
      'destroy job_b {"id":"b","v":"1"}',
      'destroy policy {"name":"policy","rev":"1"}',
      'create policy {"name":"policy","rev":"1"}',
      'create job_b {"id":"b","v":"1"}',
    ]);
    await expect(apply(chain(), state, { replace: ['terraform_data.nope'] })).rejects.toThrow(PlanError);
  });

  it('updates a former dependent before deleting its old dependency, and recreates after it', async () => {
    const state = await created();
    const config = chain();
    const resources = (config.resource as Json).terraform_data as Json;
    delete resources.policy;
    // job_a: updated in place, no longer depending on the policy.
    delete res(config, 'job_a').depends_on;
    res(config, 'job_a').input = { id: 'a', v: '1', note: 'x' };
    // job_b: replaced; its new object must wait for the old dependency's removal.
    delete res(config, 'job_b').depends_on;
    res(config, 'job_b').triggers_replace = { id: 'b', v: '2' };
    const result = await apply(config, state);
    expect(result.plan.lines).toEqual([
      'update terraform_data.job_a',
      'replace terraform_data.job_b',
      'drop terraform_data.policy',
    ]);
    const order = result.steps.map((s) => `${s.kind} ${s.address}`);
    const at = (step: string): number => order.indexOf(step);
    expect(at('update terraform_data.job_a')).toBeLessThan(at('destroy terraform_data.policy'));
    expect(at('destroy terraform_data.job_b')).toBeLessThan(at('destroy terraform_data.policy'));
    expect(at('destroy terraform_data.policy')).toBeLessThan(at('create terraform_data.job_b'));
    expect(result.state.resources['terraform_data.job_a'].dependencies).toEqual([]);
  });

  it('runs commands with /bin/sh in the stack directory, environment over the inherited one', async () => {
    const config = {
      resource: {
        terraform_data: {
          env: {
            input: { v: 'from-config' },
            provisioner: [
              {
                'local-exec': {
                  command: 'pwd > where.txt; echo "$INHERITED/$OVERRIDDEN/$0" > env.txt',
                  environment: { OVERRIDDEN: '${self.input.v}' },
                },
              },
            ],
          },
        },
      },
    };
    const result = await apply(config, undefined, {
      env: { PATH: process.env.PATH, INHERITED: 'shell', OVERRIDDEN: 'shell' },
    });
    expect(result.ok).toBe(true);
    expect(fs.realpathSync(fs.readFileSync(path.join(dir, 'where.txt'), 'utf8').trim())).toBe(
      fs.realpathSync(dir),
    );
    expect(fs.readFileSync(path.join(dir, 'env.txt'), 'utf8').trim()).toBe('shell/from-config//bin/sh');
    expect(result.runs[0].environment).toEqual({ OVERRIDDEN: 'from-config' });
  });

  it('taints on a failed create provisioner, fails the apply, and replaces next time without destroy provisioner', async () => {
    const config = chain();
    const create = (res(config, 'job_a').provisioner as Json[])[0]['local-exec'] as Json;
    const good = create.command;
    create.command = 'echo boom >&2; exit 3';
    const failed = await apply(config, undefined);
    expect(failed.ok).toBe(false);
    expect(failed.errors[0]).toMatch(
      /terraform_data\.job_a: local-exec provisioner error: .*exit status 3\. Output: boom/,
    );
    expect(failed.state.resources['terraform_data.job_a'].tainted).toBe(true);
    // job_b does not depend on job_a: Terraform still creates it.
    expect(log()).toEqual(['create policy {"name":"policy","rev":"1"}', 'create job_b {"id":"b","v":"1"}']);

    create.command = good;
    const retried = await apply(config, failed.state);
    expect(retried.plan.lines).toEqual(['replace terraform_data.job_a']);
    expect(retried.plan.changes.find((c) => c.address === 'terraform_data.job_a')?.reason).toBe('tainted');
    expect(log()).toEqual(['create job_a {"id":"a","v":"1"}']);
    expect(retried.state.resources['terraform_data.job_a'].tainted).toBe(false);
  });

  it('keeps an object whose destroy provisioner failed, skips what depends on it, and retries next time', async () => {
    const state = await created();
    const config = chain();
    const destroy = (res(config, 'job_b').provisioner as Json[])[1]['local-exec'] as Json;
    const good = destroy.command;
    destroy.command = 'exit 1';
    const failed = await apply(config, state, { mode: 'destroy' });
    expect(failed.ok).toBe(false);
    expect(Object.keys(failed.state.resources).sort()).toEqual([
      'terraform_data.job_b',
      'terraform_data.policy',
    ]);
    expect(failed.steps.find((s) => s.address === 'terraform_data.policy')?.status).toBe('skipped');
    expect(log()).toEqual(['destroy job_a {"id":"a","v":"1"} v=1']);

    destroy.command = good;
    const retried = await apply(config, failed.state, { mode: 'destroy' });
    expect(retried.ok).toBe(true);
    expect(log()).toEqual(['destroy job_b {"id":"b","v":"1"}', 'destroy policy {"name":"policy","rev":"1"}']);
  });

  it('runs independent steps concurrently with parallelism, still after their dependencies', async () => {
    const config = chain();
    // Each job waits (bounded) for the other to have started: only a concurrent walk passes.
    const rendezvous = (me: string, other: string): string =>
      `touch ${me}.started; i=0; while [ ! -f ${other}.started ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; ` +
      `[ -f ${other}.started ] && [ -f policy.done ] && echo "create ${me}" >> log.txt`;
    ((res(config, 'job_a').provisioner as Json[])[0]['local-exec'] as Json).command = rendezvous(
      'job_a',
      'job_b',
    );
    ((res(config, 'job_b').provisioner as Json[])[0]['local-exec'] as Json).command = rendezvous(
      'job_b',
      'job_a',
    );
    ((res(config, 'policy').provisioner as Json[])[0]['local-exec'] as Json).command = 'touch policy.done';
    const result = await apply(config, undefined, { parallelism: 10 });
    expect(result.errors).toEqual([]);
    expect(log().sort()).toEqual(['create job_a', 'create job_b']);
    expect(result.steps[0].address).toBe('terraform_data.policy');
  });

  it('derives dependencies from references and plans unknown values as changes', async () => {
    const config = chain();
    const jobA = res(config, 'job_a');
    delete jobA.depends_on;
    jobA.input = { id: 'a', v: '1', policy: '${terraform_data.policy.output.rev}' };
    const first = await apply(config, undefined);
    expect(first.state.resources['terraform_data.job_a'].dependencies).toEqual(['terraform_data.policy']);
    expect(first.state.resources['terraform_data.job_a'].input).toEqual({ id: 'a', v: '1', policy: '1' });
    expect(log()[0]).toMatch(/^create policy/);
    // The policy is replaced, so job_a's input is unknown until apply: an in-place update.
    const second = await apply(config, first.state, { replace: ['terraform_data.policy'] });
    expect(second.plan.summary['terraform_data.job_a']).toBe('update');
  });

  it('replaces when triggers_replace refers to a resource being replaced (unknown until apply)', async () => {
    const config = chain();
    res(config, 'job_b').triggers_replace = { id: 'b', policy: '${terraform_data.policy.id}' };
    const state = (await apply(config, undefined)).state;
    log();
    expect(state.resources['terraform_data.job_b'].triggers_replace).toEqual({
      id: 'b',
      policy: state.resources['terraform_data.policy'].id,
    });
    const result = await apply(config, state, { replace: ['terraform_data.policy'] });
    expect(result.plan.summary['terraform_data.job_b']).toBe('replace');
    expect(result.state.resources['terraform_data.job_b'].triggers_replace).toEqual({
      id: 'b',
      policy: result.state.resources['terraform_data.policy'].id,
    });
  });

  it('ignores a failed provisioner with on_failure = continue', async () => {
    const config = chain();
    const create = (res(config, 'job_a').provisioner as Json[])[0]['local-exec'] as Json;
    create.command = 'exit 9';
    create.on_failure = 'continue';
    const result = await apply(config, undefined);
    expect(result.ok).toBe(true);
    expect(result.runs.find((r) => r.address === 'terraform_data.job_a')?.exitCode).toBe(9);
    expect(result.state.resources['terraform_data.job_a'].tainted).toBe(false);
  });

  it('derives the prior state from the previous configuration when no state is given', async () => {
    const previous = chain();
    const current = chain();
    res(current, 'job_b').triggers_replace = { id: 'b', v: '9' };
    const result = await terraformApply({
      stackDir: dir,
      previous,
      config: current,
      env: { PATH: process.env.PATH },
    });
    expect(result.plan.lines).toEqual(['replace terraform_data.job_b']);
  });
});

describe('configurations the harness refuses', () => {
  const withJob = (patch: (job: Json, config: Json) => void): Json => {
    const config = chain();
    patch(res(config, 'job_a'), config);
    return config;
  };
  it.each<[string, Json, RegExp]>([
    ['count', withJob((j) => (j.count = 2)), /terraform_data\.job_a: unsupported argument "count"/],
    ['for_each', withJob((j) => (j.for_each = {})), /unsupported argument "for_each"/],
    [
      'other resource types',
      { resource: { null_resource: { x: {} } } },
      /unsupported resource type "null_resource"/,
    ],
    ['variables', { variable: { region: {} } }, /unsupported top-level block "variable"/],
    [
      'other provisioners',
      withJob((j) => (j.provisioner = [{ 'remote-exec': { inline: [] } }])),
      /unsupported provisioner "remote-exec"/,
    ],
    [
      'destroy provisioners referencing other resources',
      withJob(
        (j) =>
          (j.provisioner = [
            { 'local-exec': { command: 'echo ${terraform_data.policy.id}', when: 'destroy' } },
          ]),
      ),
      /invalid reference from destroy provisioner "terraform_data\.policy\.id"/,
    ],
    [
      'template directives',
      withJob((j) => (j.input = '%{ if true }x%{ endif }')),
      /unsupported template directive/,
    ],
    [
      'a removed block for a resource still declared',
      withJob((_j, c) => (c.removed = [{ from: 'terraform_data.job_a' }])),
      /removed block for terraform_data\.job_a: the resource is still declared/,
    ],
    [
      'ignore_changes',
      withJob((j) => (j.lifecycle = { ignore_changes: ['input'] })),
      /unsupported argument "ignore_changes"/,
    ],
  ])('%s', async (_name, config, message) => {
    await expect(apply(config, undefined)).rejects.toThrow(ConfigError);
    await expect(apply(config, undefined)).rejects.toThrow(message);
  });

  it('refuses to destroy a prevent_destroy resource', async () => {
    const config = withJob((j) => (j.lifecycle = { prevent_destroy: true }));
    const state = (await apply(config, undefined)).state;
    await expect(apply(config, state, { mode: 'destroy' })).rejects.toThrow(/prevent_destroy/);
  });
});
