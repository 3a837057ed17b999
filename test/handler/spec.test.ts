/** The stack's drift query: every field checked, each problem one message naming field, value and what is allowed. */
import { HandlerError } from '../../src/handler/errors';
import { parseReadQuery } from '../../src/handler/spec';

const configuration = {
  Id: 'list1',
  IsEnabled: 'true',
  Destination: {
    COSBucketDestination: { Format: 'CSV', Bucket: 'qcs::cos:ap-guangzhou::dest-1250000000', Prefix: 'inv' },
  },
  Schedule: { Frequency: 'Daily' },
  IncludedObjectVersions: 'Current',
};

const base = { bucket: 'b-1250000000', region: 'ap-guangzhou' };

function thrown(action: () => unknown): HandlerError {
  try {
    action();
  } catch (error) {
    if (error instanceof HandlerError) return error;
    throw error;
  }
  throw new Error('expected a HandlerError');
}

const parse = (query: unknown) =>
  parseReadQuery('drift', typeof query === 'string' ? query : JSON.stringify(query));

describe('the read query', () => {
  it('parses a query whose values are strings', () => {
    const query = parse({
      ...base,
      configurations: JSON.stringify([configuration]),
      addresses: JSON.stringify({ list1: 'cosinventory_job.logs_job_list1' }),
      delivery_check: 'true',
    });
    expect(query).toEqual({
      ...base,
      configurations: [configuration],
      addresses: { list1: 'cosinventory_job.logs_job_list1' },
      deliveryCheck: true,
    });
  });

  it('rejects text that is not json, or json that is not an object, as a usage error', () => {
    const error = thrown(() => parse('{"bucket":'));
    expect(error.code).toBe('InvalidSpec');
    expect(error.message).toMatch(/^query is not valid json/);
    expect(error.exitCode).toBe(2);
    expect(thrown(() => parse('[1]')).message).toContain('must be a json object (received [1])');
    expect(thrown(() => parse('')).message).toBe('query is empty: drift needs a json object');
  });

  it('names the field, the value and what is allowed for a bad bucket or region', () => {
    expect(thrown(() => parse({ ...base, bucket: 'Bad_Bucket', configurations: '[]' })).message).toBe(
      'query field bucket: must be a bucket name <name>-<appid> such as examplebucket-1250000000 (received "Bad_Bucket")',
    );
    expect(thrown(() => parse({ ...base, region: 'guangzhou', configurations: '[]' })).message).toBe(
      'query field region: must be a cos region id such as ap-guangzhou (received "guangzhou")',
    );
  });

  it('reports every configuration problem from the model', () => {
    const error = thrown(() =>
      parse({
        ...base,
        configurations: JSON.stringify([
          { ...configuration, IsEnabled: 'yes', Schedule: { Frequency: 'Hourly' } },
        ]),
      }),
    );
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain('configurations[0]');
    expect(error.message).toContain('IsEnabled');
    expect(error.message).toContain('Schedule.Frequency');
  });

  it('refuses embedded json that does not parse, values that are not strings and duplicate ids', () => {
    expect(thrown(() => parse({ ...base, configurations: '[' })).message).toMatch(
      /^query field configurations: must be json text/,
    );
    expect(thrown(() => parse({ ...base, configurations: [] })).message).toContain('must be a string');
    expect(
      thrown(() => parse({ ...base, configurations: JSON.stringify([configuration, configuration]) }))
        .message,
    ).toContain('query field configurations[1].Id: must be unique among the configurations');
    expect(
      thrown(() => parse({ ...base, configurations: '[]', addresses: JSON.stringify({ list1: '' }) }))
        .message,
    ).toContain('query field addresses.list1: must be a terraform resource address string');
  });
});
