import type { InventoryConfiguration } from '../model/configuration';
import { ACCOUNT_ID_PATTERN, ROLE_ARN_PATTERN } from '../model/account';
import { isValidBucketName, isValidRegion } from '../model/bucket';
import type { PolicyStatement } from '../model/policy';
import { describeValue, formatProblem } from '../model/problem';
import { validateConfiguration } from '../model/validate';
import { EXIT_USAGE, HandlerError } from './errors';

export const SPEC_VARIABLE = 'COS_INVENTORY_SPEC';

/** Inventory job ids: COS's documented characters, 64 at most (the limit S3 uses). */
export const JOB_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** A policy statement, kept exactly as given so it is written back unchanged. */
export type Statement = PolicyStatement;

export interface BucketSpec {
  readonly bucket: string;
  readonly region: string;
}
export interface JobSpec extends BucketSpec {
  readonly configuration: InventoryConfiguration;
}
export interface DeleteJobSpec extends BucketSpec {
  readonly id: string;
}
export interface PruneSpec extends BucketSpec {
  readonly previous: readonly string[];
  readonly desired: readonly string[];
  /**
   * The source bucket's policy statement sid, with the destinations (key -> bucket) it was
   * granted on at the last apply and the keys still configured: the statement is detached
   * from every destination in `destinations` whose key is not in `keepDestinations`.
   */
  readonly grants?: PruneGrants;
  /** Destination bucket -> role to edit its policy as (`policyRoleArns`). */
  readonly roleArns?: Readonly<Record<string, string>>;
}
export interface PruneGrants {
  readonly sid: string;
  readonly destinations: Readonly<Record<string, BucketSpec>>;
  readonly keepDestinations: readonly string[];
}
export interface AttachPolicySpec extends BucketSpec {
  readonly statements: readonly Statement[];
  /** A role of the destination's account to edit its policy as (`policyRoleArns`). */
  readonly roleArn?: string;
}
export interface DetachPolicySpec extends BucketSpec {
  readonly sids: readonly string[];
  /** Sids to leave in place even when listed in `sids` (the statements still configured). */
  readonly keep?: readonly string[];
  /** A role of the destination's account to edit its policy as (`policyRoleArns`). */
  readonly roleArn?: string;
}
export interface ReadQuery extends BucketSpec {
  readonly configurations: readonly InventoryConfiguration[];
  /** Job id -> Terraform resource address, for the `-replace` advice. */
  readonly addresses: Readonly<Record<string, string>>;
  /** Query `delivery_check`: also judge each declared job's newest delivery (`deliveryCheck`). */
  readonly deliveryCheck?: boolean;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A spec problem: names the verb, the field, the value received and what is allowed. */
export function specError(
  verb: string,
  field: string,
  value: unknown,
  allowed: string,
  source = SPEC_VARIABLE,
): HandlerError {
  return new HandlerError({
    code: 'InvalidSpec',
    message: `${source} field ${field}: ${allowed} (received ${describeValue(value)})`,
    hint: `${source} for ${verb} is written by the BucketInventory construct: re-synthesize the stack or fix the value by hand`,
    exitCode: EXIT_USAGE,
  });
}

/** Parses the JSON text of a spec; bad JSON is a clear error, not a stack trace. */
export function parseJsonObject(verb: string, text: string | undefined, source = SPEC_VARIABLE): Json {
  if (text === undefined || text.trim() === '') {
    throw new HandlerError({
      code: 'InvalidSpec',
      message: `${source} is empty: ${verb} needs a json object`,
      hint: `run the handler the way the BucketInventory construct does: ${source} holds the input`,
      exitCode: EXIT_USAGE,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HandlerError({
      code: 'InvalidSpec',
      message: `${source} is not valid json: ${reason}`,
      hint: `${source} for ${verb} must be one json object`,
      exitCode: EXIT_USAGE,
    });
  }
  if (!isObject(parsed)) throw specError(verb, '(root)', parsed, 'must be a json object', source);
  return parsed;
}

function bucketSpec(verb: string, spec: Json, source = SPEC_VARIABLE): BucketSpec {
  if (typeof spec.bucket !== 'string' || !isValidBucketName(spec.bucket)) {
    throw specError(
      verb,
      'bucket',
      spec.bucket,
      'must be a bucket name <name>-<appid> such as examplebucket-1250000000',
      source,
    );
  }
  if (typeof spec.region !== 'string' || !isValidRegion(spec.region)) {
    throw specError(verb, 'region', spec.region, 'must be a cos region id such as ap-guangzhou', source);
  }
  return { bucket: spec.bucket, region: spec.region };
}

function jobId(verb: string, field: string, value: unknown, source = SPEC_VARIABLE): string {
  if (typeof value !== 'string' || !JOB_ID_PATTERN.test(value)) {
    throw specError(verb, field, value, 'must be 1-64 characters from a-z A-Z 0-9 - _ .', source);
  }
  return value;
}

function idList(verb: string, spec: Json, field: string): string[] {
  const value = spec[field];
  if (!Array.isArray(value)) throw specError(verb, field, value, 'must be an array of inventory job ids');
  return value.map((id, index) => jobId(verb, `${field}[${index}]`, id));
}

function configuration(
  value: unknown,
  field: string,
  region: string,
  source = SPEC_VARIABLE,
): InventoryConfiguration {
  const problems = validateConfiguration(value, { sourceRegion: region });
  if (problems.length > 0) {
    throw new HandlerError({
      code: 'InvalidConfiguration',
      message: problems.map((problem) => formatProblem(problem, `${source} field ${field}`)).join('; '),
      hint: 'fix the inventory configuration in the BucketInventory props: nothing was sent to cos',
      exitCode: EXIT_USAGE,
    });
  }
  return value as InventoryConfiguration;
}

/** `allowedAccountIds` of any write verb's spec: the account guard (absent: no guard). */
export function parseAllowedAccountIds(verb: string, spec: Json): readonly string[] | undefined {
  const value = spec.allowedAccountIds;
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw specError(
      verb,
      'allowedAccountIds',
      value,
      'must be a non-empty array of account ids (uin digits)',
    );
  }
  return value.map((id: unknown, index) => {
    if (typeof id !== 'string' || !ACCOUNT_ID_PATTERN.test(id)) {
      throw specError(verb, `allowedAccountIds[${index}]`, id, 'must be an account id (uin digits)');
    }
    return id;
  });
}

function roleArnField(verb: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !ROLE_ARN_PATTERN.test(value)) {
    throw specError(verb, field, value, 'must be a role arn qcs::cam::uin/<uin>:roleName/<name>');
  }
  return value;
}

function optionalRoleArn(verb: string, spec: Json): { roleArn?: string } {
  return spec.roleArn === undefined ? {} : { roleArn: roleArnField(verb, 'roleArn', spec.roleArn) };
}

function optionalRoleArns(verb: string, spec: Json): { roleArns?: Record<string, string> } {
  if (spec.roleArns === undefined) return {};
  if (!isObject(spec.roleArns)) {
    throw specError(verb, 'roleArns', spec.roleArns, 'must be an object of destination bucket -> role arn');
  }
  const roleArns: Record<string, string> = {};
  for (const [bucket, arn] of Object.entries(spec.roleArns)) {
    roleArns[bucket] = roleArnField(verb, `roleArns.${bucket}`, arn);
  }
  return { roleArns };
}

export function parseJobSpec(verb: string, spec: Json): JobSpec {
  const target = bucketSpec(verb, spec);
  return {
    ...target,
    configuration: configuration(spec.configuration, 'configuration', target.region),
  };
}

export function parseDeleteJobSpec(verb: string, spec: Json): DeleteJobSpec {
  return { ...bucketSpec(verb, spec), id: jobId(verb, 'id', spec.id) };
}

export function parsePruneSpec(verb: string, spec: Json): PruneSpec {
  const base = {
    ...bucketSpec(verb, spec),
    previous: idList(verb, spec, 'previous'),
    desired: idList(verb, spec, 'desired'),
  };
  if (spec.sid === undefined && spec.destinations === undefined && spec.keepDestinations === undefined) {
    return { ...base, ...optionalRoleArns(verb, spec) };
  }
  if (typeof spec.sid !== 'string') {
    throw specError(verb, 'sid', spec.sid, 'must be a string: the statement sid of the source bucket');
  }
  // State written before destinations were tracked has none: nothing to detach then.
  const raw = spec.destinations ?? {};
  if (!isObject(raw))
    throw specError(verb, 'destinations', raw, 'must be an object of key -> {bucket, region}');
  const destinations: Record<string, BucketSpec> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!isObject(value)) {
      throw specError(verb, `destinations.${key}`, value, 'must be an object {bucket, region}');
    }
    destinations[key] = bucketSpec(verb, value);
  }
  const keep = spec.keepDestinations;
  if (!Array.isArray(keep) || keep.some((k) => typeof k !== 'string')) {
    throw specError(verb, 'keepDestinations', keep, 'must be an array of destination keys');
  }
  // State of earlier versions yields sid "" and no destinations; a destination needs a sid.
  if (spec.sid === '' && Object.keys(destinations).length > 0) {
    throw specError(verb, 'sid', spec.sid, 'must be a non-empty string when destinations are given');
  }
  return {
    ...base,
    grants: { sid: spec.sid, destinations, keepDestinations: keep as string[] },
    ...optionalRoleArns(verb, spec),
  };
}

