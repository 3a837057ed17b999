/**
 * cosinventory_destination_grant's hooks in process against LocalCos: one policy write per
 * edit, foreign statements untouched, edits of one destination serialized and building on the
 * document last written (a 3 s lag loses nothing), moves from 0.1.0's policy resource.
 */
import { getPolicy, putPolicy } from '../../src/cos/policy';
import { grantState, type GrantAttributes } from '../../src/provider/grant-schema';
import { decodePrivate } from '../../src/provider/private-state';
import { cosInventoryProvider } from '../../src/provider/provider';
import { sidOf, type PolicyStatement } from '../../src/model/policy';
import type { TfObject } from '../../src/tfplugin/value';
import { ACCOUNT_B } from '../kit';
import {
  bucketArn,
  create,
  DESTINATION,
  foreignStatement,
  legacyDataState,
  legacyStatement,
  read,
  sidsIn,
  REGION,
  ROLE,
  startProviderKit,
  update,
  type ProviderKit,
} from './helpers';

const target = { bucket: DESTINATION, region: REGION };
const BASE = bucketArn();

function grant(sid: string, prefix: string, principals: readonly string[] = [ROLE]): TfObject {
  const attributes: GrantAttributes = {
    bucket: DESTINATION,
    region: REGION,
    sid,
    principals,
    resources: [`${BASE}/${prefix}/*`],
    roleArn: null,
  };
  return grantState(attributes);
}

const FOREIGN = foreignStatement();

async function sids(p: ProviderKit): Promise<string[]> {
  p.clock.advance(10_000);
  const doc = await getPolicy(p.kit.client, target);
  return sidsIn(doc);
}

const policyWrites = (p: ProviderKit) =>
  p.requests().filter((r) => r === 'PUT policy' || r === 'DELETE policy');

describe.each([
  { lagMs: 0, normalizePolicy: false },
  { lagMs: 3000, normalizePolicy: true },
])('lag $lagMs ms, policy normalised as COS answers: $normalizePolicy', ({ lagMs, normalizePolicy }) => {
  let p: ProviderKit;
  beforeEach(async () => {
    p = await startProviderKit({ lagMs, normalizePolicy });
    await putPolicy(p.kit.client, target, { version: '2.0', statement: [FOREIGN] });
    p.clock.advance(lagMs + 1);
    p.clearRequests();
  });
  afterEach(() => p.close());

  test('create, sid change, delete: one write each, the foreign statement untouched', async () => {
    const created = await create(p.grant, { ...grant('cosInventory-stack', 'inventory'), id: null });
    expect(created.state.id).toBe(`${REGION}/${DESTINATION}/cosInventory-stack`);
    expect(decodePrivate(created.private).writtenAt).toBeDefined();
    const renamed = await update(p.grant, created.state, grant('cosInventory-renamed', 'inventory'));
    expect(await sids(p)).toEqual(['cosInventory-renamed', 'someone-else']);
    expect(await p.grant.delete(renamed.state, renamed.private)).toEqual({});
    expect(await sids(p)).toEqual(['someone-else']);
    expect(policyWrites(p)).toEqual(['PUT policy', 'PUT policy', 'PUT policy']);
  });

  test('the last statement deleted deletes the policy; deleting it again writes nothing', async () => {
    const provider = cosInventoryProvider({ env: p.kit.env(), clock: p.clock });
    const own = provider.resources?.cosinventory_destination_grant ?? p.grant;
    const created = await create(own, grant('cosInventory-only', 'inventory'));
    await p.kit.sdk.deleteBucketPolicy({ Bucket: DESTINATION, Region: REGION });
    p.clock.advance(lagMs + 1);
    await putPolicy(p.kit.client, target, {
      version: '2.0',
      statement: [created.state.sid === null ? FOREIGN : { ...FOREIGN, sid: 'cosInventory-only' }],
    });
    p.clock.advance(20_000);
    p.clearRequests();
    expect(await own.delete(created.state, created.private)).toEqual({});
    expect(policyWrites(p)).toEqual(['DELETE policy']);
    expect(await own.delete(created.state, created.private)).toEqual({});
    expect(policyWrites(p)).toEqual(['DELETE policy']);
  });

  test('four grants of one destination created, then all changed, in one process: nothing lost', async () => {
    const names = ['a', 'b', 'c', 'd'];
    const created = await Promise.all(names.map((n) => create(p.grant, grant(`cosInventory-${n}`, n))));
    const changed = await Promise.all(
      created.map((c, i) =>
        update(p.grant, c.state, grant(`cosInventory-${names[i]}`, `moved-${names[i]}`), c.private),
      ),
    );
    expect(await sids(p)).toEqual([...names.map((n) => `cosInventory-${n}`), 'someone-else']);
    const doc = await getPolicy(p.kit.client, target);
    const resources = JSON.stringify(doc);
    for (const n of names) expect(resources).toContain(`${BASE}/moved-${n}/*`);
    expect(policyWrites(p)).toHaveLength(8);
    // Each refresh (a new process) finds its statement, waiting out the lag when it must.
    const reader = cosInventoryProvider({ env: p.kit.env(), clock: p.clock }).resources
      ?.cosinventory_destination_grant;
    const states = await Promise.all(changed.map((c) => read(reader ?? p.grant, c.state, c.private)));
    expect(states).toEqual(changed.map((c) => c.state));
  });

  test('read: the statement by sid, null when absent, its content when changed out of band', async () => {
    const created = await create(p.grant, grant('cosInventory-read', 'inventory'));
    p.clock.advance(lagMs + 1);
    const reader = () =>
      cosInventoryProvider({ env: p.kit.env(), clock: p.clock }).resources?.cosinventory_destination_grant ??
      p.grant;
    expect(await read(reader(), created.state, created.private)).toEqual(created.state);
    expect(await read(reader(), grant('cosInventory-absent', 'x'))).toBeNull();
    const doc = await getPolicy(p.kit.client, target);
    const statements = ((doc?.statement ?? doc?.Statement ?? []) as PolicyStatement[]).map((s) =>
      sidOf(s) === 'cosInventory-read' ? { ...s, resource: [`${BASE}/tampered/*`] } : s,
    );
    await putPolicy(p.kit.client, target, { version: '2.0', statement: statements });
    p.clock.advance(lagMs + 1);
    expect(await read(reader(), created.state)).toEqual({
      ...created.state,
      resources: [`${BASE}/tampered/*`],
    });
  });
});

