import { Testing, TerraformStack, type App } from 'cdktf';
import type { Construct } from 'constructs';
import { BucketInventory, type BucketInventoryProps } from '../../src/construct';
import {
  SEED_BUCKET as SOURCE,
  SEED_DESTINATION as DEST,
  SEED_REGION as REGION,
} from '../fixtures/seed-samples';

/** A synthesized stack as Terraform JSON, loosely typed for assertions. */
export interface Synthesized {
  readonly resource: { readonly terraform_data: Record<string, TfData> };
  readonly output?: Record<string, { value: string; description?: string }>;
  readonly check?: Record<string, CheckBlock>;
  readonly terraform?: { required_providers?: Record<string, unknown> };
}

export interface LocalExec {
  readonly command: string;
  readonly environment: { COS_INVENTORY_SPEC: string };
  readonly when?: string;
}

export interface TfData {
  readonly input: Record<string, unknown>;
  readonly lifecycle?: Record<string, unknown>;
  readonly triggers_replace: Record<string, unknown>;
  readonly depends_on?: string[];
  readonly provisioner: { 'local-exec': LocalExec }[];
}

export interface CheckBlock {
  readonly data: {
    external: Record<string, { program: string[]; query: Record<string, string>; depends_on?: string[] }>;
  };
  readonly assert: { condition: string; error_message: string }[];
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

/** `node assets/CosInventoryHandler/<hash>/handler.js <verb>`. */
export function commandPattern(verb: string): RegExp {
  return new RegExp(`^node assets/CosInventoryHandler/[0-9A-F]+/handler\\.js ${verb}$`);
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

/** The create-time and destroy-time local-exec blocks of a resource. */
export function provisioners(resource: TfData): { create?: LocalExec; destroy?: LocalExec } {
  const blocks = resource.provisioner.map((p) => p['local-exec']);
  return {
    create: blocks.find((b) => b.when === undefined),
    destroy: blocks.find((b) => b.when === 'destroy'),
  };
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
