/**
 * `cdktf synth --hcl` (HashiCorp's migration path off CDKTF) must keep what the construct
 * synthesizes: the CLI sets SYNTH_HCL_OUTPUT, under which stacks write `cdk.tf`. The HCL is
 * parsed back with @cdktf/hcl2json.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { App, TerraformStack } from 'cdktf';
import { BucketInventory } from '../../src/construct';
import { DEST, REGION, SOURCE, UIN, commandPattern } from './helpers';

interface HclLocalExec {
  command: string;
  environment: Record<string, string>;
  when?: string;
}
interface HclResource {
  input: Record<string, unknown>;
  lifecycle?: unknown;
  triggers_replace: Record<string, unknown>;
  depends_on?: string[];
  provisioner: { 'local-exec': HclLocalExec[] };
}
interface HclConfig {
  resource: { terraform_data: Record<string, HclResource[]> };
  output: Record<string, { value: string }[]>;
  terraform: { required_providers: Record<string, unknown>[] }[];
}

describe('HCL rendering', () => {
  let outdir: string;
  let stackDir: string;
  let hcl: HclConfig;

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'cos-inventory-hcl-'));
    const previous = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'hcl');
      new BucketInventory(stack, 'logs', {
        bucket: SOURCE,
        region: REGION,
        ownerUin: UIN,
        jobs: [
          {
            id: 'daily.v2',
            destination: { bucket: DEST, prefix: 'reports' },
            filter: { tags: { team: 'data' } },
          },
          { id: 'weekly', destination: { bucket: DEST }, schedule: { frequency: 'Weekly' } },
        ],
      });
      app.synth();
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
    }
    stackDir = join(outdir, 'stacks', 'hcl');
    hcl = (await parse('cdk.tf', readFileSync(join(stackDir, 'cdk.tf'), 'utf8'))) as HclConfig;
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('writes cdk.tf, the check block companion and the handler asset', () => {
    const files = readdirSync(stackDir).sort();
    expect(files).toEqual(expect.arrayContaining(['assets', 'cdk.tf', 'logs_drift.check.tf.json']));
    expect(files).not.toContain('cdk.tf.json');
  });

  test('job resources keep triggers_replace, lifecycle, dependency and both provisioners', () => {
    const [job] = hcl.resource.terraform_data.logs_job_weekly;
    expect(job.triggers_replace).toMatchObject({ bucket: SOURCE, region: REGION, id: 'weekly' });
    expect(job.lifecycle).toEqual([{ create_before_destroy: true }]);
    expect(job.triggers_replace.configuration).toMatchObject({
      Id: 'weekly',
      Schedule: { Frequency: 'Weekly' },
    });
    expect(job.depends_on).toEqual([
      `terraform_data.cos_inventory_policy_${DEST}`,
      `terraform_data.cos_inventory_policy_${DEST}_release`,
    ]);
    const [create, destroy] = job.provisioner['local-exec'];
    expect(create.command).toMatch(commandPattern('put-job'));
    expect(create.environment.COS_INVENTORY_SPEC).toBe(
      '${jsonencode({bucket = self.triggers_replace.bucket, region = self.triggers_replace.region, configuration = self.triggers_replace.configuration})}',
    );
    expect(destroy.when).toBe('destroy');
    expect(destroy.command).toMatch(commandPattern('delete-job'));
  });

  test('prune and policy resources and outputs survive', () => {
    const [prune] = hcl.resource.terraform_data.logs_prune;
    expect(prune.triggers_replace.ids).toEqual(['daily.v2', 'weekly']);
    expect(prune.provisioner['local-exec'][0].environment.COS_INVENTORY_SPEC).toContain(
      'desired = ["daily.v2","weekly"]',
    );
    const [policy] = hcl.resource.terraform_data[`cos_inventory_policy_${DEST}`];
    expect(policy.triggers_replace.sids).toEqual([`cosInventory-${SOURCE}`]);
    expect(policy.provisioner['local-exec']).toHaveLength(1);
    const [release] = hcl.resource.terraform_data[`cos_inventory_policy_${DEST}_release`];
    expect(release.input.sids).toEqual([`cosInventory-${SOURCE}`]);
    expect(hcl.output.logs_report_weekly[0].value).toBe(
      `cos://${DEST}/cos_bucket_inventory/1250000000/sourcebucket/weekly/`,
    );
    expect(hcl.terraform[0].required_providers[0].external).toEqual({
      source: 'hashicorp/external',
      version: '>= 2.3',
    });
  });

  test('the check block, which cdktf drops from HCL, is written as a companion .tf.json', () => {
    const companion = JSON.parse(readFileSync(join(stackDir, 'logs_drift.check.tf.json'), 'utf8')) as {
      check: Record<
        string,
        {
          data: { external: Record<string, { program: string[]; query: Record<string, string> }> };
          assert: unknown[];
        }
      >;
    };
    const check = companion.check.logs_drift;
    const data = check.data.external.logs_drift;
    expect(data.program[2]).toBe('read');
    expect(JSON.parse(data.query.configurations)).toHaveLength(2);
    expect(JSON.parse(data.query.addresses)).toEqual({
      'daily.v2': expect.stringMatching(/^terraform_data\.logs_job_daily_v2_[0-9a-f]{6}$/),
      weekly: 'terraform_data.logs_job_weekly',
    });
    expect(check.assert).toHaveLength(2);
    // Addresses in the check must be resources that exist in cdk.tf.
    for (const address of Object.values(JSON.parse(data.query.addresses) as Record<string, string>)) {
      expect(hcl.resource.terraform_data[address.replace('terraform_data.', '')]).toBeDefined();
    }
  });
});

describe('JSON rendering through app.synth', () => {
  test('cdk.tf.json holds the check block itself and no companion is written', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cos-inventory-json-'));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'json');
      new BucketInventory(stack, 'logs', {
        bucket: SOURCE,
        region: REGION,
        ownerUin: UIN,
        jobs: [{ id: 'weekly', destination: { bucket: DEST } }],
      });
      app.synth();
      const dir = join(outdir, 'stacks', 'json');
      expect(readdirSync(dir)).not.toContain('logs_drift.check.tf.json');
      const config = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as {
        check: Record<string, unknown>;
      };
      expect(Object.keys(config.check)).toEqual(['logs_drift']);
      // The asset is copied where the commands point (relative to the stack directory).
      const command = (
        JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as {
          resource: {
            terraform_data: Record<string, { provisioner: { 'local-exec': { command: string } }[] }>;
          };
        }
      ).resource.terraform_data.logs_job_weekly.provisioner[0]['local-exec'].command;
      const assetPath = command.split(' ')[1];
      expect(readFileSync(join(dir, assetPath)).length).toBeGreaterThan(0);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('switching back from HCL to JSON', () => {
  test('a JSON synth removes the companion an earlier HCL synth left', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cos-inventory-switch-'));
    const synthOnce = (hclOutput: boolean): void => {
      const previous = process.env.SYNTH_HCL_OUTPUT;
      process.env.SYNTH_HCL_OUTPUT = String(hclOutput);
      try {
        const app = new App({ outdir });
        new BucketInventory(new TerraformStack(app, 'switch'), 'logs', {
          bucket: SOURCE,
          region: REGION,
          ownerUin: UIN,
        });
        app.synth();
      } finally {
        if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
        else process.env.SYNTH_HCL_OUTPUT = previous;
      }
    };
    try {
      const dir = join(outdir, 'stacks', 'switch');
      synthOnce(true);
      expect(readdirSync(dir)).toContain('logs_drift.check.tf.json');
      synthOnce(false);
      expect(readdirSync(dir)).not.toContain('logs_drift.check.tf.json');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