function statementSidOf(statement: Statement): unknown {
  return 'sid' in statement ? statement.sid : statement.Sid;
}

export function parseAttachPolicySpec(verb: string, spec: Json): AttachPolicySpec {
  const target = bucketSpec(verb, spec);
  const hasOne = spec.statement !== undefined;
  const hasMany = spec.statements !== undefined;
  if (hasOne === hasMany) {
    throw specError(
      verb,
      'statement',
      spec.statement,
      'give exactly one of statement (an object) or statements (an array)',
    );
  }
  const field = hasOne ? 'statement' : 'statements';
  const list: unknown[] = hasOne ? [spec.statement] : Array.isArray(spec.statements) ? spec.statements : [];
  // An empty list is allowed (nothing to attach): a destination with no grants left must not fail.
  if (hasMany && !Array.isArray(spec.statements)) {
    throw specError(verb, field, spec.statements, 'must be an array of policy statements');
  }
  const seen = new Set<string>();
  const statements = list.map((statement, index) => {
    const where = hasOne ? field : `${field}[${index}]`;
    if (!isObject(statement)) throw specError(verb, where, statement, 'must be a policy statement object');
    const sid = statementSidOf(statement);
    if (typeof sid !== 'string' || sid === '') {
      throw specError(
        verb,
        `${where}.sid`,
        sid,
        'must be a non-empty string: statements are found again by sid',
      );
    }
    if (seen.has(sid)) throw specError(verb, `${where}.sid`, sid, 'must be unique among the statements');
    seen.add(sid);
    return statement;
  });
  return { ...target, statements, ...optionalRoleArn(verb, spec) };
}

