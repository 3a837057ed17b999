/**
 * `deliveryCheck`: one `check` block per enabled job, whose scoped `cosinventory_job_delivery`
 * data source asks whether the job's reports arrive. Inside a `check` block a failed assertion
 * is a warning at every plan, never an error (Terraform's "Checks" documentation), so a late
 * report never blocks an apply. A check block holds one data source, hence one block per job.
 *
 * cdktf has no class for `check` blocks: they are one stack override. Its HCL renderer drops
 * stack overrides other than `terraform`, so under `--hcl` they are written beside `cdk.tf` as a
 * `.tf.json` file, as the upgrade blocks are.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Lazy, TerraformStack, type ISynthesisSession } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct, type IConstruct } from 'constructs';
import { compareStrings } from '../model/canonical';
import { PROVIDER_TYPE } from '../provider/names';
import { requireTerraformVersion, type TerraformVersion } from './terraform-version';

/** The data source type the checks read (the provider's `cosinventory_job_delivery`). */
export const DELIVERY_DATA_SOURCE = `${PROVIDER_TYPE}_job_delivery`;

/** `check` blocks: Terraform 1.5. */
export const CHECK_BLOCK_VERSION: TerraformVersion = [1, 5];

/** The file holding the check blocks under `cdktf synth --hcl`. */
export const DELIVERY_COMPANION_FILE = 'cos-inventory-delivery.tf.json';

const ID = 'CosInventoryDeliveryChecks';

/** One job to check. */
export interface DeliveryCheckJob {
  /** The check block's name (also its data source's). */
  readonly name: string;
  readonly region: string;
  readonly bucket: string;
  readonly jobId: string;
  /** `cosinventory_job.<name>`: read after the job exists. */
  readonly jobAddress: string;
}

/**
 * Removes the companion an earlier `--hcl` synth wrote when the stack has no delivery check
 * now (the DeliveryChecks construct, which otherwise owns the file, does not exist then).
 */
export function removeStaleDeliveryCompanion(stack: TerraformStack, session: ISynthesisSession): void {
  if (stack.node.tryFindChild(ID) !== undefined) return;
  const stackFile = join(session.outdir, session.manifest.forStack(stack).synthesizedStackPath);
  rmSync(join(dirname(stackFile), DELIVERY_COMPANION_FILE), { force: true });
}

/** The stack's delivery checks, shared by every construct of the stack. */
export class DeliveryChecks extends Construct {
  /** The stack's delivery checks, created on first use. */
  public static of(scope: IConstruct): DeliveryChecks {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof DeliveryChecks ? existing : new DeliveryChecks(stack, ID);
  }

  private readonly jobs = new Map<string, () => DeliveryCheckJob | undefined>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    stack.addOverride('check', Lazy.anyValue({ produce: () => this.blocks() }));
    requireTerraformVersion(stack, CHECK_BLOCK_VERSION, 'check blocks (deliveryCheck)');
    addCustomSynthesis(this, { onSynthesize: (session) => this.writeHclCompanion(session) });
  }

  /**
   * Registers the check of one job under `key`; `produce` runs at synth and answers undefined
   * for a job not to check (disabled).
   */
  public add(key: string, produce: () => DeliveryCheckJob | undefined): void {
    this.jobs.set(key, produce);
  }

  /** Removes the check registered under `key`. */
  public remove(key: string): void {
    this.jobs.delete(key);
  }

  private checked(): DeliveryCheckJob[] {
    return [...this.jobs.values()]
      .map((produce) => produce())
      .filter((job): job is DeliveryCheckJob => job !== undefined)
      .sort((a, b) => compareStrings(a.name, b.name));
  }

  // Omitted when empty.
  private blocks(): Record<string, unknown> | undefined {
    const jobs = this.checked();
    if (jobs.length === 0) return undefined;
    return Object.fromEntries(
      jobs.map((job) => {
        const data = `data.${DELIVERY_DATA_SOURCE}.${job.name}`;
        return [
          job.name,
          {
            data: {
              [DELIVERY_DATA_SOURCE]: {
                [job.name]: {
                  region: job.region,
                  bucket: job.bucket,
                  job_id: job.jobId,
                  depends_on: [job.jobAddress],
                },
              },
            },
            assert: [{ condition: `\${${data}.ok}`, error_message: `\${${data}.detail}` }],
          },
        ];
      }),
    );
  }

  private writeHclCompanion(session: ISynthesisSession): void {
    const stack = TerraformStack.of(this);
    const stackFile = join(session.outdir, session.manifest.forStack(stack).synthesizedStackPath);
    const companion = join(dirname(stackFile), DELIVERY_COMPANION_FILE);
    const blocks = this.blocks();
    if (!session.manifest.hclOutput || blocks === undefined) {
      // A companion left by an earlier HCL synth would declare the checks twice.
      rmSync(companion, { force: true });
      return;
    }
    writeFileSync(companion, `${JSON.stringify({ check: blocks }, null, 2)}\n`);
  }
}
