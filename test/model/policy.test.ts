import {
  findStatement,
  inventoryPolicyStatement,
  manifestKey,
  removeStatement,
  reportPrefix,
  statementSid,
  upsertStatement,
  type PolicyDocument,
  type PolicyStatement,
} from '../../src/model';

const input = {
  destinationBucket: 'reports-1250000000',
  destinationRegion: 'ap-guangzhou',
  sourceBucket: 'photos-1250000001',
  prefixes: ['inv'],
  ownerUin: '100000000001',
};

/** A statement someone else wrote, with capitalised keys and a condition. */
const foreign: PolicyStatement = {
  Sid: 'costs-readers',
  Effect: 'Allow',
  Principal: { qcs: ['qcs::cam::uin/100000000001:uin/100000000002'] },
  Action: ['name/cos:GetObject'],
  Resource: ['qcs::cos:ap-guangzhou:uid/1250000000:reports-1250000000/*'],
  Condition: { ip_equal: { 'qcs:ip': ['10.0.0.0/8'] } },
};
const unnamed: PolicyStatement = {
  effect: 'deny',
  principal: { qcs: ['qcs::cam::anyone:anyone'] },
  action: ['name/cos:DeleteObject'],
  resource: ['*'],
};

describe('statementSid', () => {
  it('is readable, stable and made of letters, digits and hyphens', () => {
    expect(statementSid('photos-1250000001')).toBe('cosInventory-photos-1250000001');
    expect(statementSid('photos-1250000001')).toMatch(/^[A-Za-z0-9-]+$/);
  });
  it('rejects what is not a bucket name', () => {
    expect(() => statementSid('photos')).toThrow('parseBucketName: bucket "photos" is not valid');
  });
});

describe('inventoryPolicyStatement', () => {
  it('grants the owner COS_QcsRole PutObject below the source report folder of each prefix', () => {
    const statement = inventoryPolicyStatement({ ...input, prefixes: ['inv', 'archive/daily', 'inv'] });
    expect(JSON.stringify(statement)).toBe(
      JSON.stringify({
        sid: 'cosInventory-photos-1250000001',
        effect: 'allow',
        principal: { qcs: ['qcs::cam::uin/100000000001:roleName/COS_QcsRole'] },
        action: ['name/cos:PutObject'],
        resource: [
          'qcs::cos:ap-guangzhou:uid/1250000000:reports-1250000000/archive/daily/1250000001/photos/*',
          'qcs::cos:ap-guangzhou:uid/1250000000:reports-1250000000/inv/1250000001/photos/*',
        ],
      }),
    );
  });

  it('covers every key COS delivers for that source, and nothing of another source', () => {
    const [resource] = inventoryPolicyStatement(input).resource;
    const objectResource = (key: string) => `qcs::cos:ap-guangzhou:uid/1250000000:reports-1250000000/${key}`;
    const covers = (key: string) => objectResource(key).startsWith(resource.slice(0, -1));
    const location = reportPrefix({
      destinationPrefix: 'inv',
      appId: '1250000001',
      sourceBucketName: 'photos',
      jobId: 'd',
    });
    expect(covers(manifestKey(location, '20260101'))).toBe(true);
    expect(covers(`${location}abc.csv.gz`)).toBe(true);
    const other = reportPrefix({
      destinationPrefix: 'inv',
      appId: '1250000001',
      sourceBucketName: 'videos',
      jobId: 'd',
    });
    expect(covers(manifestKey(other, '20260101'))).toBe(false);
  });

  it('uses the default report prefix for jobs without one', () => {
    expect(inventoryPolicyStatement({ ...input, prefixes: [''] }).resource).toEqual([
      'qcs::cos:ap-guangzhou:uid/1250000000:reports-1250000000/cos_bucket_inventory/1250000001/photos/*',
    ]);
  });

  it('takes an explicit principal instead of the owner uin', () => {
    const principal = ['qcs::cam::uin/100000000001:service/cos'];
    expect(inventoryPolicyStatement({ ...input, ownerUin: undefined, principal }).principal).toEqual({
      qcs: principal,
    });
  });

  it.each([
    [{ ownerUin: undefined }, 'inventoryPolicyStatement: ownerUin undefined is not valid'],
    [{ ownerUin: 'abc' }, 'inventoryPolicyStatement: ownerUin "abc" is not valid'],
    [{ principal: [] }, 'inventoryPolicyStatement: principal [] is not valid'],
    [{ prefixes: [] }, 'inventoryPolicyStatement: prefixes is empty'],
    [{ destinationRegion: 'gz' }, 'inventoryPolicyStatement: destinationRegion "gz" is not valid'],
    [{ destinationBucket: 'reports' }, 'parseBucketName: bucket "reports" is not valid'],
    [{ sourceBucket: 'Photos-1' }, 'parseBucketName: bucket "Photos-1" is not valid'],
  ])('rejects %j', (change, message) => {
    expect(() => inventoryPolicyStatement({ ...input, ...change })).toThrow(message);
  });
});