export function parseDetachPolicySpec(verb: string, spec: Json): DetachPolicySpec {
  const target = bucketSpec(verb, spec);
  const hasOne = spec.sid !== undefined;
  const hasMany = spec.sids !== undefined;
  if (hasOne === hasMany)
    throw specError(verb, 'sid', spec.sid, 'give exactly one of sid (a string) or sids (an array)');
  const list: unknown[] = hasOne ? [spec.sid] : Array.isArray(spec.sids) ? spec.sids : [];
  if (hasMany && !Array.isArray(spec.sids)) {
    throw specError(verb, 'sids', spec.sids, 'must be an array of statement sids');
  }
  const sids = list.map((sid, index) => {
    if (typeof sid !== 'string' || sid === '') {
      throw specError(verb, hasOne ? 'sid' : `sids[${index}]`, sid, 'must be a non-empty string');
    }
    return sid;
  });
  if (spec.keep === undefined) return { ...target, sids, ...optionalRoleArn(verb, spec) };
  if (!Array.isArray(spec.keep)) {
    throw specError(verb, 'keep', spec.keep, 'must be an array of statement sids');
  }
  const keep = spec.keep.map((sid: unknown, index) => {
    if (typeof sid !== 'string' || sid === '') {
      throw specError(verb, `keep[${index}]`, sid, 'must be a non-empty string');
    }
    return sid;
  });
  return { ...target, sids, keep, ...optionalRoleArn(verb, spec) };
}

