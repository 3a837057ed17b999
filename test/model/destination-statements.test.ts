import {
  destinationStatements,
  POLICY_SIZE_LIMIT_BYTES,
  POLICY_STATEMENT_LIMIT_BYTES,
  type DestinationStatementsInput,
  type SourceGrant,
} from '../../src/model';

const ROLE = 'qcs::cam::uin/100000000001:roleName/COS_QcsRole';
const OTHER = 'qcs::cam::uin/100000000002:roleName/COS_QcsRole';
const DEST = 'central-reports-1250000000';
const BASE = `qcs::cos:ap-guangzhou:uid/1250000000:${DEST}/`;
const pad = (n: number, width = 3): string => String(n).padStart(width, '0');
const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

const input = (grants: readonly SourceGrant[], sidScope = 'inventory-stack'): DestinationStatementsInput => ({
  destinationBucket: DEST,
  destinationRegion: 'ap-guangzhou',
  sidScope,
  grants,
});

/** `count` sources `source-NNN-1250000000`, each delivering under `prefix(i)`. */
const sources = (count: number, prefix: (i: number) => string, principal = [ROLE]): SourceGrant[] =>
  Array.from({ length: count }, (_, i) => ({
    sourceBucket: `source-${pad(i)}-1250000000`,
    prefixes: [prefix(i)],
    principal,
  }));

const resourcesOf = (result: ReturnType<typeof destinationStatements>): string[] =>
  result.statements.flatMap((s) => [...s.resource]);

// A lower bound of the exact form's size: each exact resource quoted, plus a comma.
const exactLowerBound = (grants: readonly SourceGrant[]): number =>
  grants.reduce(
    (sum, g) =>
      sum +
      g.prefixes.reduce(
        (s, p) => s + bytes(`${BASE}${p}/1250000000/${g.sourceBucket.replace(/-\d+$/, '')}/*`) + 1,
        0,
      ),
    0,
  );

describe('destinationStatements at scale', () => {
  it('fits 200 source buckets, each with its own prefix under a shared root, by collapsing to that root', () => {
    // Measured: exact, 200 folders of about 100 bytes need about 23.3 KB (each half of 100
    // sources alone measures 11,654 bytes in 3 statements), over the 20480 limit; collapsed to
    // the shared root `inventory/*`, one statement and 282 bytes.
    const grants = sources(200, (i) => `inventory/source-${pad(i)}`);
    expect(exactLowerBound(grants)).toBeGreaterThan(20000);
    const result = destinationStatements(input(grants));
    expect(result.problem).toBeUndefined();
    expect(result.collapsed).toBe(true);
    expect(result.bytes).toBe(282);
    expect(result.bytes).toBeLessThanOrEqual(POLICY_SIZE_LIMIT_BYTES);
    expect(result.statements).toEqual([
      {
        sid: 'cosInventory-inventory-stack',
        effect: 'allow',
        principal: { qcs: [ROLE] },
        action: ['name/cos:PutObject'],
        resource: [`${BASE}inventory/*`],
      },
    ]);
  });

  it('fits 1000 jobs of 10 sources with distinct prefixes under one root (86,661 bytes with per-source statements)', () => {
    const grants = Array.from({ length: 10 }, (_, s) => ({
      sourceBucket: `source-${pad(s, 2)}-1250000000`,
      prefixes: Array.from({ length: 100 }, (_, j) => `inventory/job-${pad(s * 100 + j, 4)}`),
      principal: [ROLE],
    }));
    expect(exactLowerBound(grants)).toBeGreaterThan(5 * POLICY_SIZE_LIMIT_BYTES);
    const result = destinationStatements(input(grants));
    expect(result.problem).toBeUndefined();
    expect(resourcesOf(result)).toEqual([`${BASE}inventory/*`]);
    expect(result.bytes).toBe(282);
  });

  it('collapses 1000 jobs of 10 sources under per-source roots one source at a time, until it fits', () => {
    const grants = Array.from({ length: 10 }, (_, s) => ({
      sourceBucket: `source-${pad(s, 2)}-1250000000`,
      prefixes: Array.from({ length: 100 }, (_, j) => `source-${pad(s, 2)}/job-${pad(j)}`),
      principal: [ROLE],
    }));
    const result = destinationStatements(input(grants));
    expect(result.problem).toBeUndefined();
    expect(result.collapsed).toBe(true);
    const resources = resourcesOf(result);
    // Nine sources collapse to their own root; the tenth keeps its 100 exact folders.
    expect(resources.filter((r) => r.endsWith('/source-09/*') && r.includes('/job-'))).toHaveLength(100);
    expect(resources.filter((r) => !r.includes('/job-'))).toEqual(
      Array.from({ length: 9 }, (_, s) => `${BASE}source-${pad(s, 2)}/*`),
    );
    expect(result.bytes).toBe(11956);
    expect(result.bytes).toBe(bytes({ version: '2.0', statement: result.statements }));
    expect(result.bytes).toBeLessThanOrEqual(POLICY_SIZE_LIMIT_BYTES);
  });

  it('reports a configuration that cannot fit: field, size, limit, counts and the way out', () => {
    // 300 top-level prefixes share no root: nothing may collapse (never to the bucket root).
    const result = destinationStatements(input(sources(300, (i) => `team-${pad(i)}`)));
    expect(result.collapsed).toBe(false);
    expect(result.bytes).toBe(31129);
    expect(result.bytes).toBe(bytes({ version: '2.0', statement: result.statements }));
    expect(result.bytes).toBeGreaterThan(POLICY_SIZE_LIMIT_BYTES);
    expect(resourcesOf(result).every((r) => !r.endsWith(`${DEST}/*`))).toBe(true);
    expect(result.problem).toEqual({
      field: 'destination.bucket',
      value: DEST,
      message: expect.stringContaining('300 source buckets') as unknown as string,
    });
    const message = result.problem?.message ?? '';
    expect(message).toContain('300 report folders, 300 resources in the most compact form');
    expect(message).toContain('are 31129 bytes');
    expect(message).toContain(`at most ${POLICY_SIZE_LIMIT_BYTES} bytes`);
    expect(message).toContain('one shared destination prefix root');
    expect(message).toContain('more destination buckets');
    expect(message).toMatch(/^[a-z]/);
    expect(message).not.toMatch(/\.$/);
  });

  it('reports a single resource longer than one statement may be', () => {
    const result = destinationStatements(
      input(sources(1, () => `x${'y'.repeat(POLICY_STATEMENT_LIMIT_BYTES)}`)),
    );
    expect(result.problem?.message).toContain(
      `one statement may hold at most ${POLICY_STATEMENT_LIMIT_BYTES} bytes`,
    );
    expect(result.problem?.message).toContain('1 source buckets');
  });
});

