/**
 * `RemovedBucketInventory`: the supported way to delete a whole `BucketInventory` with its
 * jobs and policy statements. Deleting the construct alone makes Terraform drop its resources
 * WITHOUT their destroy provisioners, so the jobs and statements would stay in COS.
 *
 * It emits one `removed` block (Terraform >= 1.9) for the construct's prune resource with
 * `destroy = true` and a destroy provisioner running `prune` with nothing desired: every job
 * id the state holds is deleted, then the source's statement is detached from every
 * destination it was granted on. The jobs' own resources leave the state (dropped; prune has
 * deleted them).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Lazy, TerraformStack, type ISynthesisSession } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct, type IConstruct } from 'constructs';
import { formatProblem } from '../model/problem';
import { BucketInventory } from './bucket-inventory';
import { handlerAsset, handlerCommand } from './handler-asset';
import { nameFragment, pruneResourceName } from './logical-names';
import { destroyProvisioner, specExpression, type LocalExecProvisioner } from './provisioners';
import { accountProblems, guardEntries, roleArnEntries } from './account-props';
import { PRUNE_SPEC_FROM_STATE } from './prune-spec';
import { resolveTokens } from './resolve-tokens';
import { requireTerraformVersion, type TerraformVersion } from './terraform-version';

/** `removed` blocks with provisioners: Terraform 1.9 (OpenTofu 1.10). */
export const REMOVED_BLOCK_VERSION: TerraformVersion = [1, 9];

/** Properties of a {@link RemovedBucketInventory}. */
export interface RemovedBucketInventoryProps {
  /**
   * The handler bundle shipped with the stack (one per stack, shared with any BucketInventory).
   * @default - this package's `dist/handler.js`
   */
  readonly handlerBundlePath?: string;
  /**
   * The command running the handler.
   * @default 'node'
   */
  readonly nodeCommand?: string;
  /**
   * The account guard of the removed BucketInventory (see its `allowedAccountIds`).
   * @default - no guard
   */
  readonly allowedAccountIds?: readonly string[];
  /**
   * The destination roles of the removed BucketInventory (see its `policyRoleArns`): its
   * statements are detached from those buckets' policies as these roles.
   * @default - policies are edited with the handler's own credential
   */
  readonly policyRoleArns?: Readonly<Record<string, string>>;
}

/** One `removed` block in Terraform JSON syntax. */
interface RemovedBlock {
  readonly from: string;
  readonly lifecycle: { readonly destroy: true };
  readonly provisioner: readonly LocalExecProvisioner[];
}

const BLOCKS = new WeakMap<TerraformStack, RemovedBlock[]>();

// All removed blocks of a stack live in one `removed` override (cdktf has no class for them).
function registerBlock(stack: TerraformStack, block: RemovedBlock): void {
  let blocks = BLOCKS.get(stack);
  if (!blocks) {
    const list: RemovedBlock[] = [];
    blocks = list;
    BLOCKS.set(stack, list);
    stack.addOverride('removed', Lazy.anyValue({ produce: () => list }));
  }
  blocks.push(block);
}

/**
 * Declares that the `BucketInventory` whose construct id was `id` is gone: the next apply
 * deletes every job it created and detaches its policy statements. Keep it in the code for
 * one apply after the BucketInventory is deleted; it may stay longer (a `removed` block for
 * an address no longer in state does nothing).
 */
export class RemovedBucketInventory extends Construct {
  /** `terraform_data.<id>_prune`: the address the `removed` block names. */
  public readonly pruneAddress: string;

  private readonly block: RemovedBlock;
  private readonly props: RemovedBucketInventoryProps;

  /** `id` must be the construct id the removed BucketInventory had. */
  public constructor(scope: Construct, id: string, props: RemovedBucketInventoryProps = {}) {
    super(scope, id);
    this.props = props;
    const stack = TerraformStack.of(this);
    const asset = handlerAsset(this, props.handlerBundlePath);
    this.pruneAddress = `terraform_data.${pruneResourceName(id)}`;
    this.block = {
      from: this.pruneAddress,
      lifecycle: { destroy: true },
      provisioner: [
        destroyProvisioner(
          handlerCommand(asset, 'prune', props.nodeCommand ?? 'node'),
          specExpression({
            ...PRUNE_SPEC_FROM_STATE,
            desired: '[]',
            keepDestinations: '[]',
            ...guardEntries(props),
            ...roleArnEntries(props),
          }),
        ),
      ],
    };
    registerBlock(stack, this.block);
    requireTerraformVersion(stack, REMOVED_BLOCK_VERSION, 'removed blocks of RemovedBucketInventory');
    this.node.addValidation({ validate: () => this.validate() });
    addCustomSynthesis(this, { onSynthesize: (session) => this.writeHclCompanion(session) });
  }

  private validate(): string[] {
    const errors: string[] = [];
    accountProblems(this.props, (field, value, message) =>
      errors.push(formatProblem({ field, value, message })),
    );
    const stack = TerraformStack.of(this);
    const clash = stack.node
      .findAll()
      .find(
        (c: IConstruct) =>
          BucketInventory.isBucketInventory(c) && nameFragment(c.node.id) === nameFragment(this.node.id),
      );
    if (!clash) return errors;
    return [
      ...errors,
      formatProblem({
        field: 'id',
        value: this.node.id,
        message: `names the BucketInventory ${clash.node.path}, which is still declared; remove one of them`,
      }),
    ];
  }

  // cdktf's HCL renderer drops stack overrides other than `terraform`: under `--hcl` the
  // block is written beside cdk.tf, where Terraform loads it too.
  private writeHclCompanion(session: ISynthesisSession): void {
    const stack = TerraformStack.of(this);
    const stackFile = join(session.outdir, session.manifest.forStack(stack).synthesizedStackPath);
    const companion = join(dirname(stackFile), `${pruneResourceName(this.node.id)}.removed.tf.json`);
    if (!session.manifest.hclOutput) {
      rmSync(companion, { force: true });
      return;
    }
    const body = { removed: [resolveTokens(stack, this.block)] };
    writeFileSync(companion, `${JSON.stringify(body, null, 2)}\n`);
  }
}