describe('upgrade from 0.1.0', () => {
  let p: ProviderKit;
  beforeEach(async () => {
    p = await startProviderKit({ lagMs: 3000 });
  });
  afterEach(() => p.close());

  test('a moved policy resource replaces the per-source statements by the grant in one PUT', async () => {
    const legacy = ['src-one-1250000000', 'src-two-1250000000'].map(legacyStatement);
    await putPolicy(p.kit.client, target, { version: '2.0', statement: [FOREIGN, ...legacy] });
    p.clock.advance(3001);
    p.clearRequests();
    const moved = await p.grant.moveState?.({
      sourceProviderAddress: 'terraform.io/builtin/terraform',
      sourceTypeName: 'terraform_data',
      sourceSchemaVersion: 0,
      sourceState: legacyDataState({
        bucket: DESTINATION,
        region: REGION,
        statements: legacy,
        sids: legacy.map((s) => s.sid),
      }),
      sourcePrivate: Buffer.alloc(0),
    });
    expect(p.requests()).toEqual([]);
    expect(moved?.state).toMatchObject({
      sid: 'cosInventory-src-one-1250000000',
      principals: [ROLE],
      resources: legacy.flatMap((s) => s.resource),
    });
    expect(decodePrivate(moved?.private ?? Buffer.alloc(0)).legacySids).toEqual(legacy.map((s) => s.sid));
    // The refresh keeps the legacy sids (private state) for the update planned next.
    const refreshed = await p.grant.read(moved?.state ?? {}, moved?.private ?? Buffer.alloc(0));
    expect(refreshed.state).not.toBeNull();
    const wanted = {
      ...grant('cosInventory-stack', 'inventory/1250000000'),
      resources: legacy.flatMap((s) => s.resource),
    };
    await update(p.grant, refreshed.state as TfObject, wanted, moved?.private);
    expect(policyWrites(p)).toEqual(['PUT policy']);
    expect(await sids(p)).toEqual(['cosInventory-stack', 'someone-else']);
  });

  test('a move whose triggers hold no sid is refused', async () => {
    const result = await p.grant.moveState?.({
      sourceProviderAddress: 'terraform.io/builtin/terraform',
      sourceTypeName: 'terraform_data',
      sourceSchemaVersion: 0,
      sourceState: legacyDataState({ bucket: DESTINATION, region: REGION, statements: [], sids: [] }),
      sourcePrivate: Buffer.alloc(0),
    });
    expect(result?.diagnostics?.[0].detail).toContain('triggers_replace holds no statement sids');
  });
});

