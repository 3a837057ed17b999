/**
 * The grants of one destination bucket per stack, shared by every BucketInventory whose jobs
 * deliver there: the stack's statements on that bucket (one per principal set, more when one
 * would pass COS's statement size limit), each a `cosinventory_destination_grant` upserting its
 * own statement in the bucket's policy (the provider serializes the edits of one bucket and
 * never touches foreign statements). The sids are the stack's (`cosInventory-<stack id>`,
 * `-2`, ...), so a source added or removed changes a statement's resources, not its sid.
 * Statements are computed at synth, as jobs are added after the constructs are created; the
 * grant resources are made then, by an aspect.
 */
import { Aspects, Fn, TerraformStack, Token, dependable, type TerraformResource } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct } from 'constructs';
import { isValidBucketName } from '../model/bucket';
import { compareStrings } from '../model/canonical';
import {
  destinationStatements,
  type DestinationStatements,
  type DestinationStatementsInput,
  type SourceGrant,
} from '../model/destination-statements';
import { defaultInventoryPrincipal, type InventoryPolicyStatement } from '../model/policy';
import { formatProblem } from '../model/problem';
import { GRANT_RESOURCE_TYPE } from '../provider/names';
import { CosInventoryDestinationGrant } from './destination-grant-resource';
import { grantResourceName, nameFragment, policyResourceName } from './logical-names';
import { resolveTokens } from './resolve-tokens';
import { escapeTemplates } from './template-escape';
import { UpgradeBlocks } from './upgrade-blocks';

/** What one source bucket needs from the destination policy, computed at synth. */
export interface PolicyGrant {
  /** Destination prefixes of that source's jobs delivering here ('' = COS's default prefix). */
  readonly prefixes: readonly string[];
  readonly ownerUin?: string;
  readonly principal?: readonly string[];
}

/**
 * The statements of one destination: the model's composition (src/model/destination-statements.ts),
 * least privilege while the policy stays within COS's limits, collapsed to shared roots past them,
 * and a problem when even that does not fit.
 */
export function grantStatements(input: DestinationStatementsInput): DestinationStatements {
  return destinationStatements(input);
}

/** Options fixed by the first construct that needs the grants of a destination bucket. */
export interface DestinationPolicyOptions {
  /** `name-appid`, or an unresolved token. */
  readonly bucket: string;
  readonly region: string;
}

// Stands for a token destination while statements are composed; its ARNs are then rewritten.
// It is longer than any real bucket (Tencent's bucket overview, 436/13312, caps the domain
// `<name>-<appid>.cos.<region>.myqcloud.com` at 60 characters), so the sizes measured with it
// bound those COS will see.
const STAND_IN_APPID = '1000000000';
const STAND_IN_BUCKET = `cos-inventory-token-destination-${STAND_IN_APPID}`;

/** The grants of one destination bucket in one stack. */
export class DestinationPolicy extends Construct {
  /**
   * The grants of `bucket` in the stack of `scope`, created on first use (at stack level, so
   * every construct of the stack shares them).
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

  private readonly grants = new Map<string, () => PolicyGrant>();
  private readonly roleArns: { readonly roleArn: string; readonly where: string }[] = [];
  private readonly accountIds: { readonly accountId: string; readonly where: string }[] = [];
  private guard?: readonly string[];
  private upgradeBlocks = false;
  private resources?: CosInventoryDestinationGrant[];
  private readonly dependents: TerraformResource[] = [];

  private constructor(scope: Construct, id: string, key: string, options: DestinationPolicyOptions) {
    super(scope, id);
    this.bucket = options.bucket;
    this.region = options.region;
    this.key = key;
    // The grants' number is known once every job is declared: they are made at synth, by the
    // first of three hooks to run. An aspect is invisible to another copy of the framework (its
    // registry is private to a module copy, and a cdktn project aliasing `cdktf` holds two), so
    // validation and the custom synthesis (both found across copies) make them too, before
    // cdktf renders the stack.
    Aspects.of(this).add({ visit: (node) => (node === this ? this.materialize() : undefined) });
    this.node.addValidation({
      validate: () => {
        this.materialize();
        return this.validate();
      },
    });
    addCustomSynthesis(this, { onSynthesize: () => this.materialize() });
  }

  /**
   * Registers the report folders `sourceBucket` needs; `grant` is called at synth and its
   * folders join the statement of its principal set. One producer per source bucket: registering
   * it again replaces the producer.
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

  /**
   * The account guard (`allowedAccountIds`) of the first construct giving one applies to the
   * grants (`allowed_account_ids` of each); `undefined` gives none.
   */
  public registerGuard(allowedAccountIds: readonly string[] | undefined): void {
    if (this.guard === undefined && allowedAccountIds !== undefined && allowedAccountIds.length > 0)
      this.guard = allowedAccountIds;
  }

  /** The grants' account guard, if a construct gave one. */
  public get allowedAccountIds(): readonly string[] | undefined {
    return this.guard;
  }

  /** Makes `resource` (a job delivering here) wait for this destination's grants, once they are made. */
  public addDependent(resource: TerraformResource): void {
    this.dependents.push(resource);
  }

  /** Asks for the upgrade blocks of the provisioner release's attacher and release guard. */
  public registerUpgradeBlocks(): void {
    this.upgradeBlocks = true;
  }

  /** Roles asked for this destination, with who asked (more than one distinct role is a conflict). */
  public get requestedRoles(): readonly { readonly roleArn: string; readonly where: string }[] {
    return this.roleArns;
  }

  /** The first `destination.accountId` given by a job delivering here. */
  public firstAccountId(): { readonly accountId: string; readonly where: string } | undefined {
    return this.accountIds[0];
  }

