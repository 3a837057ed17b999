/**
 * One synthesized stack applied step by step by the real `terraform` binary against one local
 * COS endpoint: per step the planned actions, the plan text, the requests the endpoint saw
 * while planning and while applying, and whether the apply succeeded.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { App, LocalBackend, TerraformStack } from 'cdktf';
import COS from 'cos-nodejs-sdk-v5';

import { LocalCos, type RequestLogEntry } from '../../src/emulator';
import { planSummary, type Action } from './plan-actions';
import { RealTerraform, TerraformCommandError, type JsonValue } from './real-terraform';

const STACK = 'main';

/** What one `terraform plan` + apply (or destroy) did. */
export interface RealStep {
  /** address -> planned action of every managed resource. */
  readonly plan: Record<string, Action>;
  /** The human-readable plan, as a reviewer reads it. */
  readonly planText: string;
  /** Requests made while planning. */
  readonly planRequests: readonly RequestLogEntry[];
  /** Requests made by the apply (or destroy). */
  readonly requests: readonly RequestLogEntry[];
  /** False when apply/destroy exited non-zero. */
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Inventory configurations per source bucket and raw policy per destination bucket. */
export interface RemoteState {
  readonly inventories: Record<string, unknown[]>;
  readonly policies: Record<string, string | null>;
}

export class RealStack {
  readonly stackDir: string;
  readonly terraform: RealTerraform;
  readonly sdk: COS;

  private constructor(
    readonly tmp: string,
    readonly cos: LocalCos,
    private readonly buckets: {
      readonly sources: readonly string[];
      readonly destinations: readonly string[];
    },
    readonly region: string,
  ) {
    this.stackDir = path.join(tmp, 'cdktf.out', 'stacks', STACK);
    // Credentials and endpoint only in the inherited environment, as in a user's shell.
    this.terraform = new RealTerraform(this.stackDir, path.join(tmp, 'terraform'), {
      ...process.env,
      TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
      COS_INVENTORY_ENDPOINT: cos.endpoint,
      // The account guard (allowedAccountIds) asks the same endpoint's STS.
      COS_INVENTORY_STS_ENDPOINT: cos.endpoint,
      // The endpoint has no read-after-write lag: a refresh finding a job written moments ago
      // changed (drift) need not wait out the read-back window for the write to show.
      COS_INVENTORY_READBACK_MS: '0',
    });
    this.sdk = new COS(cos.sdkOptions());
  }

  /** A local endpoint (no read-after-write lag) holding the buckets, and a temp dir for the stack and Terraform's files. */
  static async start(options: {
    readonly region: string;
    readonly sources: readonly string[];
    readonly destinations: readonly string[];
    /** COS's normalised policy reads; off by default so a foreign statement compares byte for byte. */
    readonly normalizePolicy?: boolean;
  }): Promise<RealStack> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'real-terraform-'));
    const cos = await LocalCos.start({ normalizePolicy: options.normalizePolicy ?? false });
    for (const bucket of [...options.sources, ...options.destinations])
      cos.createBucket(bucket, options.region);
    return new RealStack(tmp, cos, options, options.region);
  }

  async close(): Promise<void> {
    await this.cos.close();
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

  /** The synthesized JSON configuration (`cdk.tf.json`); undefined for the HCL rendering. */
  config(): unknown {
    const file = path.join(this.stackDir, 'cdk.tf.json');
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as unknown) : undefined;
  }

  /** `terraform plan` alone: what a reviewer reads (warnings included) and what planning sent to COS. */
  async plan(): Promise<Pick<RealStep, 'plan' | 'planText' | 'planRequests'>> {
    this.cos.clearRequestLog();
    const planJson = await this.terraform.plan();
    return {
      plan: planSummary(planJson),
      planText: this.terraform.lastPlanText,
      planRequests: [...this.cos.requestLog],
    };
  }

  /** `terraform plan [-destroy] [-replace=...]` then the apply of exactly that plan. */
  async step(
    mode: 'apply' | 'destroy' = 'apply',
    options: { readonly replace?: readonly string[] } = {},
  ): Promise<RealStep> {
    this.cos.clearRequestLog();
    const planJson = await this.terraform.plan({ destroy: mode === 'destroy', replace: options.replace });
    const planText = this.terraform.lastPlanText;
    const plan = planSummary(planJson);
    const planRequests = [...this.cos.requestLog];
    this.cos.clearRequestLog();
    let outcome: { ok: boolean; stdout: string; stderr: string };
    try {
      // A saved destroy plan applied is `terraform destroy` without planning twice.
      const stdout = await this.terraform.applySavedPlan();
      outcome = { ok: true, stdout, stderr: '' };
    } catch (error) {
      if (!(error instanceof TerraformCommandError)) throw error;
      outcome = { ok: false, stdout: error.stdout, stderr: error.stderr };
    }
    return { plan, planText, planRequests, requests: [...this.cos.requestLog], ...outcome };
  }

  /** The attributes per address in state, from `terraform show -json`. */
  async states(): Promise<Record<string, Readonly<Record<string, JsonValue>>>> {
    return Object.fromEntries((await this.terraform.stateResources()).map((r) => [r.address, r.values]));
  }

  /** `terraform plan -detailed-exitcode`: 0 when COS, state and configuration agree. */
  planExitCode(): Promise<number> {
    return this.terraform.planExitCode();
  }

  /** What the endpoint holds now, read through the SDK (adds to the request log). */
  async remote(): Promise<RemoteState> {
    const inventories: Record<string, unknown[]> = {};
    for (const bucket of this.buckets.sources) {
      const listed = await this.sdk.listBucketInventory({ Bucket: bucket, Region: this.region });
      // The SDK gives a lone configuration as an object rather than an array.
      const raw = listed.InventoryConfigurations as unknown;
      const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { Id: string }[];
      inventories[bucket] = [...list].sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
    }
    const policies: Record<string, string | null> = {};
    for (const bucket of this.buckets.destinations)
      policies[bucket] = await rawPolicy(this.sdk, bucket, this.region);
    return { inventories, policies };
  }

  /** Puts `statement` first in the destination's policy, through the SDK. */
  async addStatement(bucket: string, statement: Record<string, unknown>): Promise<void> {
    const document = (await this.sdk.getBucketPolicy({ Bucket: bucket, Region: this.region }))
      .Policy as Record<string, unknown>;
    // COS answers with `Version`/`Statement` (normalizePolicy); otherwise the keys as written.
    const policy =
      document.Statement === undefined
        ? { ...document, statement: [statement, ...(document.statement as unknown[])] }
        : { version: document.Version, statement: [statement, ...(document.Statement as unknown[])] };
    await this.sdk.putBucketPolicy({ Bucket: bucket, Region: this.region, Policy: policy });
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