describe('destinationStatements keeps least privilege while it fits', () => {
  it('grants each source its exact report folders when small', () => {
    const result = destinationStatements(
      input([
        { sourceBucket: 'photos-1250000001', prefixes: ['inventory/photos', ''], principal: [ROLE] },
        { sourceBucket: 'logs-1250000001', prefixes: ['inventory/logs'], principal: [ROLE] },
      ]),
    );
    expect(result.collapsed).toBe(false);
    expect(result.problem).toBeUndefined();
    expect(resourcesOf(result)).toEqual([
      `${BASE}cos_bucket_inventory/1250000001/photos/*`,
      `${BASE}inventory/logs/1250000001/logs/*`,
      `${BASE}inventory/photos/1250000001/photos/*`,
    ]);
    expect(result.bytes).toBe(bytes({ version: '2.0', statement: result.statements }));
  });

  it('collapses the deepest shared root first and stops as soon as it fits', () => {
    // 130 sources under teams/alpha and 60 under teams/beta: collapsing teams/alpha alone fits,
    // so teams/beta keeps exact folders and teams/* is never granted.
    const grants = [
      ...sources(130, (i) => `teams/alpha/source-${pad(i)}`),
      ...Array.from({ length: 60 }, (_, i) => ({
        sourceBucket: `beta-${pad(i)}-1250000000`,
        prefixes: [`teams/beta/beta-${pad(i)}`],
        principal: [ROLE],
      })),
    ];
    expect(exactLowerBound(grants)).toBeGreaterThan(POLICY_SIZE_LIMIT_BYTES);
    const result = destinationStatements(input(grants));
    expect(result.problem).toBeUndefined();
    expect(result.collapsed).toBe(true);
    const resources = resourcesOf(result);
    expect(resources).toContain(`${BASE}teams/alpha/*`);
    expect(resources).not.toContain(`${BASE}teams/*`);
    expect(resources.filter((r) => r.startsWith(`${BASE}teams/beta/beta-`))).toHaveLength(60);
    expect(resources).toHaveLength(61);
  });

  it('collapses an unprefixed fleet to the appid folder under the default prefix, not the prefix', () => {
    const result = destinationStatements(input(sources(250, () => '')));
    expect(result.problem).toBeUndefined();
    expect(resourcesOf(result)).toEqual([`${BASE}cos_bucket_inventory/1250000000/*`]);
  });

  it('splits one principal set over several statements of at most 4095 bytes each', () => {
    const result = destinationStatements(input(sources(60, (i) => `inventory/source-${pad(i)}`)));
    expect(result.collapsed).toBe(false);
    expect(result.statements.map((s) => s.sid)).toEqual([
      'cosInventory-inventory-stack',
      'cosInventory-inventory-stack-2',
    ]);
    for (const statement of result.statements) {
      expect(bytes(statement)).toBeLessThanOrEqual(POLICY_STATEMENT_LIMIT_BYTES);
    }
    // Packed in order: the first statement is full enough that the next resource would not fit.
    const [first, second] = result.statements;
    expect(bytes({ ...first, resource: [...first.resource, second.resource[0]] })).toBeGreaterThan(
      POLICY_STATEMENT_LIMIT_BYTES,
    );
    expect(resourcesOf(result)).toHaveLength(60);
    expect(result.bytes).toBe(bytes({ version: '2.0', statement: result.statements }));
  });
});

