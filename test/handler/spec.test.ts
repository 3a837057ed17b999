import { HandlerError } from '../../src/handler/errors';
import {
  parseAttachPolicySpec,
  parseDeleteJobSpec,
  parseDetachPolicySpec,
  parseJobSpec,
  parseJsonObject,
  parsePruneSpec,
  parseReadQuery,
} from '../../src/handler/spec';

const configuration = {
  Id: 'list1',
  IsEnabled: 'true',
  Destination: {
    COSBucketDestination: { Format: 'CSV', Bucket: 'qcs::cos:ap-guangzhou::dest-1250000000', Prefix: 'inv' },
  },
  Schedule: { Frequency: 'Daily' },
  IncludedObjectVersions: 'Current',
};

function thrown(action: () => unknown): HandlerError {
  try {
    action();
  } catch (error) {
    if (error instanceof HandlerError) return error;
    throw error;
  }
  throw new Error('expected a HandlerError');
}

describe('handler specs', () => {
  it('rejects text that is not json, naming the variable', () => {
    const error = thrown(() => parseJsonObject('put-job', '{"bucket":'));
    expect(error.code).toBe('InvalidSpec');
    expect(error.message).toMatch(/^COS_INVENTORY_SPEC is not valid json/);
    expect(error.exitCode).toBe(2);
  });

  it('rejects a json value that is not an object', () => {
    expect(thrown(() => parseJsonObject('prune', '[1]')).message).toContain(
      'must be a json object (received [1])',
    );
  });

  it('names the field, the value and what is allowed for a bad bucket', () => {
    const error = thrown(() =>
      parseDeleteJobSpec('delete-job', { bucket: 'Bad_Bucket', region: 'ap-guangzhou', id: 'a' }),
    );
    expect(error.message).toBe(
      'COS_INVENTORY_SPEC field bucket: must be a bucket name <name>-<appid> such as examplebucket-1250000000 (received "Bad_Bucket")',
    );
  });

  it('rejects a bad job id', () => {
    const error = thrown(() =>
      parseDeleteJobSpec('delete-job', { bucket: 'b-1250000000', region: 'ap-guangzhou', id: 'a/b' }),
    );
    expect(error.message).toContain('field id: must be 1-64 characters');
  });

  it('reports every configuration problem from the model', () => {
    const error = thrown(() =>
      parseJobSpec('put-job', {
        bucket: 'b-1250000000',
        region: 'ap-guangzhou',
        configuration: { ...configuration, IsEnabled: 'yes', Schedule: { Frequency: 'Hourly' } },
      }),
    );
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain('IsEnabled');
    expect(error.message).toContain('Schedule.Frequency');
  });

  it('accepts a valid job spec', () => {
    const spec = parseJobSpec('put-job', { bucket: 'b-1250000000', region: 'ap-guangzhou', configuration });
    expect(spec.configuration.Id).toBe('list1');
  });

  it('checks prune id lists', () => {
    expect(
      parsePruneSpec('prune', { bucket: 'b-1', region: 'ap-guangzhou', previous: ['a'], desired: [] })
        .previous,
    ).toEqual(['a']);
    expect(
      thrown(() =>
        parsePruneSpec('prune', { bucket: 'b-1', region: 'ap-guangzhou', previous: 'a', desired: [] }),
      ).message,
    ).toContain('field previous: must be an array');
  });

  it('takes the grants of a prune: sid, destinations by key, the keys kept', () => {
    const base = { bucket: 'b-1', region: 'ap-guangzhou', previous: [], desired: [] };
    expect(
      parsePruneSpec('prune', {
        ...base,
        sid: 'cosInventory-b-1',
        destinations: { 'd-1': { bucket: 'd-1', region: 'ap-guangzhou' } },
        keepDestinations: [],
      }).grants,
    ).toEqual({
      sid: 'cosInventory-b-1',
      destinations: { 'd-1': { bucket: 'd-1', region: 'ap-guangzhou' } },
      keepDestinations: [],
    });
    // State of earlier versions: try(...) gives "" and {}.
    expect(
      parsePruneSpec('prune', { ...base, sid: '', destinations: {}, keepDestinations: ['x'] }).grants,
    ).toEqual({ sid: '', destinations: {}, keepDestinations: ['x'] });
    expect(parsePruneSpec('prune', base).grants).toBeUndefined();
    expect(
      thrown(() =>
        parsePruneSpec('prune', {
          ...base,
          sid: 's',
          destinations: { k: { bucket: 'Bad', region: 'ap-guangzhou' } },
          keepDestinations: [],
        }),
      ).message,
    ).toContain('field bucket: must be a bucket name');
    expect(
      thrown(() => parsePruneSpec('prune', { ...base, sid: 's', destinations: {}, keepDestinations: 'k' }))
        .message,
    ).toContain('field keepDestinations: must be an array of destination keys');
  });

  it('takes one statement or a list, each with a sid', () => {
    const statement = { sid: 's1', effect: 'allow' };
    const base = { bucket: 'b-1', region: 'ap-guangzhou' };
    expect(parseAttachPolicySpec('attach-policy', { ...base, statement }).statements).toEqual([statement]);
    expect(
      parseAttachPolicySpec('attach-policy', { ...base, statements: [statement, { Sid: 's2' }] }).statements,
    ).toHaveLength(2);
    expect(thrown(() => parseAttachPolicySpec('attach-policy', base)).message).toContain(
      'exactly one of statement',
    );
    expect(
      thrown(() => parseAttachPolicySpec('attach-policy', { ...base, statement: { effect: 'allow' } }))
        .message,
    ).toContain('field statement.sid');
    expect(parseDetachPolicySpec('detach-policy', { ...base, sids: ['a', 'b'] }).sids).toEqual(['a', 'b']);
    expect(thrown(() => parseDetachPolicySpec('detach-policy', { ...base, sid: 3 })).message).toContain(
      'field sid: must be a non-empty string',
    );
    expect(parseDetachPolicySpec('detach-policy', { ...base, sids: ['a'] })).not.toHaveProperty('keep');
    expect(parseDetachPolicySpec('detach-policy', { ...base, sids: ['a', 'b'], keep: ['b'] }).keep).toEqual([
      'b',
    ]);
    expect(
      thrown(() => parseDetachPolicySpec('detach-policy', { ...base, sids: ['a'], keep: 'a' })).message,
    ).toContain('field keep: must be an array of statement sids');
    expect(
      thrown(() => parseDetachPolicySpec('detach-policy', { ...base, sids: ['a'], keep: ['a', ''] })).message,
    ).toContain('field keep[1]: must be a non-empty string');
  });

  it('parses the external data source query, whose values are strings', () => {
    const query = parseReadQuery(
      'read',
      JSON.stringify({
        bucket: 'b-1250000000',
        region: 'ap-guangzhou',
        configurations: JSON.stringify([configuration]),
        addresses: JSON.stringify({ list1: 'terraform_data.job' }),
      }),
    );
    expect(query.configurations).toHaveLength(1);
    expect(query.addresses).toEqual({ list1: 'terraform_data.job' });
    expect(
      thrown(() =>
        parseReadQuery(
          'read',
          JSON.stringify({ bucket: 'b-1', region: 'ap-guangzhou', configurations: '[' }),
        ),
      ).message,
    ).toMatch(/^query field configurations: must be json text/);
    expect(
      thrown(() =>
        parseReadQuery('read', JSON.stringify({ bucket: 'b-1', region: 'ap-guangzhou', configurations: [] })),
      ).message,
    ).toContain('must be a string');
  });
});

describe('empty policy lists', () => {
  it('are accepted: a destination without grants has nothing to do', () => {
    const base = { bucket: 'b-1', region: 'ap-guangzhou' };
    expect(parseAttachPolicySpec('attach-policy', { ...base, statements: [] }).statements).toEqual([]);
    expect(parseDetachPolicySpec('detach-policy', { ...base, sids: [] }).sids).toEqual([]);
  });
});
