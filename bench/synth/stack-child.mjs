/**
 * One synth measurement, run in a fresh process by bench/synth/bench-synth.mjs:
 *   node stack-child.mjs <inventory|floor|equivalent> <buckets> <jobsPerBucket> <outdir> <each|memo>
 * `inventory` declares BucketInventory constructs; `floor` the same number of bare
 * terraform_data resources (cdktf DataResource); `equivalent` writes by hand, per job, what the
 * construct synthesizes per job (a `cosinventory_job` resource with the job's flat attributes,
 * the report output) and one provider block, without the provider files and the destination grant.
 * Prints one JSON line: the time spent building the construct tree and synthesizing it (module
 * loading excluded), the job resources written (`terraform_data` for the floor,
 * `cosinventory_job` otherwise), the destination grants, and the process's peak RSS.
 *
 * cdktf gives every terraform_data a validation that runs `terraform version` in a child
 * process at synth. `each` keeps that (what a user pays); `memo` runs it once per process
 * and reuses the answer, so the figures show the work of the constructs themselves.
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireFromRoot, library } from '../common/paths.mjs';
import { peakRssKiB } from '../common/peak-rss.mjs';
import { memoizeTerraformVersionCheck } from '../common/version-check.mjs';

const [kind, bucketsArg, jobsArg, outdir, versionCheck] = process.argv.slice(2);
const buckets = Number(bucketsArg);
const jobs = Number(jobsArg);
if (
  !['inventory', 'floor', 'equivalent'].includes(kind) ||
  !(buckets > 0) ||
  !(jobs > 0) ||
  !outdir ||
  !['each', 'memo'].includes(versionCheck)
) {
  console.error(
    'usage: stack-child.mjs <inventory|floor|equivalent> <buckets> <jobsPerBucket> <outdir> <each|memo>',
  );
  process.exit(2);
}

if (versionCheck === 'memo') memoizeTerraformVersionCheck();

const { App, TerraformStack, DataResource, TerraformOutput, TerraformResource } = requireFromRoot('cdktf');
const lib = kind === 'floor' ? undefined : library();
const { jobAttributes } = requireFromRoot('./lib/model/job-attributes.js');
const { JOB_RESOURCE_TYPE, PROVIDER_TYPE } = requireFromRoot('./lib/provider/names.js');

/** A `cosinventory_job` written by hand: a generic resource carrying the flat attributes. */
class HandWrittenJob extends TerraformResource {
  constructor(scope, id, attributes) {
    super(scope, id, {
      terraformResourceType: JOB_RESOURCE_TYPE,
      terraformGeneratorMetadata: { providerName: PROVIDER_TYPE },
    });
    this.attributes = attributes;
  }

  synthesizeAttributes() {
    return Object.fromEntries(Object.entries(this.attributes).filter(([, value]) => value !== null));
  }
}

const REGION = 'ap-guangzhou';
const pad = (n) => String(n).padStart(4, '0');

function jobList() {
  return Array.from({ length: jobs }, (_, j) => ({
    id: `job-${pad(j)}`,
    destination: { bucket: 'reports-1250000000', prefix: 'inventory', accountId: '100000000001' },
    schedule: { frequency: j % 2 === 0 ? 'Daily' : 'Weekly' },
    filter: { prefix: `data/${pad(j)}/` },
  }));
}

function declareInventory(stack, b) {
  new lib.BucketInventory(stack, `Source${b}`, {
    bucket: `source${b}-1250000000`,
    region: REGION,
    ownerUin: '100000000001',
    jobs: jobList(),
  });
}

function declareEquivalent(stack, b) {
  const bucket = `source${b}-1250000000`;
  if (b === 0) new lib.CosInventoryProvider(stack, 'cosinventory');
  for (const job of jobList()) {
    new HandWrittenJob(
      stack,
      `r${b}-${job.id}`,
      jobAttributes(lib.jobConfiguration(job, REGION), bucket, REGION),
    );
    new TerraformOutput(stack, `o${b}-${job.id}`, {
      value: `cos://reports-1250000000/inventory/1250000000/source${b}/${job.id}/`,
      description: `inventory reports of job ${job.id} of bucket ${bucket}`,
    });
  }
}

const DECLARE = { inventory: declareInventory, floor: declareFloor, equivalent: declareEquivalent };

function declareFloor(stack, b) {
  for (let j = 0; j < jobs; j++) {
    new DataResource(stack, `r${b}-${pad(j)}`, {
      input: { bucket: `source${b}-1250000000`, id: `job-${pad(j)}` },
    });
  }
}

const started = performance.now();
const app = new App({ outdir });
const stack = new TerraformStack(app, 'bench');
for (let b = 0; b < buckets; b++) DECLARE[kind](stack, b);
app.synth();
const synthMs = performance.now() - started;

// Proves the stack holds what was asked for (a bench of an empty synth would be meaningless).
const stackDir = join(outdir, 'stacks', 'bench');
const config = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
const count = (type) => Object.keys(config.resource?.[type] ?? {}).length;
const resources = count(kind === 'floor' ? 'terraform_data' : JOB_RESOURCE_TYPE);
const grants = count(`${PROVIDER_TYPE}_destination_grant`);

console.log(JSON.stringify({ synthMs, resources, grants, maxRssKiB: peakRssKiB() }));