describe('destinationStatements statements and sids', () => {
  it('gives each distinct principal set its own statement, sorted, principals sorted and deduplicated', () => {
    const result = destinationStatements(
      input([
        { sourceBucket: 'b-1250000001', prefixes: ['inv'], principal: [ROLE, OTHER, ROLE] },
        { sourceBucket: 'a-1250000001', prefixes: ['inv'], principal: [OTHER] },
        { sourceBucket: 'c-1250000001', prefixes: ['inv'], principal: [OTHER, ROLE] },
      ]),
    );
    expect(result.statements.map((s) => [s.sid, s.principal.qcs, s.resource])).toEqual([
      [
        'cosInventory-inventory-stack',
        [ROLE, OTHER],
        [`${BASE}inv/1250000001/b/*`, `${BASE}inv/1250000001/c/*`],
      ],
      ['cosInventory-inventory-stack-2', [OTHER], [`${BASE}inv/1250000001/a/*`]],
    ]);
  });

  it('does not depend on the order of grants or prefixes', () => {
    const grants: SourceGrant[] = [
      ...sources(130, (i) => `teams/alpha/source-${pad(i)}`),
      { sourceBucket: 'x-1250000001', prefixes: ['z', 'a', 'm/n'], principal: [OTHER, ROLE] },
      { sourceBucket: 'y-1250000001', prefixes: ['a'], principal: [OTHER] },
    ];
    const reversed = [...grants].reverse().map((g) => ({
      ...g,
      prefixes: [...g.prefixes].reverse(),
      principal: [...g.principal].reverse(),
    }));
    expect(destinationStatements(input(reversed))).toEqual(destinationStatements(input(grants)));
  });

  it('removes duplicates and resources covered by another resource of the same principal set', () => {
    const result = destinationStatements(
      input([
        { sourceBucket: 'a-1250000001', prefixes: ['x', 'x'], principal: [ROLE] },
        { sourceBucket: 'a-1250000001', prefixes: ['x'], principal: [ROLE] },
        // Its folder lies inside a's folder x/1250000001/a/.
        { sourceBucket: 'b-1250000001', prefixes: ['x/1250000001/a/nested'], principal: [ROLE] },
        // The same folder for another principal set is not covered: it is that set's grant.
        { sourceBucket: 'c-1250000001', prefixes: ['x/1250000001/a/nested'], principal: [OTHER] },
      ]),
    );
    expect(result.statements.map((s) => s.resource)).toEqual([
      [`${BASE}x/1250000001/a/*`],
      [`${BASE}x/1250000001/a/nested/1250000001/c/*`],
    ]);
  });

  it('sanitizes the scope to letters, digits and hyphens and refuses an empty one', () => {
    const one = sources(1, () => 'inv');
    expect(destinationStatements(input(one, 'my_stack.prod')).statements[0].sid).toBe(
      'cosInventory-my-stack-prod',
    );
    expect(() => destinationStatements(input(one, ''))).toThrow(
      'destinationStatements: sidScope "" is not valid: expected a name with at least one letter or digit',
    );
    expect(() => destinationStatements(input(one, '__'))).toThrow('sidScope "__" is not valid');
  });

  it('validates the destination and the grants', () => {
    expect(() => destinationStatements({ ...input([]), destinationRegion: 'mars' })).toThrow(
      'destinationStatements: destinationRegion "mars" is not valid',
    );
    expect(() =>
      destinationStatements(input([{ sourceBucket: 'a-1', prefixes: ['x'], principal: [] }])),
    ).toThrow('principal [] is not valid');
  });

  it('writes nothing for no grants', () => {
    expect(destinationStatements(input([]))).toEqual({ statements: [], bytes: 0, collapsed: false });
  });
});