describe('the account guard (allowed_account_ids)', () => {
  test('a credential of another account writes nothing; an allowed one writes', async () => {
    const p = await startProviderKit();
    try {
      const uin = p.kit.cos.accounts[0].uin;
      p.runtime.configure(['100000000999']);
      const refused = await p.grant.create({
        priorState: null,
        plannedState: grant('cosInventory-guarded', 'x'),
        config: null,
        plannedPrivate: Buffer.alloc(0),
      });
      expect(refused.state).toBeUndefined();
      expect(refused.diagnostics?.[0].detail).toContain(
        `belong to account ${uin}, allowed_account_ids of the provider "cosinventory" block allows only 100000000999`,
      );
      expect(refused.diagnostics?.[0].detail).toContain(
        'hint: apply with the credentials of an allowed account, or fix allowed_account_ids in the provider "cosinventory" block',
      );
      expect(policyWrites(p)).toEqual([]);
      p.runtime.configure([uin]);
      await create(p.grant, grant('cosInventory-guarded', 'x'));
      expect(policyWrites(p)).toEqual(['PUT policy']);
    } finally {
      await p.close();
    }
  });

  test("the grant's own guard: another account neither attaches nor detaches; both guards apply", async () => {
    const p = await startProviderKit();
    try {
      const uin = p.kit.cos.accounts[0].uin;
      const guarded = (allowed: readonly string[]): TfObject => ({
        ...grant('cosInventory-own', 'x'),
        allowed_account_ids: [...allowed],
      });
      const refused = await p.grant.create({
        priorState: null,
        plannedState: guarded(['100000000999']),
        config: null,
        plannedPrivate: Buffer.alloc(0),
      });
      expect(refused.diagnostics?.[0].detail).toMatch(
        new RegExp(
          `^cos-inventory provider attach-policy: bucket=${DESTINATION} id=cosInventory-own code=AccountNotAllowed .*belong to account ${uin}, allowed_account_ids of this cosinventory_destination_grant allows only 100000000999: nothing was changed; hint: `,
        ),
      );
      const attached = await create(p.grant, guarded([uin]));
      expect(attached.state.allowed_account_ids).toEqual([uin]);
      expect(policyWrites(p)).toEqual(['PUT policy']);
      // The delete is checked against the guard in state.
      const detached = await p.grant.delete(
        { ...attached.state, allowed_account_ids: ['100000000999'] },
        attached.private,
      );
      expect(detached.diagnostics?.[0].summary).toBe(
        `detaching policy statement cosInventory-own from bucket ${DESTINATION} failed`,
      );
      expect(detached.diagnostics?.[0].detail).toContain('code=AccountNotAllowed');
      expect(await sids(p)).toEqual(['cosInventory-own']);
      // The provider block's guard applies too.
      p.runtime.configure(['100000000999']);
      expect((await p.grant.delete(attached.state, attached.private)).diagnostics?.[0].detail).toContain(
        'allowed_account_ids of the provider "cosinventory" block allows only 100000000999',
      );
      p.runtime.configure(undefined);
      expect(await p.grant.delete(attached.state, attached.private)).toEqual({});
      expect(policyWrites(p)).toEqual(['PUT policy', 'DELETE policy']);
      expect(
        (await p.grant.validate?.({ ...guarded([uin]), allowed_account_ids: ['x'] }))?.map((d) => d.detail),
      ).toEqual(['allowed_account_ids: each entry must be an account uin (digits), received "x"']);
    } finally {
      await p.close();
    }
  });
});

describe("role_arn: the destination account's role edits its policy", () => {
  const B_APPID = '1250000002';
  const CENTRAL = `central-${B_APPID}`;
  const EDITOR = `qcs::cam::uin/${ACCOUNT_B.uin}:roleName/inventory-policy`;
  const central = (roleArn: string | null): TfObject => ({
    ...grant('cosInventory-stack', 'inventory'),
    bucket: CENTRAL,
    resources: [`qcs::cos:${REGION}:uid/${B_APPID}:${CENTRAL}/inventory/*`],
    role_arn: roleArn,
    id: `${REGION}/${CENTRAL}/cosInventory-stack`,
  });

  test('without the role COS refuses and the diagnostic says so; with it the grant is written', async () => {
    const p = await startProviderKit({
      local: {
        accounts: [{ uin: ACCOUNT_B.uin, appid: B_APPID, ...ACCOUNT_B.keys }],
        roles: [{ arn: EDITOR, trustedUins: ['100000000001'] }],
        buckets: [`${CENTRAL}@${REGION}`],
      },
    });
    try {
      const refused = await p.grant.create({
        priorState: null,
        plannedState: central(null),
        config: null,
        plannedPrivate: Buffer.alloc(0),
      });
      expect(refused.diagnostics?.[0].summary).toBe(
        `attaching policy statement cosInventory-stack of bucket ${CENTRAL} failed`,
      );
      expect(refused.diagnostics?.[0].detail).toMatch(/code=AccessDenied/);
      p.clearRequests();
      const created = await create(p.grant, central(EDITOR));
      expect(p.requests()).toEqual(['POST sts AssumeRole', 'GET policy', 'PUT policy']);
      expect(await read(p.grant, created.state)).toEqual(created.state);
    } finally {
      await p.close();
    }
  });
});
