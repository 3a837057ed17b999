/**
 * `BucketInventory`: the inventory jobs of one COS bucket, as `terraform_data` resources whose
 * `local-exec` provisioners run the bundled handler (docs/terraform.md has the full contract).
 */
import { Lazy, TerraformOutput, TerraformStack, Token, type TerraformAsset } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { DESTINATION_ARN_PATTERN, isValidBucketName, isValidRegion, parseBucketName } from '../model/bucket';
import { compareStrings } from '../model/canonical';
import type { InventoryConfiguration } from '../model/configuration';
import { formatProblem, type Problem } from '../model/problem';
import { reportPrefix } from '../model/report-location';
import { validateConfiguration, validateJobSet } from '../model/validate';
import { DestinationPolicy, type PolicyGrant } from './destination-policy';
import { DriftCheck } from './drift-check';
import { propPath } from './field-names';
import { handlerAsset, handlerCommand } from './handler-asset';
import type { InventoryJob } from './inventory-job';
import { jobConfiguration, rawConfiguration, resolveDestination } from './job-configuration';
import {
  driftCheckName,
  jobResourceName,
  nameFragment,
  pruneResourceName,
  reportOutputName,
} from './logical-names';
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
   * @default true
   */
  readonly driftCheck?: boolean;
  /**
   * Whether the drift check also warns about jobs whose reports stop arriving: an enabled job
   * with no delivery within its schedule plus a margin (daily 2 days, weekly 8, monthly 32), with
   * none yet, or whose destination refuses the listing. Costs, at every plan, one folder listing
   * of each enabled job's report folder in its destination and one HEAD of its newest manifest;
   * the key needs `name/cos:GetBucket` and `name/cos:HeadObject` on the destination buckets.
   * Needs `driftCheck`.
   * @default false
   */
  readonly deliveryCheck?: boolean;
  /**
   * Whether to add an output per job holding its report location.
   * @default true
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
}

interface DeclaredJob {
  readonly job: InventoryJob;
  readonly configuration: InventoryConfiguration;
  readonly resource: TerraformData;
  readonly resourceName: string;
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
  public readonly pruneResource: TerraformData;
  /** The drift check, unless `driftCheck: false`. */
  public readonly driftCheck?: DriftCheck;

  private readonly props: BucketInventoryProps;
  private readonly asset: TerraformAsset;
  private readonly nodeCommand: string;
  private readonly jobs: DeclaredJob[] = [];

  public constructor(scope: Construct, id: string, props: BucketInventoryProps) {
    super(scope, id);
    Object.defineProperty(this, BUCKET_INVENTORY, { value: true });
    this.props = props;
    this.bucket = props.bucket;
    this.region = props.region;
    this.nodeCommand = props.nodeCommand ?? 'node';
    this.asset = handlerAsset(this, props.handlerBundlePath);

    const pruneInput = {
      bucket: this.bucket,
      region: this.region,
      ids: Lazy.listValue({ produce: () => this.jobIds }),
    };
    this.pruneResource = new TerraformData(this, 'Prune', { input: pruneInput, triggersReplace: pruneInput });
    this.pruneResource.overrideLogicalId(pruneResourceName(id));
    this.pruneResource.addOverride('provisioner', [
      destroyProvisioner(
        this.command('prune'),
        Lazy.stringValue({
          // `desired` is a literal of the CURRENT configuration; `previous` is the old state.
          produce: () =>
            specExpression({
              bucket: 'self.input.bucket',
              region: 'self.input.region',
              previous: 'self.input.ids',
              desired: stringTupleExpression(this.jobIds),
            }),
        }),
      ),
    ]);

    if (props.driftCheck !== false) {
      this.driftCheck = new DriftCheck(this, 'DriftCheck', {
        name: driftCheckName(id),
        bucket: this.bucket,
        region: this.region,
        asset: this.asset,
        nodeCommand: this.nodeCommand,
        configurations: () => this.sortedJobs().map((j) => j.configuration),
        addresses: () => Object.fromEntries(this.sortedJobs().map((j) => [j.job.id, this.addressOf(j)])),
        dependsOn: () => this.sortedJobs().map((j) => this.addressOf(j)),
        deliveryCheck: props.deliveryCheck === true,
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
        })
      : undefined;
    policy?.grant(this.bucket, () => this.grantFor(policy));

    const input = {
      bucket: this.bucket,
      region: this.region,
      id: job.id,
      configuration: escapeTemplates(configuration),
    };
    const resource = new TerraformData(this, this.uniqueChildId(`Job-${job.id}`), {
      input,
      triggersReplace: input,
      dependsOn: policy ? [policy.resource, policy.release] : undefined,
    });
    const resourceName = jobResourceName(this.node.id, job.id);
    resource.overrideLogicalId(resourceName);
    resource.addOverride('provisioner', [
      createProvisioner(
        this.command('put-job'),
        specExpression({
          bucket: 'self.input.bucket',
          region: 'self.input.region',
          configuration: 'self.input.configuration',
        }),
      ),
      destroyProvisioner(
        this.command('delete-job'),
        specExpression({ bucket: 'self.input.bucket', region: 'self.input.region', id: 'self.input.id' }),
      ),
    ]);
    this.jobs.push({ job, configuration, resource, resourceName });

    if (this.props.reportOutputs !== false) {
      const output = new TerraformOutput(this, this.uniqueChildId(`Report-${job.id}`), {
        value: Lazy.stringValue({ produce: () => escapeTemplate(this.reportLocation(job.id)) }),
        description: `inventory reports of job ${job.id} of bucket ${this.bucket}`,
      });
      output.overrideLogicalId(reportOutputName(this.node.id, job.id));
    }
  }

  /** The `terraform_data` resource of a declared job. */
  public jobResource(id: string): TerraformData {
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
    const jobs = this.jobs.filter((j) => {
      const destination = resolveDestination(j.job.destination.bucket, this.region);
      return DestinationPolicy.of(this, destination) === policy;
    });
    const accountId = jobs.map((j) => j.job.destination.accountId).find((a) => a !== undefined);
    return {
      prefixes: jobs.map((j) => j.job.destination.prefix ?? ''),
      ownerUin: this.props.ownerUin ?? accountId,
      principal: this.props.policyPrincipal,
    };
  }

  private validate(): string[] {
    const subject = `bucketinventory ${this.node.path}`;
    const errors: string[] = [];
    const problem = (field: string, value: unknown, message: string): void => {
      errors.push(formatProblem({ field, value, message }, subject));
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
    if (this.props.deliveryCheck === true && this.props.driftCheck === false) {
      problem(
        'deliveryCheck',
        true,
        'needs driftCheck: the delivery verdicts are warnings of its check block',
      );
    }
    this.validateJobs(subject, errors);
    this.validatePolicy(problem);
    this.validateStack(problem);
    return errors;
  }

  private validateJobs(subject: string, errors: string[]): void {
    const configs = this.jobs.map((j) => rawConfiguration(j.job, this.region));
    this.jobs.forEach(({ job }, index) => {
      const jobSubject = `${subject}: jobs[${index}] (id ${JSON.stringify(job.id)})`;
      const report = (p: Problem): void => {
        errors.push(formatProblem({ ...p, field: propPath(p.field) }, jobSubject));
      };
      const encryption = job.destination.encryption;
      if (encryption !== undefined && encryption !== 'SSE-COS' && encryption !== 'NONE') {
        report({
          field: 'Destination.COSBucketDestination.Encryption',
          value: encryption,
          message: "must be 'SSE-COS' or 'NONE'",
        });
      }
      // Token-valued fields are left to COS: they are known only at apply.
      validateConfiguration(configs[index], { sourceRegion: this.region })
        .filter((p) => !containsToken(p.value))
        .flatMap((p) => this.inUserTerms(p, job))
        .forEach(report);
    });
    for (const p of validateJobSet(configs)) {
      const index = /^\[(\d+)\]/.exec(p.field);
      const field = index ? `jobs[${index[1]}].id` : 'jobs';
      errors.push(formatProblem({ ...p, field }, subject));
    }
    const names = new Map<string, string>();
    for (const { job, resourceName } of this.jobs) {
      const other = names.get(resourceName);
      if (other !== undefined && other !== job.id) {
        errors.push(
          formatProblem(
            {
              field: 'id',
              value: job.id,
              message: `maps to the terraform name ${resourceName} of job ${JSON.stringify(other)}; rename one`,
            },
            subject,
          ),
        );
      }
      names.set(resourceName, job.id);
    }
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
          `jobs[${index}].destination.accountId`,
          undefined,
          `job ${JSON.stringify(job.id)}: managePolicy needs ownerUin, policyPrincipal or destination.accountId ` +
            'to name the principal allowed to deliver reports (or set managePolicy: false)',
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
