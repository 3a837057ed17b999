/**
 * Terraform addresses of what the construct synthesizes. They must be readable, stable (a
 * job's address depends on its id only, so adding or removing other jobs never moves it) and
 * unique; docs/terraform.md states the rule.
 */
import { createHash } from 'node:crypto';

/** Characters Terraform allows in a resource name (it must also start with a letter or `_`). */
const NAME_SAFE = /^[A-Za-z0-9_-]+$/;

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 6);
}

/**
 * A name fragment for `value`: kept as is when Terraform allows every character, otherwise
 * each run of other characters becomes `_` and a hash of the original is appended, so two
 * values that read alike (`a.b`, `a_b`) still get different names.
 */
export function nameFragment(value: string): string {
  if (NAME_SAFE.test(value)) return value;
  const readable = value.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  return `${readable === '' ? 'x' : readable}_${shortHash(value)}`;
}

/** Prefixes `_` when a name would start with a digit or `-`, which Terraform rejects. */
export function terraformName(name: string): string {
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}

/** `<construct>_job_<id>`: the resource of one job. */
export function jobResourceName(constructId: string, jobId: string): string {
  return terraformName(`${nameFragment(constructId)}_job_${nameFragment(jobId)}`);
}

/** `<construct>_prune`: the provisioner release's per-bucket prune resource (an upgrade block names it). */
export function pruneResourceName(constructId: string): string {
  return terraformName(`${nameFragment(constructId)}_prune`);
}

/** `<construct>_drift`: the provisioner release's drift check block (its HCL companion is cleaned up). */
export function driftCheckName(constructId: string): string {
  return terraformName(`${nameFragment(constructId)}_drift`);
}

/** `<construct>_report_<id>`: the output holding a job's report location. */
export function reportOutputName(constructId: string, jobId: string): string {
  return terraformName(`${nameFragment(constructId)}_report_${nameFragment(jobId)}`);
}

/** `cos_inventory_policy_<destination bucket>`: the stack's (first) grant on one bucket. */
export function policyResourceName(destinationKey: string): string {
  return terraformName(`cos_inventory_policy_${nameFragment(destinationKey)}`);
}

/** The grant of the `index`th statement on one bucket: the first {@link policyResourceName}, then `_2`, `_3`, ... */
export function grantResourceName(destinationKey: string, index: number): string {
  const name = policyResourceName(destinationKey);
  return index === 0 ? name : `${name}_${index + 1}`;
}
