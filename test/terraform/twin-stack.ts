/**
 * One synthesized stack applied twice per step: by the real `terraform` binary against one
 * local COS endpoint, and by the lifecycle harness against another, so every step can be
 * compared: planned actions, requests, Terraform state, outputs and the remote state left.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { App, LocalBackend, TerraformStack } from 'cdktf';
import COS from 'cos-nodejs-sdk-v5';

import { LocalCos, type FaultRule, type RequestLogEntry } from '../../src/emulator';
import { TerraformWorkspace, type Action, type ApplyResult, type JsonValue } from '../lifecycle/harness';
import { planSummary } from './plan-actions';
import { RealTerraform, TerraformCommandError } from './real-terraform';

const STACK = 'main';

/** What one step did on each side. */
export interface TwinStep {
  readonly real: {
    readonly plan: Record<string, Action>;
    readonly requests: readonly RequestLogEntry[];
    /** Requests made while planning (none: the stacks here have no data source). */
    readonly planRequests: readonly RequestLogEntry[];
    /** False when apply/destroy exited non-zero. */
    readonly ok: boolean;
    readonly stdout: string;
    readonly stderr: string;
  };
  readonly harness: ApplyResult & { readonly requests: readonly RequestLogEntry[] };
}

/** Inventory configurations per source bucket and raw policy per destination bucket. */
export interface RemoteState {
  readonly inventories: Record<string, unknown[]>;
  readonly policies: Record<string, string | null>;
}

export class TwinStack {
  readonly stackDir: string;
  readonly real: RealTerraform;
  readonly workspace: TerraformWorkspace;
  private readonly sdks: { real: COS; harness: COS };

  private constructor(
    readonly tmp: string,
    readonly realCos: LocalCos,
    readonly harnessCos: LocalCos,
    private readonly buckets: {
      readonly sources: readonly string[];
      readonly destinations: readonly string[];
    },
    readonly region: string,
    parallelism: number,
  ) {
    this.stackDir = path.join(tmp, 'cdktf.out', 'stacks', STACK);
    const inherited = (cos: LocalCos): NodeJS.ProcessEnv => ({
      ...process.env,
      TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
      COS_INVENTORY_ENDPOINT: cos.endpoint,
      // One writer at a time here: the read-back after a policy write need not wait long.
      COS_INVENTORY_POLICY_SETTLE_MS: '20',
    });
    // The same parallelism on both sides (1: one provisioner at a time).
    this.real = new RealTerraform(
      this.stackDir,
      path.join(tmp, 'terraform'),
      inherited(realCos),
      parallelism,
    );
    this.workspace = new TerraformWorkspace(this.stackDir, inherited(harnessCos), parallelism);
    this.sdks = { real: new COS(realCos.sdkOptions()), harness: new COS(harnessCos.sdkOptions()) };
  }

