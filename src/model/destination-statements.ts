/**
 * The statements of ONE destination bucket's policy that let COS deliver the reports of every
 * source bucket sending there, kept within the policy's size limits.
 *
 * Least privilege while it fits: each source's exact report folder
 * (`<prefix>/<source appid>/<source name>/*`), one statement per principal set. Only when the
 * statements exceed the policy limit do folders sharing a non-empty root collapse to
 * `<root>/*`, deepest root first (the smallest widening), never to the bucket root. If even the
 * most compact form is too large, `problem` says so at synth, before any apply fails.
 *
 * Counting: bytes of the compact JSON (`JSON.stringify`, as `cos-nodejs-sdk-v5` sends a policy)
 * of a document holding only these statements. COS's stored form capitalises keys (same length)
 * and adds a `Sid` only where none was written (ours all have one), so the count is what COS
 * stores for them.
 *
 * No margin for foreign statements: synth cannot know them, and any fixed margin would be wrong
 * both ways: it would widen access (collapse) for the common dedicated report bucket that has
 * none, yet not cover a bucket whose own policy is large. A policy pushed over the limit by
 * foreign statements is refused by COS's PUT at apply, and that error names the bucket.
 */
import { isValidRegion, parseBucketName } from './bucket';
import {
  INVENTORY_ACTION,
  InventoryPolicyStatement,
  inventoryPolicyStatement,
  POLICY_VERSION,
  SID_PREFIX,
} from './policy';
import { Problem } from './problem';

/** The sources granted by one principal set (after the construct resolved the default principal). */
export interface SourceGrant {
  /** `<name>-<appid>` of the bucket being inventoried. */
  readonly sourceBucket: string;
  /** Destination prefixes of that source's jobs; '' means the default prefix. */
  readonly prefixes: readonly string[];
  /** The CAM principals COS delivers as. */
  readonly principal: readonly string[];
}

export interface DestinationStatementsInput {
  /** Literal `<name>-<appid>` of the destination bucket. */
  readonly destinationBucket: string;
  readonly destinationRegion: string;
  /** Readable, stable scope of the statements' sids; the construct passes the stack's name. */
  readonly sidScope: string;
  readonly grants: readonly SourceGrant[];
}

export interface DestinationStatements {
  /**
   * Sorted by principal set, sids `cosInventory-<scope>`, `-2`, `-3`...: one per principal set,
   * more when one set's resources exceed {@link POLICY_STATEMENT_LIMIT_BYTES}.
   */
  readonly statements: readonly InventoryPolicyStatement[];
  /** Bytes of `{"version":"2.0","statement":[...these...]}` as the SDK sends and COS stores it. */
  readonly bytes: number;
  /** Whether report folders were collapsed to shared roots to fit. */
  readonly collapsed: boolean;
  /** Set when even the most compact form exceeds a limit: the size, the counts, the way out. */
  readonly problem?: Problem;
}

/**
 * Size limit of a whole bucket policy. An ASSUMPTION for COS: this is Amazon S3's documented
 * 20 KB; no Tencent document gives a figure for the whole document (the fidelity table of
 * docs/local-cos.md says so). The emulator's `MAX_POLICY_BYTES` is the same number.
 */
export const POLICY_SIZE_LIMIT_BYTES = 20480;

/**
 * Size limit of ONE statement: Tencent's "PUT Bucket policy" API document (436/8282, 2025-01)
 * says a single statement in the request body may not exceed 4095 bytes. A principal set whose
 * resources exceed it is split over several statements.
 */
export const POLICY_STATEMENT_LIMIT_BYTES = 4095;

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * Letters, digits and hyphens only: COS documents no sid alphabet, and these are the characters
 * of the sids this library already writes (bucket names), safe in any policy language. Runs of
 * anything else (a stack name may hold `_` or `.`) become one hyphen.
 */
function sanitizeScope(scope: string): string {
  const clean = scope.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  if (clean === '') {
    throw new Error(
      `destinationStatements: sidScope ${JSON.stringify(scope)} is not valid: ` +
        'expected a name with at least one letter or digit, such as the stack name',
    );
  }
  return clean;
}

/** The resources of one principal set, as paths below the bucket (`a/b/c` stands for `a/b/c/*`). */
interface Group {
  readonly key: string;
  readonly principal: readonly string[];
  paths: string[];
}

/** Drops duplicates and paths inside another path of the same list; sorted. */
function withoutCovered(paths: Iterable<string>): string[] {
  const all = new Set(paths);
  return [...all]
    .filter((path) => {
      for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
        if (all.has(path.slice(0, i))) return false;
      }
      return true;
    })
    .sort();
}

function statementOf(
  sid: string,
  principal: readonly string[],
  resources: readonly string[],
): InventoryPolicyStatement {
  return {
    sid,
    effect: 'allow',
    principal: { qcs: [...principal] },
    action: [INVENTORY_ACTION],
    resource: resources,
  };
}

const sidOfNumber = (scope: string, n: number): string =>
  n === 1 ? `${SID_PREFIX}${scope}` : `${SID_PREFIX}${scope}-${n}`;

/**
 * The statements, in group order, each group's sorted resources packed in order into as few
 * statements as the per-statement limit allows. A single resource that alone exceeds that limit
 * still gets a statement of its own: the caller reports it.
 */
