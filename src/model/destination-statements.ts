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

/** One statement-to-be: a run of a group's paths and its exact size in bytes. */
interface Chunk {
  readonly group: Group;
  readonly paths: string[];
  size: number;
}

interface Layout {
  readonly chunks: readonly Chunk[];
  /** Bytes of `{"version":"2.0","statement":[...]}` holding every chunk's statement. */
  readonly bytes: number;
}

/**
 * Sizes of statements and resources, measured once each: the collapse loop re-packs after
 * every step, and stringifying thousands of resources each time would make synth quadratic.
 */
class Sizer {
  private readonly costs = new Map<string, number>();
  private readonly wrapper = byteLength(JSON.stringify({ version: POLICY_VERSION, statement: [] }));

  constructor(
    private readonly base: string,
    private readonly scope: string,
  ) {}

  resource(path: string): string {
    return `${this.base}${path}/*`;
  }

  /** A resource's bytes in a list: its quoted JSON string (a comma is counted by the caller). */
  cost(path: string): number {
    let cost = this.costs.get(path);
    if (cost === undefined) {
      cost = byteLength(JSON.stringify(this.resource(path)));
      this.costs.set(path, cost);
    }
    return cost;
  }

  /** The bytes of statement `n` with an empty resource list; each resource adds cost + comma. */
  envelope(n: number, principal: readonly string[]): number {
    return byteLength(JSON.stringify(statementOf(sidOfNumber(this.scope, n), principal, [])));
  }

  /**
   * Each group's sorted paths packed in order into as few statements as the per-statement
   * limit allows. A single resource that alone exceeds that limit still gets a statement of
   * its own: the caller reports it.
   */
  pack(groups: readonly Group[]): Layout {
    const chunks: Chunk[] = [];
    for (const group of groups) {
      let chunk: Chunk | undefined;
      for (const path of group.paths) {
        const cost = this.cost(path);
        if (chunk !== undefined && chunk.size + 1 + cost <= POLICY_STATEMENT_LIMIT_BYTES) {
          chunk.paths.push(path);
          chunk.size += 1 + cost;
        } else {
          chunk = { group, paths: [path], size: this.envelope(chunks.length + 1, group.principal) + cost };
          chunks.push(chunk);
        }
      }
    }
    const inside = chunks.reduce((sum, c) => sum + c.size, 0) + Math.max(chunks.length - 1, 0);
    return { chunks, bytes: chunks.length === 0 ? 0 : this.wrapper + inside };
  }

  /** The layout's bytes less every statement envelope: what any packing of these paths exceeds. */
  floor(groups: readonly Group[]): number {
    const paths = groups.flatMap((g) => g.paths);
    return paths.length === 0 ? 0 : this.wrapper + paths.reduce((sum, p) => sum + this.cost(p) + 1, 0) - 1;
  }

  statements(layout: Layout): InventoryPolicyStatement[] {
    return layout.chunks.map((chunk, i) =>
      statementOf(
        sidOfNumber(this.scope, i + 1),
        chunk.group.principal,
        chunk.paths.map((path) => this.resource(path)),
      ),
    );
  }
}

const overLimit = (layout: Layout): boolean =>
  layout.bytes > POLICY_SIZE_LIMIT_BYTES || layout.chunks.some((c) => c.size > POLICY_STATEMENT_LIMIT_BYTES);

interface Candidate {
  readonly group: Group;
  readonly root: string;
  readonly saving: number;
}

/**
 * The folders `depth` segments deep above two or more of a group's paths, with the bytes their
 * collapse saves, biggest saving first, then by principal set and name. Folders of one depth
 * are disjoint, so collapsing one leaves the others' savings as they are.
 */
function candidatesAt(groups: readonly Group[], depth: number, sizer: Sizer): Candidate[] {
  const found: Candidate[] = [];
  for (const group of groups) {
    const covered = new Map<string, { count: number; bytes: number }>();
    for (const path of group.paths) {
      const segments = path.split('/');
      // Never the bucket root, nor a folder with an empty name (`a//b`).
      if (segments.length <= depth || segments.slice(0, depth).includes('')) continue;
      const root = segments.slice(0, depth).join('/');
      const entry = covered.get(root) ?? { count: 0, bytes: 0 };
      entry.count += 1;
      entry.bytes += sizer.cost(path) + 1;
      covered.set(root, entry);
    }
    for (const [root, { count, bytes }] of covered) {
      if (count >= 2) found.push({ group, root, saving: bytes - sizer.cost(root) - 1 });
    }
  }
  return found.sort((a, b) => {
    if (a.saving !== b.saving) return b.saving - a.saving;
    if (a.group.key !== b.group.key) return a.group.key < b.group.key ? -1 : 1;
    return a.root < b.root ? -1 : a.root > b.root ? 1 : 0;
  });
}

/**
 * Replaces each group's paths under the `depth`-segment roots chosen for it by the roots
 * themselves, kept sorted. Applied once per batch: a collapse at a time would make thousands of
 * folders quadratic.
 */
function collapseAll(chosen: Map<Group, Set<string>>, depth: number): void {
  for (const [group, roots] of chosen) {
    const kept = group.paths.filter((path) => !roots.has(path.split('/').slice(0, depth).join('/')));
    group.paths = [...kept, ...roots].sort();
  }
  chosen.clear();
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

  const sizer = new Sizer(base, scope);
  let layout = sizer.pack(groups);
  let packed = true;
  // The size without statement envelopes, kept exact across collapses: while even it is over
  // the limit, re-packing is pointless (this keeps thousands of folders linear, not quadratic).
  let floor = sizer.floor(groups);
  const over = (): boolean => {
    if (floor > POLICY_SIZE_LIMIT_BYTES) return true;
    if (!packed) layout = sizer.pack(groups);
    packed = true;
    return overLimit(layout);
  };
  let collapsed = false;
  // Deepest roots first: the narrowest widening of access; stop as soon as it fits.
  const deepest = groups.reduce(
    (max, g) => g.paths.reduce((m, p) => Math.max(m, p.split('/').length - 1), max),
    0,
  );
  const chosen = new Map<Group, Set<string>>();
  for (let depth = deepest; depth >= 1 && over(); depth--) {
    for (const candidate of candidatesAt(groups, depth, sizer)) {
      if (floor <= POLICY_SIZE_LIMIT_BYTES) {
        collapseAll(chosen, depth);
        if (!over()) break;
      }
      const roots = chosen.get(candidate.group) ?? new Set<string>();
      chosen.set(candidate.group, roots.add(candidate.root));
      floor -= candidate.saving;
      packed = false;
      collapsed = true;
    }
    collapseAll(chosen, depth);
  }
  if (!packed) layout = sizer.pack(groups);
  const statements = sizer.statements(layout);
  const result = { statements, bytes: layout.bytes };
  if (!overLimit(layout)) return { ...result, collapsed };

  const resources = result.statements.reduce((sum, s) => sum + s.resource.length, 0);
  const largest = Math.max(...layout.chunks.map((c) => c.size));
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
