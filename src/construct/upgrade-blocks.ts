/**
 * The blocks that carry a state written by the provisioner release (`terraform_data` with
 * `local-exec`) over to the provider's resources without a request to COS but reads: `moved`
 * for each job and destination attacher (the provider moves their state across resource types)
 * and `removed` without destroy for the resources that no longer exist (a prune resource, a
 * release guard), so their destroy provisioners never run. A block whose `from` is not in the
 * state does nothing, so a fresh stack carries them harmlessly.
 *
 * cdktf has no class for `moved` or `removed` blocks: they are stack overrides, one list each.
 * cdktf's HCL renderer drops stack overrides other than `terraform`, so under `--hcl` they are
 * written beside `cdk.tf` as a `.tf.json` file, which Terraform loads alongside it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Lazy, TerraformStack, type ISynthesisSession } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct, type IConstruct } from 'constructs';
import { compareStrings } from '../model/canonical';
import { requireTerraformVersion, type TerraformVersion } from './terraform-version';

/** `moved` between resource types: Terraform 1.8. */
export const CROSS_TYPE_MOVED_VERSION: TerraformVersion = [1, 8];

/** The file holding the blocks under `cdktf synth --hcl`. */
export const UPGRADE_COMPANION_FILE = 'cos-inventory-upgrade.tf.json';

const ID = 'CosInventoryUpgrade';

export interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

export interface RemovedBlock {
  readonly from: string;
  readonly lifecycle: { readonly destroy: false };
}

/** The stack's upgrade blocks, shared by every construct of the stack. */
export class UpgradeBlocks extends Construct {
  /** The stack's upgrade blocks, created on first use. */
  public static of(scope: IConstruct): UpgradeBlocks {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof UpgradeBlocks ? existing : new UpgradeBlocks(stack, ID);
  }

  private readonly moved = new Map<string, MovedBlock>();
  private readonly removed = new Map<string, RemovedBlock>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    stack.addOverride('moved', Lazy.anyValue({ produce: () => this.list(this.moved) }));
    stack.addOverride('removed', Lazy.anyValue({ produce: () => this.list(this.removed) }));
    requireTerraformVersion(stack, CROSS_TYPE_MOVED_VERSION, 'moved blocks between resource types');
    addCustomSynthesis(this, { onSynthesize: (session) => this.writeHclCompanion(session) });
  }

  /** `moved { from = <from>, to = <to> }`; one block per `from`. */
  public addMoved(from: string, to: string): void {
    this.moved.set(from, { from, to });
  }

  /** `removed { from = <from>, lifecycle { destroy = false } }`; one block per `from`. */
  public addRemoved(from: string): void {
    this.removed.set(from, { from, lifecycle: { destroy: false } });
  }

  // Sorted: the output does not depend on declaration order. Omitted when empty.
  private list<T>(blocks: ReadonlyMap<string, T>): T[] | undefined {
    if (blocks.size === 0) return undefined;
    return [...blocks.keys()].sort(compareStrings).map((key) => blocks.get(key) as T);
  }

  private writeHclCompanion(session: ISynthesisSession): void {
    const stack = TerraformStack.of(this);
    const stackFile = join(session.outdir, session.manifest.forStack(stack).synthesizedStackPath);
    const companion = join(dirname(stackFile), UPGRADE_COMPANION_FILE);
    if (!session.manifest.hclOutput || this.moved.size + this.removed.size === 0) {
      // A companion left by an earlier HCL synth would declare the blocks twice.
      rmSync(companion, { force: true });
      return;
    }
    const body = {
      ...(this.moved.size > 0 ? { moved: this.list(this.moved) } : {}),
      ...(this.removed.size > 0 ? { removed: this.list(this.removed) } : {}),
    };
    writeFileSync(companion, `${JSON.stringify(body, null, 2)}\n`);
  }
}
