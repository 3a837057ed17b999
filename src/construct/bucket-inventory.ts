/**
 * `BucketInventory`: the inventory jobs of one COS bucket, as `terraform_data` resources whose
 * `local-exec` provisioners run the bundled handler (docs/terraform.md has the full contract).
 */
import { resolve } from 'node:path';
import {
  Lazy,
  TerraformOutput,
  TerraformStack,
  Token,
  type TerraformAsset,
  type TerraformResource,
} from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { DESTINATION_ARN_PATTERN, isValidBucketName, isValidRegion, parseBucketName } from '../model/bucket';
import { compareStrings } from '../model/canonical';
import type { InventoryConfiguration } from '../model/configuration';
import { statementSid } from '../model/policy';
import { formatProblem, type Problem } from '../model/problem';
import { reportPrefix } from '../model/report-location';
import { validateConfiguration, validateJobSet } from '../model/validate';
import { resolveSwitches, type ResolvedSwitches } from './context-defaults';
import { DestinationPolicy, type PolicyGrant } from './destination-policy';
import { DriftCheck } from './drift-check';
import { assertSameFramework } from './framework-check';
import { defaultHandlerBundlePath, handlerAsset, handlerAssetSource, handlerCommand } from './handler-asset';
import type { InventoryJob } from './inventory-job';
import { jobConfiguration, rawConfiguration, resolveDestination } from './job-configuration';
import {
  driftCheckName,
  jobResourceName,
  nameFragment,
  pruneResourceName,
  reportOutputName,
} from './logical-names';
import { ROLE_ARN_PATTERN } from '../model/account';
import { accountProblems, guardEntries, guardIsValid, roleArnEntries } from './account-props';
import { propProblem } from './prop-problems';
import { PRUNE_SPEC_FROM_STATE } from './prune-spec';
import { createProvisioner, destroyProvisioner, specExpression, stringTupleExpression } from './provisioners';
import { escapeTemplate, escapeTemplates } from './template-escape';
import { TerraformData } from './terraform-data';

/** Properties of a {@link BucketInventory}. */
export interface BucketInventoryProps {
  /** The source bucket, `name-appid`; a literal (it names resources and policy statements). */
  readonly bucket: string;
  /** Region of the source bucket, e.g. `ap-guangzhou`; destinations must be in the same region. */
  readonly region: string;
  /**
   * Inventory jobs; more can be added with {@link BucketInventory.addJob}.
   * @default - none
   */
  readonly jobs?: readonly InventoryJob[];
  /**
   * Whether to add, to each destination bucket's policy, a statement allowing COS to deliver this
   * bucket's reports (one resource per destination bucket per stack, shared).
   * @default true
   */
  readonly managePolicy?: boolean;
  /**
   * Principals of that statement.
   * @default - `qcs::cam::uin/<ownerUin>:roleName/COS_QcsRole` (ownerUin, else the job's destination accountId)
   */
  readonly policyPrincipal?: readonly string[];
  /**
   * Account id (UIN) owning the buckets, for the default policy principal.
   * @default - each job's `destination.accountId`
   */
  readonly ownerUin?: string;
  /**
   * Whether to add a `check` block that warns, at every plan, about jobs that are absent,
   * differ from the declaration, or exist without being declared (needs `hashicorp/external`).
   * @default - the app context `cdktf-cos-inventory:driftCheck`, else true
   */
  readonly driftCheck?: boolean;
  /**
   * Whether the drift check also warns about jobs whose reports stop arriving: an enabled job
   * with no delivery within its schedule plus a margin (daily 2 days, weekly 8, monthly 32), with
   * none yet, or whose destination refuses the listing. Costs, at every plan, one folder listing
   * of each enabled job's report folder in its destination and one HEAD of its newest manifest;
   * the key needs `name/cos:GetBucket` and `name/cos:HeadObject` on the destination buckets.
   * Needs `driftCheck` (set here; from the app context it applies where a drift check is).
   * @default - the app context `cdktf-cos-inventory:deliveryCheck`, else false
   */
  readonly deliveryCheck?: boolean;
  /**
   * Whether to add an output per job holding its report location.
   * @default - the app context `cdktf-cos-inventory:reportOutputs`, else true
   */
  readonly reportOutputs?: boolean;
  /**
   * The handler bundle shipped with the stack.
   * @default - this package's `dist/handler.js`
   */
  readonly handlerBundlePath?: string;
  /**
   * The command running the handler (a `node` >= 20 on the machine running Terraform).
   * @default 'node'
   */
  readonly nodeCommand?: string;
  /**
   * Account guard, like the Tencent provider's `allowed_account_ids`: before any write the
   * handler asks STS (GetCallerIdentity) whose credentials it runs with and refuses any account
   * not listed here. Costs one STS request per provisioner run.
   * @default - no guard
   */
  readonly allowedAccountIds?: readonly string[];
  /**
   * Destination bucket (`name-appid`, one a job of this construct delivers to) -> role of the
   * destination's account (`qcs::cam::uin/<uin>:roleName/<name>`) to assume for editing that
   * bucket's policy. The role is assumed with the handler's own credential; every other request
   * keeps that credential. Needs `managePolicy`.
   * @default - policies are edited with the handler's own credential
   */
  readonly policyRoleArns?: Readonly<Record<string, string>>;
}

