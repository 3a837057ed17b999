import type { CosClient } from '../../src/cos/client';
import { getPolicy } from '../../src/cos/policy';
import type { LocalCos } from '../../src/emulator';
import type { PolicyDocument } from '../../src/model/policy';
import { REGION } from './fixtures';
import { runHandler, startKit, TestClock, type HandlerOptions } from '../kit';

/**
 * Every test runs against COS's policy behaviours off and on: the policy returned as written
 * or as COS answers (capitalised keys, generated Sids, single strings as lists), and reads
 * right after a write seeing the old policy for a while.
 */
const MODES = [
  { mode: 'policy returned as written, no lag', normalizePolicy: false, lagMs: 0 },
  { mode: 'policy normalised as cos answers, no lag', normalizePolicy: true, lagMs: 0 },
  { mode: 'policy normalised, 400 ms read-after-write lag', normalizePolicy: true, lagMs: 400 },
] as const;

type Json = Record<string, unknown>;

/** A statement's meaning for assertions: key case, the effect's case and (unless asked) a generated sid ignored. */
function meaning(statement: Json, keepSid: boolean): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(statement)) {
    const name = key.toLowerCase();
    if (name === 'sid' && !keepSid) continue;
    out[name] = name === 'effect' && typeof value === 'string' ? value.toLowerCase() : value;
  }
  return out;
}

function statementsOf(policy: PolicyDocument | undefined): Json[] {
  return ((policy?.statement ?? policy?.Statement ?? []) as Json[]).map((statement) => statement);
}