describe('policy document edits', () => {
  const ours = inventoryPolicyStatement(input);
  const document = (): PolicyDocument => ({
    version: '2.0',
    statement: [foreign, unnamed],
  });

  it('creates a document with version 2.0 when there is none', () => {
    expect(upsertStatement(undefined, ours)).toStrictEqual({ version: '2.0', statement: [ours] });
  });

  it('appends a new statement and leaves the others exactly as they were', () => {
    const before = document();
    const beforeText = JSON.stringify(before);
    const after = upsertStatement(before, ours);
    expect(after.statement?.[0]).toBe(foreign);
    expect(after.statement?.[1]).toBe(unnamed);
    expect(after.statement?.[2]).toBe(ours);
    expect(JSON.stringify(after.statement?.slice(0, 2))).toBe(JSON.stringify(before.statement));
    expect(JSON.stringify(before)).toBe(beforeText);
  });

  it('replaces the statement with the same sid in place, matching Sid or sid', () => {
    const old = { ...ours, resource: ['old'] };
    const withOld = { version: '2.0', statement: [foreign, { Sid: old.sid, Effect: 'Allow' }, unnamed] };
    const after = upsertStatement(withOld, ours);
    expect(after.statement).toEqual([foreign, ours, unnamed]);
    expect(after.statement?.[0]).toBe(foreign);
    const again = upsertStatement({ version: '2.0', statement: [old, foreign] }, ours);
    expect(JSON.stringify(again)).toBe(JSON.stringify({ version: '2.0', statement: [ours, foreign] }));
  });

  it('drops later duplicates of the replaced sid', () => {
    const duplicated = { version: '2.0', statement: [ours, foreign, { sid: ours.sid }] };
    expect(upsertStatement(duplicated, ours).statement).toEqual([ours, foreign]);
  });

  it('keeps the key order and casing of a server-normalised document', () => {
    const server = { Statement: [foreign], Version: '2.0', Id: 'policy-1' } as PolicyDocument;
    const after = upsertStatement(server, ours);
    expect(Object.keys(after)).toEqual(['Statement', 'Version', 'Id']);
    expect(after.Statement).toEqual([foreign, ours]);
    expect(findStatement(after, ours.sid)).toBe(ours);
  });

  it('adds version 2.0 to a document without one', () => {
    const after = upsertStatement({ statement: [foreign] }, ours);
    expect(JSON.stringify(after)).toBe(JSON.stringify({ version: '2.0', statement: [foreign, ours] }));
  });

  it('keeps a lone statement written as an object rather than a list', () => {
    const lone = { version: '2.0', statement: foreign } as unknown as PolicyDocument;
    expect(upsertStatement(lone, ours).statement).toEqual([foreign, ours]);
    expect(findStatement(lone, 'costs-readers')).toBe(foreign);
    expect(removeStatement(lone, 'costs-readers')).toBeUndefined();
    expect(removeStatement(lone, ours.sid)).toBe(lone);
  });

  it('requires a sid on the statement', () => {
    expect(() => upsertStatement(document(), unnamed)).toThrow('upsertStatement: statement has no sid');
  });

  it('removes only the statement with that sid, foreign ones byte for byte', () => {
    const withOurs = upsertStatement(document(), ours);
    const after = removeStatement(withOurs, ours.sid);
    expect(JSON.stringify(after)).toBe(JSON.stringify(document()));
    expect(after?.statement?.[0]).toBe(foreign);
    expect(findStatement(after, ours.sid)).toBeUndefined();
  });

  it('matches a capitalised Sid when removing', () => {
    expect(removeStatement({ version: '2.0', statement: [foreign, unnamed] }, 'costs-readers')).toStrictEqual(
      {
        version: '2.0',
        statement: [unnamed],
      },
    );
  });

  it('returns the same document when the sid is absent, and undefined when nothing is left', () => {
    const doc = document();
    expect(removeStatement(doc, 'cosInventory-none-1')).toBe(doc);
    expect(removeStatement(upsertStatement(undefined, ours), ours.sid)).toBeUndefined();
    expect(removeStatement(undefined, ours.sid)).toBeUndefined();
  });

  it('finds statements by sid in either casing', () => {
    expect(findStatement(document(), 'costs-readers')).toBe(foreign);
    expect(findStatement(document(), 'missing')).toBeUndefined();
    expect(findStatement(undefined, 'costs-readers')).toBeUndefined();
  });
});