interface DeclaredJob {
  readonly job: InventoryJob;
  readonly configuration: InventoryConfiguration;
  readonly resource: TerraformData;
  readonly resourceName: string;
  readonly policy?: DestinationPolicy;
}

const RESOURCE_TYPE = 'terraform_data';
const DESTINATION_BUCKET_FIELD = 'Destination.COSBucketDestination.Bucket';

// Marks instances so `isBucketInventory` also recognises those of another copy of this library.
const BUCKET_INVENTORY = Symbol.for('cdktf-cos-inventory.BucketInventory');

function containsToken(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(containsToken);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsToken);
  return false;
}

/** `jobs[2].schedule.monthlyDate (job "weekly")`: a job's prop, as the user wrote it. */
function jobField(index: number, job: InventoryJob, prop: string): string {
  return `jobs[${index}].${prop} (job ${JSON.stringify(job.id)})`;
}

/** The inventory jobs of one COS bucket. */
export class BucketInventory extends Construct {
  /** Whether `x` is a BucketInventory (also across copies of this library). */
  public static isBucketInventory(x: unknown): x is BucketInventory {
    return x !== null && typeof x === 'object' && BUCKET_INVENTORY in x;
  }

  /** The source bucket (`name-appid`). */
  public readonly bucket: string;
  /** The source bucket's region. */
  public readonly region: string;
  /** The `terraform_data` deleting jobs that left the declaration (see docs/terraform.md). */
  public readonly pruneResource: TerraformResource;
  /** The drift check's construct (its `check` block), unless `driftCheck: false`. */
  public readonly driftCheck?: IConstruct;

  private readonly props: BucketInventoryProps;
  private readonly switches: ResolvedSwitches;
  private readonly asset: TerraformAsset;
  private readonly nodeCommand: string;
  private readonly requestedBundle: string;
  private readonly jobs: DeclaredJob[] = [];