describe.each(MODES)('$mode', ({ normalizePolicy, lagMs }) => {
  let cos: LocalCos;
  let client: CosClient;
  let env: Record<string, string>;
  // The endpoint's lag and the handler's settle and read-back waits pass on this clock.
  const clock = new TestClock();
  const handler = (verb: string, options: HandlerOptions) => runHandler(verb, { clock, ...options });

  beforeAll(async () => {
    const kit = await startKit({ normalizePolicy, consistencyLagMs: lagMs, clock, retryBudgetMs: 60_000 });
    cos = kit.cos;
    client = kit.client;
    env = kit.env({ COS_INVENTORY_POLICY_SETTLE_MS: '150' });
  });

  afterAll(async () => {
    await cos.close();
  });

  /** Moves past the emulator's lag after a write made by the test itself. */
  const settle = (): void => clock.advance(lagMs + 50);

  /** Asserts the bucket's statements mean `expected`, in order. */
  async function expectStatements(bucket: string, expected: readonly Json[]): Promise<void> {
    const stored = statementsOf(await getPolicy(client, { bucket, region: REGION }));
    expect(
      stored.map((statement, index) =>
        meaning(
          statement,
          expected[index] !== undefined && ('sid' in expected[index] || 'Sid' in expected[index]),
        ),
      ),
    ).toEqual(expected.map((statement) => meaning(statement, true)));
  }

  function ours(bucket: string, sid: string, source = 'src-1250000000') {
    return {
      sid,
      effect: 'allow',
      principal: { qcs: ['qcs::cam::uin/100000000001:roleName/COS_QcsRole'] },
      action: ['name/cos:PutObject'],
      resource: [
        `qcs::cos:${REGION}:uid/1250000000:${bucket}/inventory/1250000000/${source.replace(/-\d+$/, '')}/*`,
      ],
    };
  }

  /** Someone else's statements, in an unusual key order and casing, with a condition. */
  function foreign(bucket: string) {
    return [
      {
        Sid: 'TeamReadOnly',
        Effect: 'Allow',
        Principal: { qcs: ['qcs::cam::uin/100000000002:uin/100000000003'] },
        Action: ['name/cos:GetObject', 'name/cos:HeadObject'],
        Resource: [`qcs::cos:${REGION}:uid/1250000000:${bucket}/*`],
        Condition: { ip_equal: { 'qcs:ip': ['10.0.0.0/8'] } },
      },
      {
        effect: 'deny',
        principal: { qcs: ['qcs::cam::anyone:anyone'] },
        resource: [`qcs::cos:${REGION}:uid/1250000000:${bucket}/secret/*`],
        action: ['name/cos:*'],
      },
    ];
  }

  /** The policy exactly as COS stores it, as text. */
  async function rawPolicy(bucket: string): Promise<string | undefined> {
    try {
      const result = await client.sdk.request({
        Method: 'GET',
        Bucket: bucket,
        Region: REGION,
        Action: 'policy',
        RawBody: true,
      });
      return String(result.Body);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  describe('attach-policy and detach-policy', () => {
    it('keep foreign statements byte for byte through attach/detach cycles', async () => {
      const bucket = 'shared-1250000000';
      cos.createBucket(bucket, REGION);
      const others = foreign(bucket);
      await client.sdk.putBucketPolicy({
        Bucket: bucket,
        Region: REGION,
        Policy: { version: '2.0', statement: others },
      });
      settle();
      const before = await rawPolicy(bucket);
      const foreignText = others.map((statement) => JSON.stringify(statement));
      // As written, foreign statements come back byte for byte; normalised, in COS's spelling.
      if (normalizePolicy) {
        expect(before).toContain('"Statement":[{"Sid":"TeamReadOnly"');
        expect(before).not.toContain('"statement"');
        expect(before).not.toContain(foreignText[1]);
      } else for (const text of foreignText) expect(before).toContain(text);

      const statement = ours(bucket, 'cosInventory-src-1250000000');
      for (let cycle = 0; cycle < 2; cycle++) {
        for (let run = 0; run < 2; run++) {
          cos.clearRequestLog();
          const attached = await handler('attach-policy', {
            spec: { bucket, region: REGION, statement },
            env,
          });
          expect(attached.stderr).toBe('');
          expect(attached.code).toBe(0);
          // However COS spells our statement back, the second run finds it and writes nothing.
          const writes = cos.requestLog.filter((entry) => entry.method !== 'GET').length;
          expect(writes).toBe(run === 0 ? 1 : 0);
          if (run === 1) expect(attached.stdout).toContain('were already attached');
        }
        await expectStatements(bucket, [...others, statement]);
        const raw = await rawPolicy(bucket);
        if (!normalizePolicy) for (const text of foreignText) expect(raw).toContain(text);

        for (let run = 0; run < 2; run++) {
          const detached = await handler('detach-policy', {
            spec: { bucket, region: REGION, sid: statement.sid },
            env,
          });
          expect(detached.stderr).toBe('');
          expect(detached.code).toBe(0);
        }
        expect(await rawPolicy(bucket)).toBe(before);
      }
    });

    it('replaces our statement in place when it changed', async () => {
      const bucket = 'replace-1250000000';
      cos.createBucket(bucket, REGION);
      const others = foreign(bucket);
      const old = ours(bucket, 'cosInventory-a-1250000000', 'a-1250000000');
      await client.sdk.putBucketPolicy({
        Bucket: bucket,
        Region: REGION,
        Policy: { version: '2.0', statement: [others[0], old, others[1]] },
      });
      settle();
      const changed = {
        ...old,
        resource: [...old.resource, `qcs::cos:${REGION}:uid/1250000000:${bucket}/more/*`],
      };
      const result = await handler('attach-policy', {
        spec: { bucket, region: REGION, statements: [changed] },
        env,
      });
      expect(result.code).toBe(0);
      await expectStatements(bucket, [others[0], changed, others[1]]);
    });

    it('deletes the whole policy when only ours was in it, and succeeds when it is gone', async () => {
      const bucket = 'only-ours-1250000000';
      cos.createBucket(bucket, REGION);
      const statements = [
        ours(bucket, 'cosInventory-a-1250000000'),
        ours(bucket, 'cosInventory-b-1250000000'),
      ];
      const attached = await handler('attach-policy', {
        spec: { bucket, region: REGION, statements },
        env,
      });
      expect(attached.code).toBe(0);
      await expectStatements(bucket, statements);
      cos.clearRequestLog();
      const spec = { bucket, region: REGION, sids: statements.map((statement) => statement.sid) };
      const detached = await handler('detach-policy', { spec, env });
      expect(detached.code).toBe(0);
      expect(
        cos.requestLog.some((entry) => entry.method === 'DELETE' && entry.subresource === 'policy'),
      ).toBe(true);
      expect(await rawPolicy(bucket)).toBeUndefined();
      const again = await handler('detach-policy', { spec, env });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('already absent');
    });

    it('removes only sids - keep, and sends nothing when every sid is kept', async () => {
      const bucket = 'keep-1250000000';
      cos.createBucket(bucket, REGION);
      const a = ours(bucket, 'cosInventory-a-1250000000');
      const b = ours(bucket, 'cosInventory-b-1250000000');
      const attached = await handler('attach-policy', {
        spec: { bucket, region: REGION, statements: [a, b] },
        env,
      });
      expect(attached.code).toBe(0);
      const sids = [a.sid, b.sid];

      cos.clearRequestLog();
      const kept = await handler('detach-policy', {
        spec: { bucket, region: REGION, sids, keep: sids },
        env,
      });
      expect(kept.code).toBe(0);
      expect(kept.stdout).toContain('every one is kept');
      expect(cos.requestLog).toHaveLength(0);

      const retired = await handler('detach-policy', {
        spec: { bucket, region: REGION, sids, keep: [a.sid] },
        env,
      });
      expect(retired.code).toBe(0);
      expect(retired.stdout).toContain(`detached policy statements ${b.sid} from ${bucket}`);
      expect(
        cos.requestLog.some((entry) => entry.method === 'DELETE' && entry.subresource === 'policy'),
      ).toBe(false);
      await expectStatements(bucket, [a]);
    });

    it('does nothing for empty lists', async () => {
      cos.clearRequestLog();
      const spec = { bucket: 'nobucket-1250000000', region: REGION };
      const attached = await handler('attach-policy', { spec: { ...spec, statements: [] }, env });
      const detached = await handler('detach-policy', { spec: { ...spec, sids: [] }, env });
      expect([attached.code, detached.code]).toEqual([0, 0]);
      expect(cos.requestLog).toHaveLength(0);
    });

    it('fails clearly on a missing bucket', async () => {
      const result = await handler('attach-policy', {
        spec: { bucket: 'nobucket-1250000000', region: REGION, statement: ours('nobucket-1250000000', 's') },
        env,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^cos-inventory attach-policy: bucket=nobucket-1250000000 id=s code=NoSuchBucket request-id=\S+: getBucketPolicy failed/,
      );
    });

    it('ten concurrent attach-policy runs with different sids all end present', async () => {
      const bucket = 'contended-1250000000';
      cos.createBucket(bucket, REGION);
      const others = foreign(bucket);
      await client.sdk.putBucketPolicy({
        Bucket: bucket,
        Region: REGION,
        Policy: { version: '2.0', statement: others },
      });
      settle();
      const statements = Array.from({ length: 10 }, (_, index) =>
        ours(bucket, `cosInventory-s${index}-1250000000`, `s${index}-1250000000`),
      );
      // The default settle delay: a loaded machine stretches each writer's read-to-write window.
      const defaultEnv = { ...env };
      delete defaultEnv.COS_INVENTORY_POLICY_SETTLE_MS;
      // Each writer's waits end only once every other writer waits too or is done.
      const results = await clock.concurrently(
        statements.map(
          (statement) => () =>
            runHandler('attach-policy', {
              spec: { bucket, region: REGION, statement },
              env: defaultEnv,
              clock,
            }),
        ),
      );
      for (const result of results) {
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
      }
      const stored = statementsOf(await getPolicy(client, { bucket, region: REGION }));
      expect(stored.slice(0, 2).map((statement, index) => meaning(statement, index === 0))).toEqual(
        others.map((statement) => meaning(statement, true)),
      );
      expect(
        stored
          .map((statement) => statement.sid ?? statement.Sid)
          .slice(2)
          .sort(),
      ).toEqual(statements.map((statement) => statement.sid).sort());
      const puts = cos.requestLog.filter(
        (entry) => entry.method === 'PUT' && entry.subresource === 'policy',
      ).length;
      expect(puts).toBeGreaterThanOrEqual(10);
    });
  });
});
