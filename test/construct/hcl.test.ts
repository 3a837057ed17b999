/**
 * `cdktf synth --hcl` (HashiCorp's migration path off CDKTF) must keep what the construct
 * synthesizes: the CLI sets SYNTH_HCL_OUTPUT, under which stacks write `cdk.tf`. The HCL is
 * parsed back with @cdktf/hcl2json.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { App, TerraformStack } from 'cdktf';
import { BucketInventory, RemovedBucketInventory, UPGRADE_COMPANION_FILE } from '../../src/construct';
import { PROVIDER_SOURCE, providerVersion } from '../../src/provider/names';
import { DEST, REGION, SOURCE, UIN } from './helpers';

type Blocks = Record<string, Record<string, unknown>[]>;
interface HclConfig {
  resource: { cosinventory_job: Blocks; cosinventory_destination_grant: Blocks };
  provider: { cosinventory: Record<string, unknown>[] };
  import: Record<string, unknown>[];
  output: Record<string, { value: string }[]>;
  terraform: { required_providers: Record<string, unknown>[] }[];
}

function withHcl<T>(hcl: boolean, body: () => T): T {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(hcl);
  try {
    return body();
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}

function declare(app: App, name: string): BucketInventory {
  return new BucketInventory(new TerraformStack(app, name), 'logs', {
    bucket: SOURCE,
    region: REGION,
    ownerUin: UIN,
    allowedAccountIds: [UIN],
    jobs: [
      {
        id: 'daily.v2',
        destination: { bucket: DEST, prefix: 'reports' },
        filter: { tags: { team: 'data' } },
      },
      { id: 'weekly', destination: { bucket: DEST }, schedule: { frequency: 'Weekly' } },
    ],
  });
}

describe('HCL rendering', () => {
  let outdir: string;
  let stackDir: string;
  let hcl: HclConfig;

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'cos-inventory-hcl-'));
    withHcl(true, () => {
      const app = new App({ outdir });
      declare(app, 'hcl').importJob('weekly');
      app.synth();
    });
    stackDir = join(outdir, 'stacks', 'hcl');
    hcl = (await parse('cdk.tf', readFileSync(join(stackDir, 'cdk.tf'), 'utf8'))) as HclConfig;
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('writes cdk.tf, the upgrade blocks companion and the provider', () => {
    const files = readdirSync(stackDir).sort();
    expect(files).toEqual(expect.arrayContaining(['cdk.tf', UPGRADE_COMPANION_FILE, 'terraform.d']));
    expect(files).not.toContain('cdk.tf.json');
  });

  test('job resources keep every attribute, their account guard and their dependency', () => {
    const [job] = hcl.resource.cosinventory_job.logs_job_weekly;
    expect(job).toEqual({
      region: REGION,
      bucket: SOURCE,
      job_id: 'weekly',
      enabled: true,
      included_object_versions: 'Current',
      frequency: 'Weekly',
      destination_bucket: `qcs::cos:${REGION}::${DEST}`,
      destination_format: 'CSV',
      optional_fields: ['ETag', 'LastModifiedDate', 'Size', 'StorageClass'],
      allowed_account_ids: [UIN],
      depends_on: [`cosinventory_destination_grant.cos_inventory_policy_${DEST}`],
    });
    const [tagged] = Object.entries(hcl.resource.cosinventory_job).find(([name]) =>
      name.startsWith('logs_job_daily'),
    )![1];
    expect(tagged).toMatchObject({ filter_tags: { team: 'data' }, destination_prefix: 'reports' });
  });

  test('grants, provider blocks, the import block and outputs survive', () => {
    const [grant] = hcl.resource.cosinventory_destination_grant[`cos_inventory_policy_${DEST}`];
    expect(grant).toMatchObject({
      bucket: DEST,
      region: REGION,
      sid: `cosInventory-${SOURCE}`,
      principals: [`qcs::cam::uin/${UIN}:roleName/COS_QcsRole`],
      resources: ['cos_bucket_inventory', 'reports'].map(
        (prefix) => `qcs::cos:${REGION}:uid/1250000000:${DEST}/${prefix}/1250000000/sourcebucket/*`,
      ),
      allowed_account_ids: [UIN],
    });
    expect(grant).not.toHaveProperty('provider');
    expect(Object.keys(hcl.resource.cosinventory_destination_grant)).toEqual([
      `cos_inventory_policy_${DEST}`,
    ]);
    expect(hcl.provider.cosinventory).toEqual([{}]);
    expect(hcl.import).toEqual([
      {
        to: '${cosinventory_job.logs_job_weekly}',
        id: `${REGION}/${SOURCE}/weekly`,
      },
    ]);
    expect(hcl.terraform[0].required_providers[0].cosinventory).toEqual({
      source: PROVIDER_SOURCE,
      version: providerVersion(),
    });
    expect(hcl.output.logs_report_weekly[0].value).toBe(
      `cos://${DEST}/cos_bucket_inventory/1250000000/sourcebucket/weekly/`,
    );
  });

  test('the moved and removed blocks, which cdktf drops from HCL, are in the companion .tf.json', () => {
    const companion = JSON.parse(readFileSync(join(stackDir, UPGRADE_COMPANION_FILE), 'utf8')) as {
      moved: { from: string; to: string }[];
      removed: { from: string }[];
    };
    expect(companion.moved.map((m) => m.to)).toEqual([
      `cosinventory_destination_grant.cos_inventory_policy_${DEST}`,
      expect.stringMatching(/^cosinventory_job\.logs_job_daily_v2_[0-9a-f]{6}$/),
      'cosinventory_job.logs_job_weekly',
    ]);
    expect(companion.removed.map((r) => r.from)).toEqual([
      `terraform_data.cos_inventory_policy_${DEST}_release`,
      'terraform_data.logs_prune',
    ]);
    // Every target exists in cdk.tf.
    for (const { to } of companion.moved) {
      const [type, name] = to.split('.') as ['cosinventory_job' | 'cosinventory_destination_grant', string];
      expect(hcl.resource[type][name]).toBeDefined();
    }
  });
});

describe('switching between HCL and JSON', () => {
  test('a JSON synth keeps the blocks in cdk.tf.json and removes the companions earlier HCL synths left', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cos-inventory-switch-'));
    try {
      const dir = join(outdir, 'stacks', 'switch');
      withHcl(true, () => {
        const app = new App({ outdir });
        declare(app, 'switch');
        app.synth();
      });
      expect(readdirSync(dir)).toContain(UPGRADE_COMPANION_FILE);
      withHcl(false, () => {
        const app = new App({ outdir });
        declare(app, 'switch');
        app.synth();
      });
      expect(existsSync(join(dir, UPGRADE_COMPANION_FILE))).toBe(false);
      const config = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as {
        moved: unknown[];
        removed: unknown[];
      };
      expect(config.moved).toHaveLength(3);
      expect(config.removed).toHaveLength(2);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("the provisioner release's check block and removed block companions are removed, nothing else", () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cos-inventory-stale-'));
    try {
      const dir = join(outdir, 'stacks', 'stale');
      mkdirSync(dir, { recursive: true });
      for (const file of ['logs_drift.check.tf.json', 'gone_prune.removed.tf.json', 'mine.tf.json']) {
        writeFileSync(join(dir, file), '{}');
      }
      const app = new App({ outdir });
      declare(app, 'stale');
      new RemovedBucketInventory(TerraformStack.of(app.node.findChild('stale')), 'gone');
      app.synth();
      const files = readdirSync(dir);
      expect(files).not.toContain('logs_drift.check.tf.json');
      expect(files).not.toContain('gone_prune.removed.tf.json');
      expect(files).toContain('mine.tf.json');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