  public constructor(scope: Construct, id: string, props: BucketInventoryProps) {
    assertSameFramework(scope, id);
    super(scope, id);
    Object.defineProperty(this, BUCKET_INVENTORY, { value: true });
    this.props = props;
    this.switches = resolveSwitches(this.node, props);
    const { driftCheck, deliveryCheck } = this.switches.switches;
    this.requestedBundle = resolve(props.handlerBundlePath ?? defaultHandlerBundlePath());
    this.bucket = props.bucket;
    this.region = props.region;
    this.nodeCommand = props.nodeCommand ?? 'node';
    this.asset = handlerAsset(this, props.handlerBundlePath);

    // Everything lives in triggers_replace only: a plan then shows the changed field alone.
    const pruneTriggers = {
      bucket: this.bucket,
      region: this.region,
      ids: Lazy.listValue({ produce: () => this.jobIds }),
      sid: Lazy.stringValue({
        produce: () => (isValidBucketName(this.bucket) ? statementSid(this.bucket) : ''),
      }),
      destinations: Lazy.anyValue({ produce: () => this.grantedDestinations() }),
    };
    this.pruneResource = new TerraformData(this, 'Prune', { triggersReplace: pruneTriggers });
    this.pruneResource.overrideLogicalId(pruneResourceName(id));
    this.pruneResource.addOverride('provisioner', [
      destroyProvisioner(
        this.command('prune'),
        Lazy.stringValue({
          // `desired` and `keepDestinations` are literals of the CURRENT configuration;
          // `previous` and `destinations` come from the old state.
          produce: () =>
            specExpression({
              ...PRUNE_SPEC_FROM_STATE,
              desired: stringTupleExpression(this.jobIds),
              keepDestinations: stringTupleExpression(Object.keys(this.grantedDestinations())),
              ...this.guardEntries(),
              ...this.roleArnEntries(),
            }),
        }),
      ),
    ]);

    if (driftCheck.value) {
      this.driftCheck = new DriftCheck(this, 'DriftCheck', {
        name: driftCheckName(id),
        bucket: this.bucket,
        region: this.region,
        asset: this.asset,
        nodeCommand: this.nodeCommand,
        configurations: () => this.sortedJobs().map((j) => j.configuration),
        addresses: () => Object.fromEntries(this.sortedJobs().map((j) => [j.job.id, this.addressOf(j)])),
        // The prune resource too: a plan that removes a job replaces it, so the read waits
        // for the prune instead of calling the job about to be deleted undeclared.
        dependsOn: () => [
          ...this.sortedJobs().map((j) => this.addressOf(j)),
          `${RESOURCE_TYPE}.${pruneResourceName(id)}`,
        ],
        deliveryCheck: deliveryCheck.value,
      });
    }

    for (const job of props.jobs ?? []) this.addJob(job);
    this.node.addValidation({ validate: () => this.validate() });
  }

  /** Ids of the declared jobs, sorted. */
  public get jobIds(): string[] {
    return this.sortedJobs().map((j) => j.job.id);
  }

  /** Declares one more inventory job. */
  public addJob(job: InventoryJob): void {
    // A token cannot name a construct or a resource: fail now rather than deep inside cdktf.
    if (Token.isUnresolved(job.id)) {
      throw new Error(
        formatProblem(
          {
            field: 'id',
            value: job.id,
            message: 'must be a literal: it names the terraform resource of the job',
          },
          `bucketinventory ${this.node.path}: jobs[${this.jobs.length}]`,
        ),
      );
    }
    const configuration = jobConfiguration(job, this.region);
    const destination = resolveDestination(job.destination.bucket, this.region);
    const policy = this.managesPolicy
      ? DestinationPolicy.of(this, {
          bucket: destination.bucket,
          region: destination.region,
          handlerBundlePath: this.props.handlerBundlePath,
          nodeCommand: this.props.nodeCommand,
          ownerPath: this.node.path,
        })
      : undefined;
    policy?.grant(this.bucket, () => this.grantFor(policy));
    policy?.registerAccountId(
      job.destination.accountId,
      `job ${JSON.stringify(job.id)} of ${this.node.path}`,
    );
    const roleArn = this.props.policyRoleArns?.[destination.bucket];
    if (roleArn !== undefined && ROLE_ARN_PATTERN.test(roleArn))
      policy?.registerRoleArn(roleArn, this.node.path);
    if (this.guardIsValid()) policy?.registerAllowedAccountIds(this.props.allowedAccountIds ?? []);

    // Only in triggers_replace (no `input`, so no `output` copy in plans), and replaced
    // create-before-destroy: put-job overwrites the job by id and the replaced object's
    // delete-job never runs, so COS never lacks the job and a failed put leaves the old one.
    const triggers = {
      bucket: this.bucket,
      region: this.region,
      id: job.id,
      configuration: escapeTemplates(configuration),
    };
    const resource = new TerraformData(this, this.uniqueChildId(`Job-${job.id}`), {
      triggersReplace: triggers,
      dependsOn: policy ? [policy.resource, policy.release] : undefined,
      lifecycle: { createBeforeDestroy: true },
    });
    const resourceName = jobResourceName(this.node.id, job.id);
    resource.overrideLogicalId(resourceName);
    resource.addOverride('provisioner', [
      createProvisioner(
        this.command('put-job'),
        specExpression({
          bucket: 'self.triggers_replace.bucket',
          region: 'self.triggers_replace.region',
          configuration: 'self.triggers_replace.configuration',
          ...this.guardEntries(),
        }),
      ),
      destroyProvisioner(
        this.command('delete-job'),
        specExpression({
          bucket: 'self.triggers_replace.bucket',
          region: 'self.triggers_replace.region',
          id: 'self.triggers_replace.id',
          ...this.guardEntries(),
        }),
      ),
    ]);
    this.jobs.push({ job, configuration, resource, resourceName, policy });

    if (this.switches.switches.reportOutputs.value) {
      const output = new TerraformOutput(this, this.uniqueChildId(`Report-${job.id}`), {
        value: Lazy.stringValue({ produce: () => escapeTemplate(this.reportLocationOrEmpty(job.id)) }),
        description: `inventory reports of job ${job.id} of bucket ${this.bucket}`,
      });
      output.overrideLogicalId(reportOutputName(this.node.id, job.id));
    }
  }

