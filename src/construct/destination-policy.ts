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
import { handlerAsset, handlerCommand } from './handler-asset';
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

/** Options fixed by the first construct that needs the policy of a destination bucket. */
export interface DestinationPolicyOptions {
  /** `name-appid`, or an unresolved token. */
  readonly bucket: string;
  readonly region: string;
  readonly handlerBundlePath?: string;
  readonly nodeCommand?: string;
}

/**
 * The stack-wide pair of `terraform_data` resources that attach and detach our statements on
 * one bucket. The attacher is replaced on any statement change; its destroy keeps the sids
 * still configured, so continuing statements are never missing from the policy. The release
 * guard never changes address or triggers (its `input.sids` is updated in place, which runs
 * no provisioner) and detaches every sid of ours only when it is destroyed itself.
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
  /** The attacher `terraform_data`; jobs delivering here depend on it. */
  public readonly resource: TerraformData;
  /** The release guard `terraform_data`; jobs delivering here depend on it too. */
  public readonly release: TerraformData;

  private readonly grants = new Map<string, () => PolicyGrant>();

  private constructor(scope: Construct, id: string, key: string, options: DestinationPolicyOptions) {
    super(scope, id);
    this.bucket = options.bucket;
    this.region = options.region;
    const asset = handlerAsset(this, options.handlerBundlePath);
    const node = options.nodeCommand ?? 'node';
    const detach = handlerCommand(asset, 'detach-policy', node);
    const sids = Lazy.listValue({ produce: () => this.sids() });
    const input = {
      bucket: this.bucket,
      region: this.region,
      statements: Lazy.anyValue({ produce: () => escapeTemplates(this.statements()) }),
      sids,
    };
    this.resource = new TerraformData(this, 'Resource', { input, triggersReplace: input });
    this.node.addValidation({ validate: () => this.buildStatements().errors });
    this.resource.overrideLogicalId(policyResourceName(key));
    this.resource.addOverride('provisioner', [
      createProvisioner(
        handlerCommand(asset, 'attach-policy', node),
        specExpression({
          bucket: 'self.input.bucket',
          region: 'self.input.region',
          statements: 'self.input.statements',
        }),
      ),
      // A destroy provisioner comes from the current configuration: on a replace, `keep`
      // lists the sids configured now, so only retired statements are detached.
      destroyProvisioner(
        detach,
        Lazy.stringValue({
          produce: () =>
            specExpression({
              bucket: 'self.input.bucket',
              region: 'self.input.region',
              sids: 'self.input.sids',
              keep: stringTupleExpression(this.sids()),
            }),
        }),
      ),
    ]);

    const target = { bucket: this.bucket, region: this.region };
    this.release = new TerraformData(this, 'Release', {
      input: { ...target, sids },
      triggersReplace: target,
    });
    this.release.overrideLogicalId(`${policyResourceName(key)}_release`);
    this.release.addOverride('provisioner', [
      destroyProvisioner(
        detach,
        specExpression({ bucket: 'self.input.bucket', region: 'self.input.region', sids: 'self.input.sids' }),
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

  /** Source buckets holding a statement here. */
  public get sourceBuckets(): string[] {
    return [...this.grants.keys()].sort(compareStrings);
  }

  /**
   * The statements that can be built. A source whose statement cannot be built (a bad owner or
   * principal) is left out here and reported by the validation: CDK Terrain resolves tokens
   * before it runs validations, so a throwing producer would hide every validation message
   * behind one resolution error.
   */
  private statements(): InventoryPolicyStatement[] {
    return this.buildStatements().statements;
  }

  private buildStatements(): { statements: InventoryPolicyStatement[]; errors: string[] } {
    const statements: InventoryPolicyStatement[] = [];
    const errors: string[] = [];
    for (const source of this.sourceBuckets) {
      const grant = (this.grants.get(source) as () => PolicyGrant)();
      try {
        statements.push(
          this.statement({
            destinationBucket: this.bucket,
            destinationRegion: this.region,
            sourceBucket: source,
            prefixes: grant.prefixes,
            ownerUin: grant.ownerUin,
            principal: grant.principal,
          }),
        );
      } catch (error) {
        errors.push(`statement of source bucket ${source}: ${(error as Error).message}`);
      }
    }
    return { statements, errors };
  }

  private sids(): string[] {
    return this.sourceBuckets.map((source) => statementSid(source));
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
