/**
 * `RemovedBucketInventory`, deprecated: it was the way to delete a whole `BucketInventory` while
 * jobs were provisioner resources, which Terraform drops without running their destroy
 * provisioners. The provider's resources are deleted like any other: deleting the
 * BucketInventory from the code deletes its jobs and grants at the next apply. It now emits
 * nothing and warns.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, TerraformStack, type ISynthesisSession } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct } from 'constructs';
import { pruneResourceName } from './logical-names';

/**
 * Properties of a {@link RemovedBucketInventory}.
 * @deprecated RemovedBucketInventory emits nothing; its props are accepted and ignored.
 */
export interface RemovedBucketInventoryProps {
  /** @deprecated Ignored. @default - none */
  readonly handlerBundlePath?: string;
  /** @deprecated Ignored. @default 'node' */
  readonly nodeCommand?: string;
  /** @deprecated Ignored. @default - no guard */
  readonly allowedAccountIds?: readonly string[];
  /** @deprecated Ignored. @default - none */
  readonly policyRoleArns?: Readonly<Record<string, string>>;
}

/**
 * @deprecated Delete the `BucketInventory` from the code instead: the next apply deletes its
 * jobs and grants. This construct emits nothing and warns; remove it.
 */
export class RemovedBucketInventory extends Construct {
  /** `terraform_data.<id>_prune`: the provisioner release's prune resource it named. */
  public readonly pruneAddress: string;

  /** `id` was the construct id the removed BucketInventory had. */
  public constructor(scope: Construct, id: string, _props: RemovedBucketInventoryProps = {}) {
    super(scope, id);
    this.pruneAddress = `terraform_data.${pruneResourceName(id)}`;
    Annotations.of(this).addWarning(
      'RemovedBucketInventory is deprecated and emits nothing: deleting a BucketInventory from the code ' +
        'now deletes its jobs and grants at the next apply; remove this construct',
    );
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