  /** Two endpoints holding the same buckets, and a temp dir for the stack and Terraform's files. */
  static async start(options: {
    readonly region: string;
    readonly sources: readonly string[];
    readonly destinations: readonly string[];
    /** `-parallelism` of both sides; default 1. */
    readonly parallelism?: number;
  }): Promise<TwinStack> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'real-terraform-'));
    // Policies read back as written: these tests compare a foreign statement byte for byte.
    // COS's normalised policy reads (LocalCos's default) are covered by test/lifecycle.
    const realCos = await LocalCos.start({ normalizePolicy: false });
    const harnessCos = await LocalCos.start({ normalizePolicy: false });
    for (const cos of [realCos, harnessCos]) {
      for (const bucket of [...options.sources, ...options.destinations])
        cos.createBucket(bucket, options.region);
    }
    return new TwinStack(tmp, realCos, harnessCos, options, options.region, options.parallelism ?? 1);
  }

  async close(): Promise<void> {
    await this.realCos.close();
    await this.harnessCos.close();
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  /**
   * `cdktf synth` into the same output directory every time, with the local backend's state
   * inside the temp dir (cdktf's default puts it in the current working directory).
   */
  synth(declare: (stack: TerraformStack) => void, options: { readonly hcl?: boolean } = {}): void {
    // `cdktf synth --hcl` tells the app through this variable.
    const previous = process.env.SYNTH_HCL_OUTPUT;
    if (options.hcl) process.env.SYNTH_HCL_OUTPUT = 'true';
    else delete process.env.SYNTH_HCL_OUTPUT;
    try {
      const app = new App({ outdir: path.join(this.tmp, 'cdktf.out') });
      const stack = new TerraformStack(app, STACK);
      new LocalBackend(stack, { path: path.join(this.tmp, 'terraform', 'terraform.tfstate') });
      declare(stack);
      app.synth();
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
    }
  }

  /** The same fault on both endpoints. */
  injectFault(rule: FaultRule): void {
    this.realCos.injectFault(rule);
    this.harnessCos.injectFault(rule);
  }

  /** The synthesized configuration as the harness reads it. */
  config(): Promise<unknown> {
    return this.workspace.readConfig();
  }

  /**
   * `terraform plan [-replace=...]` + apply of that plan (or `terraform destroy`) on one side,
   * the harness on the other.
   */
  async step(
    mode: 'apply' | 'destroy' = 'apply',
    options: { readonly replace?: readonly string[] } = {},
  ): Promise<TwinStep> {
    this.realCos.clearRequestLog();
    this.harnessCos.clearRequestLog();
    const planJson = await this.real.plan({ destroy: mode === 'destroy', replace: options.replace });
    const plan = planSummary(planJson, await this.config());
    const planRequests = [...this.realCos.requestLog];
    let outcome: { ok: boolean; stdout: string; stderr: string };
    try {
      const stdout = mode === 'destroy' ? await this.real.destroy() : await this.real.applySavedPlan();
      outcome = { ok: true, stdout, stderr: '' };
    } catch (error) {
      if (!(error instanceof TerraformCommandError)) throw error;
      outcome = { ok: false, stdout: error.stdout, stderr: error.stderr };
    }
    const requests = [...this.realCos.requestLog];

    const harness =
      mode === 'destroy'
        ? await this.workspace.destroy()
        : await this.workspace.apply({ replace: options.replace });
    return {
      real: { plan, requests, planRequests, ...outcome },
      harness: { ...harness, requests: [...this.harnessCos.requestLog] },
    };
  }

  /** input, triggers_replace and taint per address, from real Terraform's state and the harness's. */
  async states(): Promise<{ real: Record<string, JsonValue>; harness: Record<string, JsonValue> }> {
    const real = Object.fromEntries(
      (await this.real.stateResources()).map((r) => [
        r.address,
        {
          input: r.values.input ?? null,
          triggers_replace: r.values.triggers_replace ?? null,
          tainted: r.tainted === true,
        },
      ]),
    );
    const harness = Object.fromEntries(
      Object.entries(this.workspace.state.resources).map(([address, r]) => [
        address,
        { input: r.input, triggers_replace: r.triggers_replace, tainted: r.tainted },
      ]),
    );
    return { real, harness };
  }

  /** What each endpoint holds now, read through the SDK (adds to the request logs). */
  async remote(): Promise<{ real: RemoteState; harness: RemoteState }> {
    return { real: await this.remoteOf(this.sdks.real), harness: await this.remoteOf(this.sdks.harness) };
  }

  /** The SDK of one side, for setting up remote state before a step. */
  sdk(side: 'real' | 'harness'): COS {
    return this.sdks[side];
  }

  private async remoteOf(sdk: COS): Promise<RemoteState> {
    const inventories: Record<string, unknown[]> = {};
    for (const bucket of this.buckets.sources) {
      const listed = await sdk.listBucketInventory({ Bucket: bucket, Region: this.region });
      // The SDK gives a lone configuration as an object rather than an array.
      const raw = listed.InventoryConfigurations as unknown;
      const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { Id: string }[];
      inventories[bucket] = [...list].sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
    }
    const policies: Record<string, string | null> = {};
    for (const bucket of this.buckets.destinations)
      policies[bucket] = await rawPolicy(sdk, bucket, this.region);
    return { inventories, policies };
  }
}

/** A bucket policy exactly as the endpoint returns it; null when the bucket has none. */
export async function rawPolicy(sdk: COS, bucket: string, region: string): Promise<string | null> {
  try {
    const response = await sdk.request({
      Method: 'GET',
      Bucket: bucket,
      Region: region,
      Action: 'policy',
      RawBody: true,
    });
    return (response.Body as Buffer).toString('utf8');
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
}
