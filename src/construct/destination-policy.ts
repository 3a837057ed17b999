/**
 * The grants of one destination bucket per stack, shared by every BucketInventory whose jobs
 * deliver there: one `cosinventory_destination_grant` per statement, each upserting its own
 * statement in the bucket's policy (the provider serializes the edits of one bucket and never
 * touches foreign statements). Statements are computed at synth, as jobs are added after the
 * constructs are created; the grant resources are made then, by an aspect.
 */
import { Aspects, Fn, TerraformStack, Token, dependable, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { compareStrings } from '../model/canonical';
import {
  defaultInventoryPrincipal,
  inventoryPolicyStatement,
  type InventoryPolicyStatement,
} from '../model/policy';
import { formatProblem, type Problem } from '../model/problem';
import { GRANT_RESOURCE_TYPE } from '../provider/names';
import { CosInventoryDestinationGrant } from './destination-grant-resource';
import type { CosInventoryProvider } from './cosinventory-provider';
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

/** One source bucket's share of a destination's statements. */
export interface SourceGrant {
  readonly sourceBucket: string;
  readonly prefixes: readonly string[];
  readonly principal: readonly string[];
}

/** The statements of one destination bucket, from every source delivering there. */
export interface GrantStatementsInput {
  /** Literal `name-appid`. */
  readonly destinationBucket: string;
  readonly destinationRegion: string;
  /** A readable, stable scope of the statements: the stack's name. */
  readonly sidScope: string;
  readonly grants: readonly SourceGrant[];
}

/** The statements to grant, and a problem when they cannot be granted as declared. */
export interface GrantStatements {
  readonly statements: readonly InventoryPolicyStatement[];
  readonly problem?: Problem;
}

/**
 * The statements of one destination: the one place composing them, so the model's
 * destination-wide composition can take over here alone. Today one least-privilege statement
 * per source bucket (`inventoryPolicyStatement`), sids by source bucket.
 */
export function grantStatements(input: GrantStatementsInput): GrantStatements {
  return {
    statements: input.grants.map((grant) =>
      inventoryPolicyStatement({
        destinationBucket: input.destinationBucket,
        destinationRegion: input.destinationRegion,
        sourceBucket: grant.sourceBucket,
        prefixes: grant.prefixes,
        principal: grant.principal,
      }),
    ),
  };
}

/** Options fixed by the first construct that needs the grants of a destination bucket. */
export interface DestinationPolicyOptions {
  /** `name-appid`, or an unresolved token. */
  readonly bucket: string;
  readonly region: string;
}

// Stands for a token destination while statements are composed; its ARNs are then rewritten.
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
  private provider?: CosInventoryProvider;
  private upgradeBlocks = false;
  private resources?: CosInventoryDestinationGrant[];
  private readonly dependents: TerraformResource[] = [];

  private constructor(scope: Construct, id: string, key: string, options: DestinationPolicyOptions) {
    super(scope, id);
    this.bucket = options.bucket;
    this.region = options.region;
    this.key = key;
    // The grants' number is known once every job is declared: they are made at synth.
    Aspects.of(this).add({ visit: (node) => (node === this ? this.materialize() : undefined) });
    this.node.addValidation({ validate: () => this.validate() });
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

  /** The provider of the first construct giving one (its account guard) applies to the grants. */
  public registerProvider(provider: CosInventoryProvider): void {
    if (this.provider === undefined || this.provider.alias === undefined) this.provider = provider;
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

  /** Source buckets holding a statement here. */
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
        // The default provider needs no reference (cdktf's HCL rendering quotes references).
        provider: this.provider?.alias === undefined ? undefined : this.provider,
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

  // Producers run while cdktf prepares the stack, before validations: a grant that cannot
  // become a statement (bad uin, empty principal, bad bucket name) is left out here and
  // reported by the BucketInventory's validation, which always fails such a synth.
  private composed(): GrantStatements {
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
    let composed: GrantStatements;
    try {
      composed = grantStatements({
        destinationBucket: token ? STAND_IN_BUCKET : this.bucket,
        destinationRegion: this.region,
        sidScope: TerraformStack.of(this).node.id,
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

  /** The synth-time check of the statements as a whole (their size, once the model measures it). */
  private validate(): string[] {
    const { problem } = this.composed();
    return problem === undefined ? [] : [formatProblem(problem, `destination ${this.key}`)];
  }
}
