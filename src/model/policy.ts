/**
 * The destination-bucket policy statement that lets COS deliver a source bucket's reports,
 * and pure edits of a whole policy document (COS replaces the whole policy on every PUT, so
 * callers read, edit with these, and write back).
 *
 * What COS needs is not precisely documented. Our assumption (cos-api-notes "Bucket policy"):
 * COS writes reports as the owner's service role `COS_QcsRole`, so the default grants that
 * role `PutObject` below the source's report folder only. The principal can be overridden.
 */
import { isValidRegion, parseBucketName } from './bucket';
import { DEFAULT_REPORT_PREFIX } from './report-location';

/** Any statement, ours or someone else's: unknown keys are preserved untouched. */
export interface PolicyStatement {
  readonly sid?: string;
  readonly Sid?: string;
  readonly [key: string]: unknown;
}

/** A statement this library writes. */
export interface InventoryPolicyStatement extends PolicyStatement {
  readonly sid: string;
  readonly effect: 'allow';
  readonly principal: { readonly qcs: readonly string[] };
  readonly action: readonly string[];
  readonly resource: readonly string[];
}

/** A bucket policy as `getBucketPolicy` returns it; docs and servers mix key casing. */
export interface PolicyDocument {
  readonly version?: string;
  readonly statement?: readonly PolicyStatement[];
  readonly Statement?: readonly PolicyStatement[];
  readonly [key: string]: unknown;
}

export const POLICY_VERSION = '2.0';
export const INVENTORY_ACTION = 'name/cos:PutObject';
export const SID_PREFIX = 'cosInventory-';

export interface InventoryPolicyInput {
  /** `<name>-<appid>` of the bucket receiving reports. */
  readonly destinationBucket: string;
  readonly destinationRegion: string;
  /** `<name>-<appid>` of the bucket being inventoried. */
  readonly sourceBucket: string;
  /** Destination prefixes used by that source's jobs; '' means the default prefix. */
  readonly prefixes: readonly string[];
  /** UIN of the destination bucket's owner, for the default principal. */
  readonly ownerUin?: string;
  /** Overrides the default principal `qcs::cam::uin/<ownerUin>:roleName/COS_QcsRole`. */
  readonly principal?: readonly string[];
}

/**
 * `cosInventory-<source-bucket>`: stable per source bucket, readable in the console, and made
 * only of letters, digits and hyphens (bucket names allow nothing else), which we read as safe
 * for COS policy sids.
 */
export function statementSid(sourceBucket: string): string {
  parseBucketName(sourceBucket);
  return `${SID_PREFIX}${sourceBucket}`;
}

/** The default principal: the owner account's COS service role. */
export function defaultInventoryPrincipal(ownerUin: string): string {
  return `qcs::cam::uin/${ownerUin}:roleName/COS_QcsRole`;
}

/** The statement allowing delivery of `sourceBucket`'s reports under each prefix. */
export function inventoryPolicyStatement(input: InventoryPolicyInput): InventoryPolicyStatement {
  const destination = parseBucketName(input.destinationBucket);
  const source = parseBucketName(input.sourceBucket);
  if (!isValidRegion(input.destinationRegion)) {
    throw new Error(
      `inventoryPolicyStatement: destinationRegion ${JSON.stringify(input.destinationRegion)} is not valid: ` +
        'expected a cos region id such as "ap-guangzhou"',
    );
  }
  if (input.prefixes.length === 0) {
    throw new Error('inventoryPolicyStatement: prefixes is empty: expected at least one destination prefix');
  }
  let principal: readonly string[];
  if (input.principal !== undefined) {
    if (input.principal.length === 0 || input.principal.some((p) => typeof p !== 'string' || p === '')) {
      throw new Error(
        `inventoryPolicyStatement: principal ${JSON.stringify(input.principal)} is not valid: ` +
          'expected a non-empty list of cam principals',
      );
    }
    principal = [...input.principal];
  } else if (input.ownerUin !== undefined && /^[0-9]+$/.test(input.ownerUin)) {
    principal = [defaultInventoryPrincipal(input.ownerUin)];
  } else {
    throw new Error(
      `inventoryPolicyStatement: ownerUin ${JSON.stringify(input.ownerUin)} is not valid: ` +
        'expected the destination owner uin (digits) or an explicit principal',
    );
  }
  const folders = [...new Set(input.prefixes.map((p) => (p ? p : DEFAULT_REPORT_PREFIX)))].sort();
  const base = `qcs::cos:${input.destinationRegion}:uid/${destination.appId}:${input.destinationBucket}`;
  return {
    sid: statementSid(input.sourceBucket),
    effect: 'allow',
    principal: { qcs: principal },
    action: [INVENTORY_ACTION],
    resource: folders.map((prefix) => `${base}/${prefix}/${source.appId}/${source.name}/*`),
  };
}

/** The sid of a statement, whichever casing the server used. */
export function sidOf(statement: PolicyStatement): string | undefined {
  const sid = statement.sid ?? statement.Sid;
  return typeof sid === 'string' ? sid : undefined;
}

/** The key holding the statements: keep the document's own casing. */
function statementKey(doc: PolicyDocument): 'statement' | 'Statement' {
  return !('statement' in doc) && 'Statement' in doc ? 'Statement' : 'statement';
}

function statementsOf(doc: PolicyDocument): readonly PolicyStatement[] {
  const list: unknown = doc[statementKey(doc)];
  if (Array.isArray(list)) return list as readonly PolicyStatement[];
  // A lone statement written as an object instead of a one-element list is still a statement.
  return typeof list === 'object' && list !== null ? [list as PolicyStatement] : [];
}

/** The statement with that sid, if any. */
export function findStatement(doc: PolicyDocument | undefined, sid: string): PolicyStatement | undefined {
  return doc ? statementsOf(doc).find((s) => sidOf(s) === sid) : undefined;
}

/** A copy of `doc` with its statements replaced, every other key kept in place. */
function withStatements(doc: PolicyDocument, statements: readonly PolicyStatement[]): PolicyDocument {
  const key = statementKey(doc);
  const hasVersion = 'version' in doc || 'Version' in doc;
  const result: Record<string, unknown> = hasVersion ? {} : { version: POLICY_VERSION };
  for (const [k, v] of Object.entries(doc)) result[k] = k === key ? statements : v;
  if (!(key in result)) result[key] = statements;
  return result as PolicyDocument;
}

/**
 * Adds `statement`, or replaces the statement(s) with its sid in place; every other statement
 * stays the same object at the same position.
 */
export function upsertStatement(doc: PolicyDocument | undefined, statement: PolicyStatement): PolicyDocument {
  const sid = sidOf(statement);
  if (sid === undefined) throw new Error('upsertStatement: statement has no sid: expected a string sid');
  if (doc === undefined) return { version: POLICY_VERSION, statement: [statement] };
  const current = statementsOf(doc);
  const index = current.findIndex((s) => sidOf(s) === sid);
  const next =
    index < 0
      ? [...current, statement]
      : current.flatMap((s, i) => (i === index ? [statement] : sidOf(s) === sid ? [] : [s]));
  return withStatements(doc, next);
}

/** Removes the statement(s) with `sid`; `undefined` when no statement is left. */
export function removeStatement(doc: PolicyDocument | undefined, sid: string): PolicyDocument | undefined {
  if (doc === undefined) return undefined;
  const current = statementsOf(doc);
  const next = current.filter((s) => sidOf(s) !== sid);
  if (next.length === 0) return undefined;
  return next.length === current.length ? doc : withStatements(doc, next);
}