  private guardIsValid(): boolean {
    return guardIsValid(this.props);
  }

  private guardEntries(): Record<string, string> {
    return guardEntries(this.props);
  }

  private roleArnEntries(): Record<string, string> {
    return roleArnEntries(this.props);
  }

  /** The `terraform_data` resource of a declared job. */
  public jobResource(id: string): TerraformResource {
    return this.declared(id).resource;
  }

  /** `terraform_data.<name>`: the Terraform address of a declared job. */
  public jobAddress(id: string): string {
    return this.addressOf(this.declared(id));
  }

  /** `cos://<destination bucket>/<prefix>/<appid>/<source bucket name>/<id>/`: where reports land. */
  public reportLocation(id: string): string {
    const { job } = this.declared(id);
    const source = parseBucketName(this.bucket);
    const destination = resolveDestination(job.destination.bucket, this.region);
    const prefix = reportPrefix({
      destinationPrefix: job.destination.prefix,
      appId: source.appId,
      sourceBucketName: source.name,
      jobId: job.id,
    });
    return `cos://${destination.bucket}/${prefix}`;
  }

  // Producers run before validations: a bad bucket name is reported there, not thrown here.
  private reportLocationOrEmpty(id: string): string {
    try {
      return this.reportLocation(id);
    } catch {
      return '';
    }
  }

  /** Destination key -> bucket of every destination holding this bucket's statement. */
  private grantedDestinations(): Record<string, { bucket: string; region: string }> {
    const result: Record<string, { bucket: string; region: string }> = {};
    for (const { policy } of this.sortedJobs()) {
      if (policy) result[nameFragment(policy.key)] = { bucket: policy.bucket, region: policy.region };
    }
    return result;
  }

  private get managesPolicy(): boolean {
    return this.props.managePolicy !== false;
  }

  private command(verb: string): string {
    return handlerCommand(this.asset, verb, this.nodeCommand);
  }

  private declared(id: string): DeclaredJob {
    const found = this.jobs.find((j) => j.job.id === id);
    if (!found) {
      throw new Error(
        `bucketinventory ${this.node.path}: id: no job ${JSON.stringify(id)} is declared (declared: ${this.jobIds.join(', ') || 'none'})`,
      );
    }
    return found;
  }

  private sortedJobs(): DeclaredJob[] {
    return [...this.jobs].sort((a, b) => compareStrings(a.job.id, b.job.id));
  }

  private addressOf(job: DeclaredJob): string {
    return `${RESOURCE_TYPE}.${job.resourceName}`;
  }

  // Duplicate ids are reported by validation; the construct tree must still accept them.
  private uniqueChildId(base: string): string {
    let candidate = base;
    for (let n = 2; this.node.tryFindChild(candidate); n++) candidate = `${base}-${n}`;
    return candidate;
  }

  private grantFor(policy: DestinationPolicy): PolicyGrant {
    const jobs = this.jobs.filter((j) => j.policy === policy);
    const accountId = jobs.map((j) => j.job.destination.accountId).find((a) => a !== undefined);
    return {
      prefixes: jobs.map((j) => j.job.destination.prefix ?? ''),
      ownerUin: this.props.ownerUin ?? accountId,
      principal: this.props.policyPrincipal,
    };
  }

