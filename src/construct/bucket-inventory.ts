/**
 * `BucketInventory`: the inventory jobs of one COS bucket, as resources of this package's own
 * Terraform provider (`cosinventory_job`, `cosinventory_destination_grant`), which the stack
 * directory carries (docs/terraform.md has the full contract).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Lazy, TerraformOutput, TerraformStack, Token, type ISynthesisSession } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct, type IConstruct } from 'constructs';
import { DESTINATION_ARN_PATTERN, isValidBucketName, isValidRegion, parseBucketName } from '../model/bucket';
import { compareStrings } from '../model/canonical';
import type { InventoryConfiguration } from '../model/configuration';
import { jobAttributes, jobImportId, type JobAttributes } from '../model/job-attributes';
import { formatProblem, type Problem } from '../model/problem';
import { reportPrefix } from '../model/report-location';
import { validateConfiguration, validateJobSet } from '../model/validate';
import { JOB_RESOURCE_TYPE } from '../provider/names';
import { resolve } from 'node:path';
import { ROLE_ARN_PATTERN } from '../model/account';
import { accountProblems, guardIsValid } from './account-props';
import { resolveSwitches, type ResolvedSwitches } from './context-defaults';
import type { CosInventoryProvider } from './cosinventory-provider';
import { DestinationPolicy, type PolicyGrant } from './destination-policy';
import { assertSameFramework } from './framework-check';
import type { InventoryJob } from './inventory-job';
import { CosInventoryJob, type CosInventoryJobConfig } from './job-resource';
import { jobConfiguration, rawConfiguration, resolveDestination } from './job-configuration';
import {
  deliveryCheckName,
  driftCheckName,
  jobResourceName,
  nameFragment,
  pruneResourceName,
  reportOutputName,
} from './logical-names';
import { propProblem } from './prop-problems';
import { defaultProviderBundlePath, StackProvider, type ProviderRequest } from './stack-provider';
import { escapeTemplate, escapeTemplates } from './template-escape';
import { UpgradeBlocks } from './upgrade-blocks';
import { DeliveryChecks, removeStaleDeliveryCompanion } from './delivery-checks';

/** Properties of a {@link BucketInventory}. */
export interface BucketInventoryProps {
  /** The source bucket, `name-appid`; a literal (it names resources and its report folders in the destination policy). */
  readonly bucket: string;
  /** Region of the source bucket, e.g. `ap-guangzhou`; destinations must be in the same region. */
  readonly region: string;
  /**
   * Inventory jobs; more can be added with {@link BucketInventory.addJob}.
   * @default - none
   */
  readonly jobs?: readonly InventoryJob[];
  /**
   * Whether to grant, in each destination bucket's policy, COS's delivery of this bucket's reports
   * to its report folders. The grants are the stack's, shared by every construct delivering to
   * that bucket: one statement per principal set (more past COS's 4095-byte statement limit),
   * sids `cosInventory-<stack id>`, `-2`, ...; folders are collapsed to a shared prefix root only
   * when the policy would exceed its size limit, and synth fails when even that does not fit.
   * @default true
   */
  readonly managePolicy?: boolean;
  /**
   * Principals COS delivers this bucket's reports as; sources of the stack with the same
   * principals share a statement.
   * @default - `qcs::cam::uin/<ownerUin>:roleName/COS_QcsRole` (ownerUin, else the job's destination accountId)
   */
  readonly policyPrincipal?: readonly string[];
  /**
   * Account id (UIN) owning the buckets, for the default policy principal.
   * @default - each job's `destination.accountId`
   */
  readonly ownerUin?: string;
  /**
   * @deprecated Drift is now an ordinary refresh difference in `terraform plan`: the provider
   * reads every job. Accepted and ignored, with a warning.
   * @default - the app context `cdktf-cos-inventory:driftCheck`, else true
   */
  readonly driftCheck?: boolean;
  /**
   * Whether every plan warns about enabled jobs whose reports stop arriving: no delivery within
   * the schedule plus a margin (daily 2 days, weekly 8, monthly 32), none yet, or a destination
   * refusing the listing. One `check` block per enabled job reads the provider's
   * `cosinventory_job_delivery` data source: at every plan, one folder listing of the job's
   * report folder in its destination and one HEAD of its newest manifest, so the credentials need
   * `name/cos:GetBucket` and `name/cos:HeadObject` on the destination buckets. A failed check is a
   * warning, never an error. Terraform reads a check block's data source again at apply, so with
   * this on `terraform plan -detailed-exitcode` exits 2 even when nothing else changes.
   * @default - the app context `cdktf-cos-inventory:deliveryCheck`, else false
   */
  readonly deliveryCheck?: boolean;
  /**
   * Whether to add an output per job holding its report location.
   * @default - the app context `cdktf-cos-inventory:reportOutputs`, else true
   */
  readonly reportOutputs?: boolean;
  /**
   * The provider bundle shipped in the stack directory (one per stack, shared by every
   * construct of the stack).
   * @default - this package's `dist/provider.js`
   */
  readonly providerBundlePath?: string;
  /**
   * @deprecated Use `providerBundlePath`; taken as it when that is not set.
   * @default - this package's `dist/provider.js`
   */
  readonly handlerBundlePath?: string;
  /**
   * The command starting the provider (a `node` >= 20 on the machine running Terraform),
   * written into the provider's wrapper script; one per stack.
   * @default 'node'
   */
  readonly nodeCommand?: string;
  /**
   * Account guard, like the Tencent provider's `allowed_account_ids`: before its first write the
   * provider asks STS (GetCallerIdentity) whose credentials it runs with and refuses any account
   * not listed here. Each job carries it (`allowed_account_ids`), and so do the grants of a
   * destination whose first guarded construct this is; a delete is checked against the guard
   * in state, so deleting the construct from the code still deletes its jobs under it.
   * @default - no guard
   */
  readonly allowedAccountIds?: readonly string[];
  /**
   * Destination bucket (`name-appid`, one a job of this construct delivers to) -> role of the
   * destination's account (`qcs::cam::uin/<uin>:roleName/<name>`) to assume for editing that
   * bucket's policy. The role is assumed with the provider's own credential; every other
   * request keeps that credential. Needs `managePolicy`.
   * @default - policies are edited with the provider's own credential
   */
  readonly policyRoleArns?: Readonly<Record<string, string>>;
  /**
   * Whether to add the `moved` and `removed` blocks that carry a state written by the
   * provisioner release (0.1) over to the provider's resources without touching COS. Turn
   * off once every state of the stack has been applied with this release.
   * @default true
   */
  readonly upgradeBlocks?: boolean;
}