export const READ_QUERY_SOURCE = 'query';

/** Every key of the read query: anything else is a typo, refused rather than ignored. */
export const READ_QUERY_KEYS: readonly string[] = [
  'bucket',
  'region',
  'configurations',
  'addresses',
  'delivery_check',
];

/** The `external` data source query: a flat object of strings, two of them JSON-encoded. */
export function parseReadQuery(verb: string, text: string): ReadQuery {
  const source = READ_QUERY_SOURCE;
  const query = parseJsonObject(verb, text, source);
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string')
      throw specError(
        verb,
        key,
        value,
        'must be a string (the external data source passes strings only)',
        source,
      );
  }
  for (const key of Object.keys(query)) {
    if (!READ_QUERY_KEYS.includes(key)) {
      throw specError(
        verb,
        key,
        query[key],
        `is not a field of the read query: expected only ${READ_QUERY_KEYS.join(', ')}`,
        source,
      );
    }
  }
  const target = bucketSpec(verb, query, source);
  if (query.configurations === undefined) {
    // Without it every declared job would be missing from the comparison and read "in sync".
    throw specError(
      verb,
      'configurations',
      undefined,
      'is required: a json array of the declared inventory configurations ("[]" for none)',
      source,
    );
  }
  const rawConfigurations = parseEmbeddedJson(verb, query, 'configurations', '[]');
  if (!Array.isArray(rawConfigurations)) {
    throw specError(
      verb,
      'configurations',
      rawConfigurations,
      'must be a json array of inventory configurations',
      source,
    );
  }
  const seen = new Set<string>();
  const configurations = rawConfigurations.map((config, index) => {
    const parsed = configuration(config, `configurations[${index}]`, target.region, source);
    if (seen.has(parsed.Id))
      throw specError(
        verb,
        `configurations[${index}].Id`,
        parsed.Id,
        'must be unique among the configurations',
        source,
      );
    seen.add(parsed.Id);
    return parsed;
  });
  const rawAddresses = parseEmbeddedJson(verb, query, 'addresses', '{}');
  if (!isObject(rawAddresses))
    throw specError(
      verb,
      'addresses',
      rawAddresses,
      'must be a json object of job id to resource address',
      source,
    );
  const addresses: Record<string, string> = {};
  for (const [id, address] of Object.entries(rawAddresses)) {
    if (typeof address !== 'string' || address === '') {
      throw specError(
        verb,
        `addresses.${id}`,
        address,
        'must be a terraform resource address string',
        source,
      );
    }
    addresses[id] = address;
  }
  const deliveryCheck = query.delivery_check;
  if (deliveryCheck !== undefined && deliveryCheck !== 'true' && deliveryCheck !== 'false') {
    throw specError(verb, 'delivery_check', deliveryCheck, "must be 'true' or 'false'", source);
  }
  return {
    ...target,
    configurations,
    addresses,
    ...(deliveryCheck === 'true' ? { deliveryCheck: true } : {}),
  };
}

function parseEmbeddedJson(verb: string, query: Json, field: string, fallback: string): unknown {
  const text = query[field];
  const json = typeof text === 'string' && text.trim() !== '' ? text : fallback;
  try {
    return JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw specError(verb, field, text, `must be json text (${reason})`, READ_QUERY_SOURCE);
  }
}
