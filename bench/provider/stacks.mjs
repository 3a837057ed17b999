/**
 * The stacks of the provider figure: the floor (bare `terraform_data` whose provisioners run
 * `node -e ''`, written as JSON), Terraform alone (one `terraform_data` per job carrying its
 * attributes) and the jobs stack, synthesized by `BucketInventory` as a user's app synthesizes
 * it (cosinventory resources and the provider in `terraform.d/plugins`).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { library, requireFromRoot } from '../common/paths.mjs';

export const REGION = 'ap-guangzhou';
export const DESTINATION = 'reports-1250000000';
export const OWNER_UIN = '100000000001';

/** A stack of `count` bare `terraform_data`, each running `node -e ''` at create and at destroy. */
export function writeFloorStack(dir, count) {
  const command = { command: "node -e ''" };
  return writeDataStack(
    dir,
    Array.from({ length: count }, () => ({
      provisioner: [{ 'local-exec': command }, { 'local-exec': { ...command, when: 'destroy' } }],
    })),
  );
}

/**
 * Terraform alone: one `terraform_data` per job of the synthesized stack in `stackDir`, its
 * `input` the job's attributes (so the state is as large), no provisioner and no dependency.
 */
export function writeTerraformAloneStack(dir, stackDir) {
  const config = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  const inputs = Object.values(config.resource.cosinventory_job).map((job) =>
    Object.fromEntries(
      Object.entries(job).filter(([key]) => !['//', 'provider', 'depends_on', 'lifecycle'].includes(key)),
    ),
  );
  return writeDataStack(
    dir,
    inputs.map((input) => ({ input })),
  );
}

function writeDataStack(dir, bodies) {
  mkdirSync(dir, { recursive: true });
  const resources = Object.fromEntries(bodies.map((body, i) => [`r_${i}`, body]));
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({ resource: { terraform_data: resources } }, null, 2),
  );
  return dir;
}

/** Source bucket `index` of the jobs stack. */
export const sourceBucket = (index) => `source-${String(index).padStart(2, '0')}-1250000000`;

const pad = (n) => String(n).padStart(4, '0');

/**
 * The jobs of one source bucket: `perBucket` daily jobs delivering to the shared destination
 * under one prefix per source bucket; `frequency(job)` may change some.
 */
function bucketJobs(bucketIndex, perBucket, frequency) {
  return Array.from({ length: perBucket }, (_, i) => ({
    id: `job-${pad(i)}`,
    destination: {
      bucket: DESTINATION,
      prefix: `inventory/${sourceBucket(bucketIndex)}`,
      accountId: OWNER_UIN,
    },
    schedule: { frequency: frequency(bucketIndex, i) },
  }));
}

/**
 * Synthesizes `buckets` `BucketInventory` constructs of `perBucket` jobs each into
 * `<outdir>/stacks/stack` and checks it carries what the figure measures: one `cosinventory_job`
 * per job and the provider under `terraform.d/plugins`. Returns the stack directory.
 */
export function synthJobsStack(outdir, { buckets, perBucket, frequency, statePath }) {
  const lib = library();
  const { App, LocalBackend, TerraformStack } = requireFromRoot('cdktf');
  rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'stack');
  new LocalBackend(stack, { path: statePath });
  for (let b = 0; b < buckets; b++) {
    new lib.BucketInventory(stack, `Source${b}`, {
      bucket: sourceBucket(b),
      region: REGION,
      ownerUin: OWNER_UIN,
      jobs: bucketJobs(b, perBucket, frequency),
    });
  }
  app.synth();
  const stackDir = join(outdir, 'stacks', 'stack');
  const config = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  const jobs = Object.keys(config.resource?.cosinventory_job ?? {}).length;
  if (jobs !== buckets * perBucket) {
    const kinds = Object.keys(config.resource ?? {}).join(', ');
    throw new Error(
      `the synthesized stack has ${jobs} cosinventory_job resources, expected ${buckets * perBucket} (resource types: ${kinds})`,
    );
  }
  if (!existsSync(join(stackDir, 'terraform.d', 'plugins'))) {
    throw new Error(
      `the synthesized stack carries no provider under ${join(stackDir, 'terraform.d', 'plugins')}`,
    );
  }
  return stackDir;
}

/**
 * Synthesizes the jobs stack again with other settings and copies only its configuration over
 * `stackDir`, keeping the working directory's lock file and provider as `terraform init` left them.
 */
export function resynthJobsStack(stackDir, scratch, options) {
  const fresh = synthJobsStack(scratch, options);
  copyFileSync(join(fresh, 'cdk.tf.json'), join(stackDir, 'cdk.tf.json'));
}