interface DeclaredJob {
  readonly job: InventoryJob;
  readonly configuration: InventoryConfiguration;
  readonly resource: CosInventoryJob;
  readonly resourceName: string;
  readonly policy?: DestinationPolicy;
}

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

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

/**
 * The job resource's configuration from the model's attributes. User strings are escaped as
 * Terraform templates (`${` stays literal); tag keys too, as Terraform reads object keys as
 * templates.
 */
function jobResourceConfig(attributes: JobAttributes): Omit<CosInventoryJobConfig, 'provider'> {
  const a = escapeTemplates(attributes);
  const tags = a.filter_tags;
  return {
    region: a.region,
    bucket: a.bucket,
    jobId: a.job_id,
    enabled: a.enabled,
    includedObjectVersions: a.included_object_versions,
    frequency: a.frequency,
    monthlyDate: orUndefined(a.monthly_date),
    destinationBucket: a.destination_bucket,
    destinationAccountId: orUndefined(a.destination_account_id),
    destinationPrefix: orUndefined(a.destination_prefix),
    destinationFormat: a.destination_format,
    destinationEncryption: orUndefined(a.destination_encryption),
    filterPrefix: orUndefined(a.filter_prefix),
    filterTags:
      tags === null
        ? undefined
        : Object.fromEntries(Object.entries(tags).map(([key, value]) => [escapeTemplate(key), value])),
    filterStorageClass: orUndefined(a.filter_storage_class),
    filterStartTime: orUndefined(a.filter_start_time),
    filterEndTime: orUndefined(a.filter_end_time),
    optionalFields: orUndefined(a.optional_fields),
  };
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
  /** The stack's `cosinventory` provider block, shared by every construct (never an alias). */
  public readonly provider: CosInventoryProvider;

  private readonly props: BucketInventoryProps;
  private readonly switches: ResolvedSwitches;
  private readonly request: ProviderRequest;
  private readonly shipped: ProviderRequest;
  private readonly jobs: DeclaredJob[] = [];
  /** `allowedAccountIds`, deduplicated and sorted, when valid (else validation fails the synth). */
  private readonly guard?: readonly string[];

  public constructor(scope: Construct, id: string, props: BucketInventoryProps) {
    assertSameFramework(scope, id);
    super(scope, id);
    Object.defineProperty(this, BUCKET_INVENTORY, { value: true });
    this.props = props;
    this.switches = resolveSwitches(this.node, props);
    this.bucket = props.bucket;
    this.region = props.region;
    const stackProvider = StackProvider.of(this);
    this.request = {
      bundlePath: resolve(props.providerBundlePath ?? props.handlerBundlePath ?? defaultProviderBundlePath()),
      nodeCommand: props.nodeCommand ?? 'node',
      where: this.node.path,
    };
    this.shipped = stackProvider.ship(this.request);
    this.provider = stackProvider.defaultProvider;
    this.guard = guardIsValid(props) ? [...new Set(props.allowedAccountIds)].sort(compareStrings) : undefined;
    this.warnDeprecated();
    if (this.upgradeBlocks) UpgradeBlocks.of(this).addRemoved(`terraform_data.${pruneResourceName(id)}`);

    for (const job of props.jobs ?? []) this.addJob(job);
    this.node.addValidation({ validate: () => this.validate() });
    addCustomSynthesis(this, { onSynthesize: (session) => this.removeDriftCompanion(session) });
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
      ? DestinationPolicy.of(this, { bucket: destination.bucket, region: destination.region })
      : undefined;
    policy?.grant(this.bucket, () => this.grantFor(policy));
    policy?.registerAccountId(
      job.destination.accountId,
      `job ${JSON.stringify(job.id)} of ${this.node.path}`,
    );
    const roleArn = this.props.policyRoleArns?.[destination.bucket];
    if (roleArn !== undefined && ROLE_ARN_PATTERN.test(roleArn))
      policy?.registerRoleArn(roleArn, this.node.path);
    policy?.registerGuard(this.guard);
    if (this.upgradeBlocks) policy?.registerUpgradeBlocks();

    const resource = new CosInventoryJob(this, this.uniqueChildId(`Job-${job.id}`), {
      ...jobResourceConfig(jobAttributes(configuration, this.bucket, this.region)),
      allowedAccountIds: this.guard,
    });
    const resourceName = jobResourceName(this.node.id, job.id);
    resource.overrideLogicalId(resourceName);
    // The grants are made at synth: the job waits for those of its destination.
    policy?.addDependent(resource);
    if (this.upgradeBlocks) {
      UpgradeBlocks.of(this).addMoved(
        `terraform_data.${resourceName}`,
        `${JOB_RESOURCE_TYPE}.${resourceName}`,
      );
    }
    this.jobs.push({ job, configuration, resource, resourceName, policy });
    if (this.switches.switches.deliveryCheck.value) {
      const address = `${JOB_RESOURCE_TYPE}.${resourceName}`;
      // A disabled job delivers nothing by design: only enabled jobs are checked.
      DeliveryChecks.of(this).add(address, () =>
        job.enabled === false
          ? undefined
          : {
              name: deliveryCheckName(this.node.id, job.id),
              region: this.region,
              bucket: this.bucket,
              jobId: job.id,
              jobAddress: address,
            },
      );
    }

    if (this.switches.switches.reportOutputs.value) {
      const output = new TerraformOutput(this, this.uniqueChildId(`Report-${job.id}`), {
        value: Lazy.stringValue({ produce: () => escapeTemplate(this.reportLocationOrEmpty(job.id)) }),
        description: `inventory reports of job ${job.id} of bucket ${this.bucket}`,
      });
      output.overrideLogicalId(reportOutputName(this.node.id, job.id));
    }
  }

  /** The `cosinventory_job` resource of a declared job. */
  public jobResource(id: string): CosInventoryJob {
    return this.declared(id).resource;
  }

  /** `cosinventory_job.<name>`: the Terraform address of a declared job. */
  public jobAddress(id: string): string {
    return this.addressOf(this.declared(id));
  }

  /**
   * Adopts the existing job `id` of this bucket: an `import` block for the declared job's
   * resource (id `<region>/<bucket>/<job id>`), so the next apply reads it instead of writing it.
   */
  public importJob(id: string): void {
    this.declared(id).resource.importFrom(jobImportId(this.region, this.bucket, id));
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

  private get managesPolicy(): boolean {
    return this.props.managePolicy !== false;
  }

  private get upgradeBlocks(): boolean {
    return this.props.upgradeBlocks !== false;
  }

  private warnDeprecated(): void {
    const { driftCheck } = this.switches.switches;
    const annotations = Annotations.of(this);
    if (driftCheck.source !== 'default') {
      annotations.addWarning(
        'driftCheck is deprecated and ignored: drift is now an ordinary refresh difference in terraform plan ' +
          '(the provider reads every job); remove the prop or the context key cdktf-cos-inventory:driftCheck',
      );
    }
    if (this.props.handlerBundlePath !== undefined) {
      annotations.addWarning('handlerBundlePath is deprecated: use providerBundlePath');
    }
  }

  // The provisioner release wrote its check block beside cdk.tf under --hcl; that file would
  // now ask for hashicorp/external and name resources that no longer exist.
  private removeDriftCompanion(session: ISynthesisSession): void {
    const stack = TerraformStack.of(this);
    const stackDir = join(session.outdir, session.manifest.forStack(stack).workingDirectory);
    rmSync(join(stackDir, `${driftCheckName(this.node.id)}.check.tf.json`), { force: true });
    removeStaleDeliveryCompanion(stack, session);
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
    return `${JOB_RESOURCE_TYPE}.${job.resourceName}`;
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

  // The provider's files are written once per stack, and each destination's grants are shared
  // by every construct delivering there: settings that differ cannot all be honoured.
  private validateShared(problem: (field: string, value: unknown, message: string) => void): void {
    const field =
      this.props.providerBundlePath === undefined && this.props.handlerBundlePath !== undefined
        ? 'handlerBundlePath'
        : 'providerBundlePath';
    if (this.shipped.bundlePath !== this.request.bundlePath) {
      problem(
        field,
        this.request.bundlePath,
        `differs from ${JSON.stringify(this.shipped.bundlePath)} of ${this.shipped.where}; the provider is shipped once per stack: use one bundle per stack`,
      );
    }
    if (this.shipped.nodeCommand !== this.request.nodeCommand) {
      problem(
        'nodeCommand',
        this.request.nodeCommand,
        `differs from ${JSON.stringify(this.shipped.nodeCommand)} of ${this.shipped.where}; the provider of a stack ` +
          'runs with one node command: give every BucketInventory of the stack the same nodeCommand',
      );
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

  // Two constructs on one bucket would register one source in the destination's grants (the
  // second replacing the first's report folders), and two with one id would synthesize the
  // same resource names.
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
