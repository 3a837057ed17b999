/**
 * One policy resource per destination bucket per stack, shared by every BucketInventory whose
 * jobs deliver there. It holds one least-privilege statement per source bucket; statements are
 * produced lazily at synth because jobs are added after the constructs are created.
 */
import { Fn, Lazy, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { compareStrings } from '../model/canonical';
import {
  inventoryPolicyStatement,
  statementSid,
  type InventoryPolicyInput,
  type InventoryPolicyStatement,
} from '../model/policy';
import { resolve } from 'node:path';
import { isValidBucketName } from '../model/bucket';
import { defaultHandlerBundlePath, handlerAsset, handlerCommand } from './handler-asset';
import { resolveTokens } from './resolve-tokens';
import { nameFragment, policyResourceName } from './logical-names';
import { TerraformData } from './terraform-data';
import { createProvisioner, destroyProvisioner, specExpression, stringTupleExpression } from './provisioners';
import { escapeTemplates } from './template-escape';

/** What one source bucket needs from the destination policy, computed at synth. */
export interface PolicyGrant {
  /** Destination prefixes of that source's jobs delivering here ('' = COS's default prefix). */
  readonly prefixes: readonly string[];
  readonly ownerUin?: string;
  readonly principal?: readonly string[];
}

/**
 * Options fixed by the first construct that needs the policy of a destination bucket; a later
 * construct asking for another `nodeCommand` is reported by its validation.
 */
export interface DestinationPolicyOptions {
  /** `name-appid`, or an unresolved token. */
  readonly bucket: string;
  readonly region: string;
  readonly handlerBundlePath?: string;
  readonly nodeCommand?: string;
  /** Construct path of the first user, for conflict messages. */
  readonly ownerPath?: string;
}

/** Who uses a shared destination policy, with the settings they asked for. */
export interface DestinationPolicyUser {
  /** Construct path of the BucketInventory. */
  readonly path: string;
  /** Its `nodeCommand` (default 'node'). */
  readonly nodeCommand: string;
  /** Its resolved handler bundle path. */
  readonly handlerBundlePath: string;
}

/**
 * The stack-wide pair of `terraform_data` resources that attach and release our statements on
 * one bucket. The attacher is replaced on any statement change and upserts every configured
 * statement (create_before_destroy, as Terraform forces it anyway on what a
 * create_before_destroy job depends on, so the replaced object runs no provisioner). The
 * release guard never changes address or triggers (its `input.sids` is updated in place,
 * which runs no provisioner) and detaches every sid of ours only when it is destroyed itself.
 * Statements a source no longer needs here are detached by that source's prune resource.
 */
export class DestinationPolicy extends Construct {
  /**
   * The policy of `bucket` in the stack of `scope`, created on first use (at stack level, so
   * every construct of the stack shares it).
   */
  public static of(scope: Construct, options: DestinationPolicyOptions): DestinationPolicy {
    const stack = TerraformStack.of(scope);
    const key = DestinationPolicy.keyOf(stack, options.bucket);
    const id = `CosInventoryPolicy-${nameFragment(key)}`;
    const existing = stack.node.tryFindChild(id);
    if (existing instanceof DestinationPolicy) return existing;
    return new DestinationPolicy(stack, id, key, options);
  }

  // A token's marker changes with construction order; its resolved reference does not.
  private static keyOf(stack: TerraformStack, bucket: string): string {
    return Token.isUnresolved(bucket) ? String(resolveTokens(stack, bucket)) : bucket;
  }

  /** The destination bucket (`name-appid` or token). */
  public readonly bucket: string;
  /** Region of the destination bucket. */
  public readonly region: string;
  /** The stable key of this destination in the stack (the bucket, or a token's reference). */
  public readonly key: string;
  /** The attacher `terraform_data`; jobs delivering here depend on it. */
  public readonly resource: TerraformData;
  /** The release guard `terraform_data`; jobs delivering here depend on it too. */
  public readonly release: TerraformData;
  /** The settings of the construct that created the shared resources. */
  public readonly owner: DestinationPolicyUser;

  private readonly grants = new Map<string, () => PolicyGrant>();
  private readonly roleArns: { readonly roleArn: string; readonly where: string }[] = [];
  private allowedAccountIds: readonly string[] = [];
  private readonly accountIds: { readonly accountId: string; readonly where: string }[] = [];

  private constructor(scope: Construct, id: string, key: string, options: DestinationPolicyOptions) {
    super(scope, id);
    this.bucket = options.bucket;
    this.region = options.region;
    this.key = key;
    const asset = handlerAsset(this, options.handlerBundlePath);
    const node = options.nodeCommand ?? 'node';
    this.owner = {
      path: options.ownerPath ?? '',
      nodeCommand: node,
      handlerBundlePath: resolve(options.handlerBundlePath ?? defaultHandlerBundlePath()),
    };
    const sids = Lazy.listValue({ produce: () => this.sids() });
    // Only in triggers_replace: a plan shows the changed statement, not a copy in `output`.
    const triggers = {
      bucket: this.bucket,
      region: this.region,
      statements: Lazy.anyValue({ produce: () => escapeTemplates(this.statements()) }),
      sids,
    };
    this.resource = new TerraformData(this, 'Resource', {
      triggersReplace: triggers,
      lifecycle: { createBeforeDestroy: true },
    });
    this.resource.overrideLogicalId(policyResourceName(key));
    this.resource.addOverride('provisioner', [
      createProvisioner(
        handlerCommand(asset, 'attach-policy', node),
        Lazy.stringValue({
          produce: () =>
            specExpression({
              bucket: 'self.triggers_replace.bucket',
              region: 'self.triggers_replace.region',
              statements: 'self.triggers_replace.statements',
              ...this.accessEntries(),
            }),
        }),
      ),
    ]);

    const target = { bucket: this.bucket, region: this.region };
    this.release = new TerraformData(this, 'Release', {
      input: { ...target, sids },
      triggersReplace: target,
      lifecycle: { createBeforeDestroy: true },
    });
    this.release.overrideLogicalId(`${policyResourceName(key)}_release`);
    this.release.addOverride('provisioner', [
      destroyProvisioner(
        handlerCommand(asset, 'detach-policy', node),
        Lazy.stringValue({
          produce: () =>
            specExpression({
              bucket: 'self.input.bucket',
              region: 'self.input.region',
              sids: 'self.input.sids',
              ...this.accessEntries(),
            }),
        }),
      ),
    ]);
  }

  /**
   * Registers the statement of `sourceBucket`; `grant` is called at synth. A source bucket
   * contributes one statement, so registering it again replaces the producer.
   */
  public grant(sourceBucket: string, grant: () => PolicyGrant): void {
    this.grants.set(sourceBucket, grant);
  }

  /** Records the `destination.accountId` of a job delivering here (`where` names the job). */
  public registerAccountId(accountId: string | undefined, where: string): void {
    if (accountId !== undefined) this.accountIds.push({ accountId, where });
  }

  /** Records the role a construct asked for editing this policy (`policyRoleArns`). */
  public registerRoleArn(roleArn: string, where: string): void {
    this.roleArns.push({ roleArn, where });
  }

  /** The account guard of the first construct giving one applies to the shared policy resources. */
  public registerAllowedAccountIds(ids: readonly string[]): void {
    if (this.allowedAccountIds.length === 0) this.allowedAccountIds = ids;
  }

  /** Roles asked for this destination, with who asked (more than one distinct role is a conflict). */
  public get requestedRoles(): readonly { readonly roleArn: string; readonly where: string }[] {
    return this.roleArns;
  }

  // Literals in the provisioner: changing them replaces nothing.
  private accessEntries(): Record<string, string> {
    const role = this.roleArns[0]?.roleArn;
    return {
      ...(role ? { roleArn: JSON.stringify(role) } : {}),
      ...(this.allowedAccountIds.length > 0
        ? { allowedAccountIds: stringTupleExpression(this.allowedAccountIds) }
        : {}),
    };
  }

  /** The first `destination.accountId` given by a job delivering here. */
  public firstAccountId(): { readonly accountId: string; readonly where: string } | undefined {
    return this.accountIds[0];
  }

  /** Source buckets holding a statement here. */
  public get sourceBuckets(): string[] {
    return [...this.grants.keys()].sort(compareStrings);
  }

  // Producers run while cdktf prepares the stack, before validations: a grant that cannot
  // become a statement (bad uin, empty principal, bad bucket name) is left out here and
  // reported by the BucketInventory's validation, which always fails such a synth.
  private statements(): InventoryPolicyStatement[] {
    return this.sourceBuckets.flatMap((source) => {
      const grant = (this.grants.get(source) as () => PolicyGrant)();
      try {
        return [this.statementOf(source, grant)];
      } catch {
        return [];
      }
    });
  }

  private statementOf(source: string, grant: PolicyGrant): InventoryPolicyStatement {
    return this.statement({
      destinationBucket: this.bucket,
      destinationRegion: this.region,
      sourceBucket: source,
      prefixes: grant.prefixes,
      ownerUin: grant.ownerUin,
      principal: grant.principal,
    });
  }

  private sids(): string[] {
    return this.sourceBuckets.filter(isValidBucketName).map((source) => statementSid(source));
  }

  // The model needs a literal destination name. For a token the statement is built for a
  // stand-in literal and its resource ARNs rewritten to the token and, for the APPID, to a
  // Terraform regex over it, evaluated at apply.
  private statement(input: InventoryPolicyInput): InventoryPolicyStatement {
    if (!Token.isUnresolved(input.destinationBucket)) return inventoryPolicyStatement(input);
    const standIn = input.sourceBucket;
    const standInAppId = standIn.slice(standIn.lastIndexOf('-') + 1);
    const statement = inventoryPolicyStatement({ ...input, destinationBucket: standIn });
    const from = `:uid/${standInAppId}:${standIn}/`;
    const appId = Token.asString(Fn.regex('[0-9]+$', input.destinationBucket));
    const to = `:uid/${appId}:${input.destinationBucket}/`;
    return { ...statement, resource: statement.resource.map((arn) => arn.replace(from, to)) };
  }
}