  // Messages carry no construct path: cdktf prefixes each with `[<path>]`.
  private validate(): string[] {
    const errors: string[] = [];
    const problem = (field: string, value: unknown, message: string): void => {
      errors.push(formatProblem({ field, value, message }));
    };

    if (Token.isUnresolved(this.bucket) || !isValidBucketName(this.bucket)) {
      problem(
        'bucket',
        this.bucket,
        'must be a literal <name>-<appid>: lowercase letters, digits and hyphens, then -<appid digits>',
      );
    }
    if (Token.isUnresolved(this.region) || !isValidRegion(this.region)) {
      problem('region', this.region, 'must be a literal cos region id such as "ap-guangzhou"');
    }
    for (const p of this.switches.problems) errors.push(formatProblem(p));
    const { driftCheck, deliveryCheck } = this.switches.switches;
    if (deliveryCheck.value && deliveryCheck.source === 'prop' && !driftCheck.value) {
      problem(
        'deliveryCheck',
        true,
        'needs driftCheck: the delivery verdicts are warnings of its check block',
      );
    }
    this.validateJobs(errors);
    this.validateAccounts(problem);
    this.validatePolicy(problem);
    this.validateShared(problem);
    this.validateStack(problem);
    return errors;
  }

  private validateJobs(errors: string[]): void {
    const configs = this.jobs.map((j) => rawConfiguration(j.job, this.region));
    this.jobs.forEach(({ job }, index) => {
      const report = (p: Problem): void => {
        errors.push(formatProblem({ ...p, field: jobField(index, job, p.field) }));
      };
      const encryption = job.destination.encryption;
      if (encryption !== undefined && encryption !== 'SSE-COS' && encryption !== 'NONE') {
        report({
          field: 'destination.encryption',
          value: encryption,
          message: "must be 'SSE-COS' or 'NONE'",
        });
      }
      // Token-valued fields are left to COS: they are known only at apply.
      validateConfiguration(configs[index], { sourceRegion: this.region })
        .filter((p) => !containsToken(p.value))
        .flatMap((p) => this.inUserTerms(p, job))
        .map((p) => propProblem(p, job))
        .forEach(report);
    });
    for (const p of validateJobSet(configs)) {
      const index = /^\[(\d+)\]/.exec(p.field);
      const field = index ? `jobs[${index[1]}].id` : 'jobs';
      errors.push(formatProblem({ ...p, field }));
    }
    const names = new Map<string, string>();
    this.jobs.forEach(({ job, resourceName }, index) => {
      const other = names.get(resourceName);
      if (other !== undefined && other !== job.id) {
        errors.push(
          formatProblem({
            field: `jobs[${index}].id`,
            value: job.id,
            message: `maps to the terraform name ${resourceName} of job ${JSON.stringify(other)}; rename one`,
          }),
        );
      }
      names.set(resourceName, job.id);
    });
  }

  // The model sees the ARN the construct built from `name-appid`; speak of what the user wrote.
  // A valid name can only fail through the source region, which is reported on its own.
  private inUserTerms(p: Problem, job: InventoryJob): Problem[] {
    const written = job.destination.bucket;
    if (p.field !== DESTINATION_BUCKET_FIELD || DESTINATION_ARN_PATTERN.test(written)) return [p];
    if (isValidBucketName(written)) return [];
    return [
      {
        field: p.field,
        value: written,
        message:
          'must be <name>-<appid> (lowercase letters, digits and hyphens, then -<appid digits>) ' +
          'or qcs::cos:<region>::<name>-<appid>',
      },
    ];
  }

  private validateAccounts(problem: (field: string, value: unknown, message: string) => void): void {
    accountProblems(this.props, problem);
    const roles = this.props.policyRoleArns;
    if (roles === undefined) return;
    if (!this.managesPolicy) {
      problem(
        'policyRoleArns',
        roles,
        'needs managePolicy: the role only edits the policies this construct manages',
      );
      return;
    }
    const destinations = new Set(
      this.jobs.map(({ job }) => {
        try {
          return resolveDestination(job.destination.bucket, this.region).bucket;
        } catch {
          return '';
        }
      }),
    );
    const used = [...destinations].filter((bucket) => bucket !== '').sort(compareStrings);
    for (const { policy } of this.jobs) {
      const distinct = [...new Set(policy?.requestedRoles.map((r) => r.roleArn) ?? [])];
      if (policy && distinct.length > 1 && roles[policy.bucket] !== undefined) {
        problem(
          `policyRoleArns[${JSON.stringify(policy.bucket)}]`,
          roles[policy.bucket],
          `must be the same role for every construct of the stack delivering there: ${policy.requestedRoles.map((r) => `${r.where} gives ${r.roleArn}`).join(', ')}`,
        );
        break;
      }
    }
    for (const bucket of Object.keys(roles)) {
      if (isValidBucketName(bucket) && !destinations.has(bucket)) {
        problem(
          `policyRoleArns[${JSON.stringify(bucket)}]`,
          bucket,
          `must be a destination bucket of a job of this construct: one of ${used.join(', ') || '(none)'}`,
        );
      }
    }
  }