  /** Source buckets granted here. */
  public get sourceBuckets(): string[] {
    return [...this.grants.keys()].sort(compareStrings);
  }

  /** The grant resources (made at synth). */
  public get grantResources(): readonly CosInventoryDestinationGrant[] {
    return this.resources ?? [];
  }

  private materialize(): void {
    if (this.resources !== undefined) return;
    const statements = this.composed().statements;
    const roleArn = this.roleArns[0]?.roleArn;
    this.resources = statements.map((statement, index) => {
      const name = grantResourceName(this.key, index);
      const resource = new CosInventoryDestinationGrant(this, `Grant-${index + 1}`, {
        bucket: this.bucket,
        region: this.region,
        sid: statement.sid,
        principals: escapeTemplates([...statement.principal.qcs]),
        resources: escapeTemplates([...statement.resource]),
        roleArn,
        allowedAccountIds: this.guard,
      });
      resource.overrideLogicalId(name);
      return resource;
    });
    const references = this.resources.map((grant) => dependable(grant));
    for (const dependent of this.dependents)
      dependent.dependsOn = [...(dependent.dependsOn ?? []), ...references];
    if (this.upgradeBlocks && statements.length > 0) {
      const blocks = UpgradeBlocks.of(this);
      const old = `terraform_data.${policyResourceName(this.key)}`;
      blocks.addMoved(old, `${GRANT_RESOURCE_TYPE}.${grantResourceName(this.key, 0)}`);
      blocks.addRemoved(`${old}_release`);
    }
  }

  /**
   * The sids' scope: the first source bucket granted here, in sorted order. Bucket names are
   * unique across COS and a source bucket is declared by one construct, so two projects sharing
   * a central destination never write the same sid (a stack id would collide across projects);
   * the statement names a bucket the reader knows; and a stack with one source per destination
   * keeps the sid `cosInventory-<source bucket>` that release 0.1.0 wrote. When a source sorting
   * first is added or removed the sid changes, which the provider applies as one policy write.
   */
  private get sidScope(): string {
    return this.sourceBuckets.find(isValidBucketName) ?? TerraformStack.of(this).node.id;
  }

  // Producers run while cdktf prepares the stack, before validations: a grant that cannot
  // become a statement (bad uin, empty principal, bad bucket name) is left out here and
  // reported by the BucketInventory's validation, which always fails such a synth.
  private composed(): Pick<DestinationStatements, 'statements' | 'problem'> {
    const grants = this.sourceBuckets.flatMap((source): SourceGrant[] => {
      const grant = (this.grants.get(source) as () => PolicyGrant)();
      const principal =
        grant.principal ??
        (grant.ownerUin !== undefined && /^[0-9]+$/.test(grant.ownerUin)
          ? [defaultInventoryPrincipal(grant.ownerUin)]
          : undefined);
      return principal === undefined ? [] : [{ sourceBucket: source, prefixes: grant.prefixes, principal }];
    });
    const token = Token.isUnresolved(this.bucket);
    let composed: Pick<DestinationStatements, 'statements' | 'problem'>;
    try {
      composed = grantStatements({
        destinationBucket: token ? STAND_IN_BUCKET : this.bucket,
        destinationRegion: this.region,
        sidScope: this.sidScope,
        grants,
      });
    } catch {
      return { statements: [] };
    }
    return token ? { ...composed, statements: composed.statements.map((s) => this.forToken(s)) } : composed;
  }

  // The model needs a literal destination name. For a token the statements are built for a
  // stand-in literal and their resource ARNs rewritten to the token and, for the APPID, to a
  // Terraform regex over it, evaluated at apply.
  private forToken(statement: InventoryPolicyStatement): InventoryPolicyStatement {
    const from = `:uid/${STAND_IN_APPID}:${STAND_IN_BUCKET}/`;
    const appId = Token.asString(Fn.regex('[0-9]+$', this.bucket));
    const to = `:uid/${appId}:${this.bucket}/`;
    return { ...statement, resource: statement.resource.map((arn) => arn.replace(from, to)) };
  }

  /**
   * The synth-time check of the statements as a whole: a policy past COS's size limits, and
   * another stack of the app whose sids on this bucket are the same (each stack's apply would
   * overwrite the other's statements).
   */
  private validate(): string[] {
    const { statements, problem } = this.composed();
    const errors = problem === undefined ? [] : [formatProblem(problem, `destination ${this.key}`)];
    const sids = new Set(statements.map((statement) => statement.sid));
    for (const other of this.sameBucketElsewhere()) {
      const shared = other.composed().statements.find((statement) => sids.has(statement.sid));
      if (shared === undefined) continue;
      const otherStack = TerraformStack.of(other).node.id;
      errors.push(
        `destination ${this.key}: the policy statement sid ${JSON.stringify(shared.sid)} is also written by ` +
          `stack ${JSON.stringify(otherStack)}, which grants on the same bucket for the same first source bucket ` +
          `${JSON.stringify(this.sidScope)}: declare each source bucket in one stack only`,
      );
    }
    return errors;
  }

  /** The grants on this same literal bucket in the app's other stacks. */
  private sameBucketElsewhere(): DestinationPolicy[] {
    if (Token.isUnresolved(this.bucket)) return [];
    const stack = TerraformStack.of(this);
    return this.node.root.node
      .findAll()
      .filter(
        (c): c is DestinationPolicy =>
          c instanceof DestinationPolicy &&
          c !== this &&
          c.key === this.key &&
          TerraformStack.of(c) !== stack,
      );
  }
}
