/**
 * `RemovedBucketInventory`: what stands in the code for the last deleted BucketInventory of a
 * stack. Deleting a BucketInventory from the code deletes its jobs and grants at the next
 * apply, through the provider the stack directory carries; when it was the stack's last one,
 * nothing ships that provider any more, and Terraform cannot plan the deletion of resources
 * whose provider it cannot install (in a fresh output directory, as CI synthesizes). This
 * construct ships the provider and its block, and nothing else.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Annotations, TerraformStack, type ISynthesisSession } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct } from 'constructs';
import { pruneResourceName } from './logical-names';
import { defaultProviderBundlePath, StackProvider } from './stack-provider';

/** Properties of a {@link RemovedBucketInventory}. */
export interface RemovedBucketInventoryProps {
  /**
   * The provider bundle shipped in the stack directory, as for BucketInventory; a
   * BucketInventory of the same stack ships its own instead.
   * @default - this package's `dist/provider.js`
   */
  readonly providerBundlePath?: string;
  /**
   * @deprecated Use `providerBundlePath`; taken as it when that is not set.
   * @default - this package's `dist/provider.js`
   */
  readonly handlerBundlePath?: string;
  /**
   * The command starting the provider, written into its wrapper script, as for BucketInventory.
   * @default 'node'
   */
  readonly nodeCommand?: string;
  /**
   * @deprecated Ignored: each resource's account guard is in the state, which the deletion checks.
   * @default - none
   */
  readonly allowedAccountIds?: readonly string[];
  /**
   * @deprecated Ignored: each grant's role is in the state, which the deletion uses.
   * @default - none
   */
  readonly policyRoleArns?: Readonly<Record<string, string>>;
}

/**
 * Keeps the `cosinventory` provider in a stack whose last BucketInventory was deleted from the
 * code, so the next apply can delete its jobs and grants (Terraform needs the provider of every
 * resource in state). Declare it in that stack in place of the deleted construct, apply, then
 * remove it. Not needed while another BucketInventory remains in the stack.
 */
export class RemovedBucketInventory extends Construct {
  /** `terraform_data.<id>_prune`: the provisioner release's prune resource it named. */
  public readonly pruneAddress: string;

  /** `id` is the construct id the deleted BucketInventory had (any id will do). */
  public constructor(scope: Construct, id: string, props: RemovedBucketInventoryProps = {}) {
    super(scope, id);
    this.pruneAddress = `terraform_data.${pruneResourceName(id)}`;
    StackProvider.of(this).shipIfAlone({
      bundlePath: resolve(props.providerBundlePath ?? props.handlerBundlePath ?? defaultProviderBundlePath()),
      nodeCommand: props.nodeCommand ?? 'node',
      where: this.node.path,
    });
    const ignored = (['allowedAccountIds', 'policyRoleArns'] as const).filter(
      (name) => props[name] !== undefined,
    );
    if (ignored.length > 0) {
      Annotations.of(this).addWarning(
        `${ignored.join(' and ')} ${ignored.length > 1 ? 'are' : 'is'} deprecated and ignored: the deletion uses what the state holds; remove ${ignored.length > 1 ? 'them' : 'it'}`,
      );
    }
    if (props.handlerBundlePath !== undefined) {
      Annotations.of(this).addWarning('handlerBundlePath is deprecated: use providerBundlePath');
    }
    addCustomSynthesis(this, { onSynthesize: (session) => this.removeCompanion(session) });
  }

  // The provisioner release wrote its removed block beside cdk.tf under --hcl; that file would
  // destroy the prune resource with a provisioner whose handler is no longer shipped.
  private removeCompanion(session: ISynthesisSession): void {
    const stack = TerraformStack.of(this);
    const stackDir = join(session.outdir, session.manifest.forStack(stack).workingDirectory);
    rmSync(join(stackDir, `${pruneResourceName(this.node.id)}.removed.tf.json`), { force: true });
  }
}
