import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { BucketInventory, type BucketInventoryProps } from '../../src/construct';
import {
  SEED_BUCKET as SOURCE,
  SEED_DESTINATION as DEST,
  SEED_REGION as REGION,
} from '../fixtures/seed-samples';

/** A `cosinventory_job` as synthesized. */
export interface JobJson {
  readonly region: string;
  readonly bucket: string;
  readonly job_id: string;
  readonly enabled: boolean;
  readonly [attribute: string]: unknown;
  readonly provider?: string;
  readonly depends_on?: string[];
}

/** A `cosinventory_destination_grant` as synthesized. */
export interface GrantJson {
  readonly bucket: string;
  readonly region: string;
  readonly sid: string;
  readonly principals: string[];
  readonly resources: string[];
  readonly role_arn?: string;
  readonly allowed_account_ids?: string[];
  readonly provider?: string;
}

/** A synthesized stack as Terraform JSON, loosely typed for assertions. */
export interface Synthesized {
  readonly resource?: {
    readonly cosinventory_job?: Record<string, JobJson>;
    readonly cosinventory_destination_grant?: Record<string, GrantJson>;
    readonly [type: string]: Record<string, unknown> | undefined;
  };
  readonly provider?: { readonly cosinventory?: Record<string, unknown>[]; readonly [name: string]: unknown };
  readonly output?: Record<string, { value: string; description?: string }>;
  readonly moved?: { from: string; to: string }[];
  readonly removed?: { from: string; lifecycle: { destroy: boolean } }[];
  readonly import?: { to: string; id: string; provider?: string }[];
  readonly check?: unknown;
  readonly data?: unknown;
  readonly terraform?: { required_providers?: Record<string, unknown> };
}

/** The seed samples' buckets (test/fixtures/seed-samples.ts). */
export { SOURCE, DEST, REGION };
export const UIN = '100000000001';

/** `BucketInventory` `logs` of SOURCE with one job `daily` to DEST; `props` on top. */
export function dailyInventory(scope: Construct, props: Partial<BucketInventoryProps> = {}): BucketInventory {
  return new BucketInventory(scope, 'logs', {
    bucket: SOURCE,
    region: REGION,
    ownerUin: UIN,
    jobs: [{ id: 'daily', destination: { bucket: DEST } }],
    ...props,
  });
}

export function newStack(name = 'test'): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  return { app, stack: new TerraformStack(app, name) };
}

/** Synthesizes with validations, as `cdktf synth` does. */
export function synth(stack: TerraformStack): Synthesized {
  return JSON.parse(Testing.synth(stack, true)) as Synthesized;
}

/** Synthesizes without validations, to inspect what an invalid declaration would produce. */
export function synthUnchecked(stack: TerraformStack): Synthesized {
  return JSON.parse(Testing.synth(stack, false)) as Synthesized;
}

/** The job resources of a synthesized stack, by name. */
export function jobsOf(synthesized: Synthesized): Record<string, JobJson> {
  return synthesized.resource?.cosinventory_job ?? {};
}

/** The grant resources of a synthesized stack, by name. */
export function grantsOf(synthesized: Synthesized): Record<string, GrantJson> {
  return synthesized.resource?.cosinventory_destination_grant ?? {};
}

/**
 * The problems `app.synth()` reports (the user's path: cdktf runs validations after preparing
 * the stack), one per line as `[<construct path>] <message>`; [] when it succeeds.
 */
export function synthErrors(app: App): string[] {
  try {
    app.synth();
    return [];
  } catch (error) {
    const message = (error as Error).message;
    // Nothing but validation problems may come out, never a token resolution error.
    expect(message).not.toMatch(/Resolution error/);
    return message
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('['));
  }
}

/** The warnings (`Annotations.addWarning`) on constructs of `stack`, as `[path] message`. */
export function warningsOf(stack: TerraformStack): string[] {
  return stack.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === '@cdktf/warn')
        .map((m) => `[${c.node.path}] ${String(m.data)}`),
    );
}

/** A fresh output directory for `app.synth()`, removed by `cleanup`. */
export function tempOutdir(prefix: string): { outdir: string; cleanup: () => void } {
  const outdir = mkdtempSync(join(tmpdir(), prefix));
  return { outdir, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}