  private validatePolicy(problem: (field: string, value: unknown, message: string) => void): void {
    if (!this.managesPolicy) return;
    if (this.props.ownerUin !== undefined && !/^[0-9]+$/.test(this.props.ownerUin)) {
      problem('ownerUin', this.props.ownerUin, 'must be the account uin (digits)');
    }
    const principal = this.props.policyPrincipal;
    if (principal !== undefined) {
      if (principal.length === 0 || principal.some((p) => typeof p !== 'string' || p === '')) {
        problem(
          'policyPrincipal',
          principal,
          'must be a non-empty list of cam principals such as "qcs::cam::uin/100000000001:roleName/COS_QcsRole"',
        );
      }
      return;
    }
    if (this.props.ownerUin !== undefined) return;
    this.jobs.forEach(({ job }, index) => {
      if (job.destination.accountId === undefined) {
        problem(
          jobField(index, job, 'destination.accountId'),
          undefined,
          'is required when managePolicy is on and neither ownerUin nor policyPrincipal is set: ' +
            'it names the account whose role may deliver reports (or set managePolicy: false)',
        );
      }
    });
  }

  // The handler bundle is one asset per stack, and each destination's policy resources are
  // shared by every construct delivering there: settings that differ cannot all be honoured.
  private validateShared(problem: (field: string, value: unknown, message: string) => void): void {
    const bundle = handlerAssetSource(this.asset);
    if (bundle !== this.requestedBundle) {
      problem(
        'handlerBundlePath',
        this.requestedBundle,
        `differs from ${JSON.stringify(bundle)} used by another construct of this stack; use one bundle per stack`,
      );
    }
    const policies = [...new Set(this.jobs.map((j) => j.policy))].filter(
      (p): p is DestinationPolicy => p !== undefined,
    );
    for (const policy of policies) {
      if (policy.owner.path !== this.node.path && policy.owner.nodeCommand !== this.nodeCommand) {
        problem(
          'nodeCommand',
          this.nodeCommand,
          `differs from ${JSON.stringify(policy.owner.nodeCommand)} of ${policy.owner.path}, which shares ` +
            `the policy resources of destination ${policy.key}; give both the same nodeCommand`,
        );
      }
    }
    // One destination bucket has one owner: the jobs delivering there must agree on it.
    this.jobs.forEach(({ job, policy }, index) => {
      const accountId = job.destination.accountId;
      if (policy === undefined || accountId === undefined) return;
      const first = policy.firstAccountId();
      if (first !== undefined && first.accountId !== accountId) {
        problem(
          jobField(index, job, 'destination.accountId'),
          accountId,
          `differs from ${JSON.stringify(first.accountId)} of ${first.where}, which delivers to the same ` +
            `bucket ${policy.key}; a bucket has one owner`,
        );
      }
    });
  }

  // Two constructs on one bucket would prune and drift-check each other's jobs, and two with
  // one id would synthesize the same resource names.
  private validateStack(problem: (field: string, value: unknown, message: string) => void): void {
    const others = TerraformStack.of(this)
      .node.findAll()
      .filter((c: IConstruct): c is BucketInventory => BucketInventory.isBucketInventory(c) && c !== this);
    for (const other of others) {
      if (other.bucket === this.bucket) {
        problem(
          'bucket',
          this.bucket,
          `is also managed by ${other.node.path}; declare all jobs of a bucket in one construct`,
        );
      }
      if (nameFragment(other.node.id) === nameFragment(this.node.id)) {
        problem(
          'id',
          this.node.id,
          `gives the same terraform names as ${other.node.path}; give each BucketInventory of a stack a distinct id`,
        );
      }
    }
  }
}