function build(
  groups: readonly Group[],
  base: string,
  scope: string,
): { statements: InventoryPolicyStatement[]; bytes: number } {
  const statements: InventoryPolicyStatement[] = [];
  for (const group of groups) {
    let chunk: string[] = [];
    let size = 0;
    const emptySize = (): number =>
      byteLength(JSON.stringify(statementOf(sidOfNumber(scope, statements.length + 1), group.principal, [])));
    for (const path of group.paths) {
      const resource = `${base}${path}/*`;
      const cost = byteLength(JSON.stringify(resource));
      if (chunk.length === 0) {
        size = emptySize() + cost;
      } else if (size + 1 + cost > POLICY_STATEMENT_LIMIT_BYTES) {
        statements.push(statementOf(sidOfNumber(scope, statements.length + 1), group.principal, chunk));
        chunk = [];
        size = emptySize() + cost;
      } else {
        size += 1 + cost;
      }
      chunk.push(resource);
    }
    if (chunk.length > 0) {
      statements.push(statementOf(sidOfNumber(scope, statements.length + 1), group.principal, chunk));
    }
  }
  const bytes =
    statements.length === 0
      ? 0
      : byteLength(JSON.stringify({ version: POLICY_VERSION, statement: statements }));
  return { statements, bytes };
}

interface Candidate {
  readonly group: Group;
  readonly root: string;
  readonly depth: number;
  readonly saving: number;
}

/**
 * Every non-empty folder above two or more of a group's paths, with the bytes its collapse
 * saves (each resource in the list costs its quoted length plus a comma).
 */
function candidates(groups: readonly Group[], base: string): Candidate[] {
  const found: Candidate[] = [];
  const cost = (path: string): number => byteLength(JSON.stringify(`${base}${path}/*`)) + 1;
  for (const group of groups) {
    const covered = new Map<string, { count: number; bytes: number }>();
    for (const path of group.paths) {
      for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
        const root = path.slice(0, i);
        const entry = covered.get(root) ?? { count: 0, bytes: 0 };
        entry.count += 1;
        entry.bytes += cost(path);
        covered.set(root, entry);
      }
    }
    for (const [root, { count, bytes }] of covered) {
      if (count >= 2) {
        found.push({ group, root, depth: root.split('/').length, saving: bytes - cost(root) });
      }
    }
  }
  return found;
}

// Deepest first (the narrowest widening of access), then the biggest saving, then by name.
function better(a: Candidate, b: Candidate): boolean {
  if (a.depth !== b.depth) return a.depth > b.depth;
  if (a.saving !== b.saving) return a.saving > b.saving;
  if (a.group.key !== b.group.key) return a.group.key < b.group.key;
  return a.root < b.root;
}

function overLimit(result: { statements: InventoryPolicyStatement[]; bytes: number }): boolean {
  return (
    result.bytes > POLICY_SIZE_LIMIT_BYTES ||
    result.statements.some((s) => byteLength(JSON.stringify(s)) > POLICY_STATEMENT_LIMIT_BYTES)
  );
}

/** The statements granting every source's report folder on one destination bucket. */
export function destinationStatements(input: DestinationStatementsInput): DestinationStatements {
  const scope = sanitizeScope(input.sidScope);
  const destination = parseBucketName(input.destinationBucket);
  if (!isValidRegion(input.destinationRegion)) {
    throw new Error(
      `destinationStatements: destinationRegion ${JSON.stringify(input.destinationRegion)} is not valid: ` +
        'expected a cos region id such as "ap-guangzhou"',
    );
  }
  const base = `qcs::cos:${input.destinationRegion}:uid/${destination.appId}:${input.destinationBucket}/`;

  const byPrincipal = new Map<string, Group>();
  const sources = new Set<string>();
  for (const grant of input.grants) {
    // The single-source statement validates buckets, region, prefixes and principal for us.
    const single = inventoryPolicyStatement({
      destinationBucket: input.destinationBucket,
      destinationRegion: input.destinationRegion,
      sourceBucket: grant.sourceBucket,
      prefixes: grant.prefixes,
      principal: grant.principal,
    });
    sources.add(grant.sourceBucket);
    const principal = [...new Set(grant.principal)].sort();
    const key = JSON.stringify(principal);
    const group = byPrincipal.get(key) ?? { key, principal, paths: [] };
    group.paths.push(...single.resource.map((resource) => resource.slice(base.length, -'/*'.length)));
    byPrincipal.set(key, group);
  }
  const groups = [...byPrincipal.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const group of groups) group.paths = withoutCovered(group.paths);
  const exactResources = groups.reduce((sum, g) => sum + g.paths.length, 0);

  let result = build(groups, base, scope);
  let collapsed = false;
  while (overLimit(result)) {
    const best = candidates(groups, base).reduce<Candidate | undefined>(
      (winner, c) => (winner === undefined || better(c, winner) ? c : winner),
      undefined,
    );
    if (best === undefined) break;
    best.group.paths = withoutCovered([...best.group.paths, best.root]);
    collapsed = true;
    result = build(groups, base, scope);
  }
  if (!overLimit(result)) return { ...result, collapsed };

  const resources = result.statements.reduce((sum, s) => sum + s.resource.length, 0);
  const largest = Math.max(...result.statements.map((s) => byteLength(JSON.stringify(s))));
  const what =
    result.bytes > POLICY_SIZE_LIMIT_BYTES
      ? `are ${result.bytes} bytes; a bucket policy may hold at most ${POLICY_SIZE_LIMIT_BYTES} bytes`
      : `hold a statement of ${largest} bytes; one statement may hold at most ${POLICY_STATEMENT_LIMIT_BYTES} bytes`;
  return {
    ...result,
    collapsed,
    problem: {
      field: 'destination.bucket',
      value: input.destinationBucket,
      message:
        `the statements letting cos deliver the reports of ${sources.size} source buckets ` +
        `(${exactResources} report folders, ${resources} resources in the most compact form) ${what}: ` +
        'give the sources of a team one shared destination prefix root (such as "inventory/<team>/<source>"), ' +
        'shorten the prefixes, or deliver to more destination buckets',
    },
  };
}
