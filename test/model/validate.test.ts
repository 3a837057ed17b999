import { MAX_JOBS_PER_BUCKET, validateConfiguration, validateJobSet, type Problem } from '../../src/model';
import { MINIMAL, SEED_SAMPLE_ENCRYPTED, SEED_SAMPLE_PLAIN, edited } from './fixtures';

const fieldsOf = (problems: Problem[]): string[] => problems.map((p) => p.field);

/** The problems of MINIMAL after `edit`. */
function problemsAfter(edit: Parameters<typeof edited>[1], context?: { sourceRegion?: string }): Problem[] {
  return validateConfiguration(edited(MINIMAL, edit), context);
}

describe('validateConfiguration: valid configurations', () => {
  it('accepts both samples of the sdk reference (seeds/000)', () => {
    expect(validateConfiguration(SEED_SAMPLE_ENCRYPTED)).toEqual([]);
    expect(validateConfiguration(SEED_SAMPLE_PLAIN)).toEqual([]);
    expect(validateConfiguration(SEED_SAMPLE_PLAIN, { sourceRegion: 'ap-beijing' })).toEqual([]);
  });

  it('accepts a minimal job and a job using every part', () => {
    expect(validateConfiguration(MINIMAL)).toEqual([]);
    const full = edited(MINIMAL, (c) => {
      c.Schedule = { Frequency: 'Monthly', MonthlyDate: '28' };
      c.Filter = {
        And: { Prefix: 'a/', Tag: [{ Key: 'team', Value: '' }], StorageClass: 'STANDARD' },
        Period: { StartTime: '1700000000', EndTime: '1800000000' },
      };
      c.OptionalFields = ['Tag', 'Crc64', 'x-cos-meta-owner_id', 'x-cos-meta-a-b'];
      c.Destination.COSBucketDestination.Prefix = 'reports/daily';
      c.Destination.COSBucketDestination.AccountId = '100000000001';
    });
    expect(validateConfiguration(full, { sourceRegion: 'ap-guangzhou' })).toEqual([]);
  });

  it('treats undefined optional values as absent', () => {
    expect(
      validateConfiguration(
        { ...MINIMAL, Filter: undefined, OptionalFields: undefined },
        { sourceRegion: undefined },
      ),
    ).toEqual([]);
  });
});

describe('validateConfiguration: each rule', () => {
  it('rejects something that is not an object', () => {
    expect(validateConfiguration('job')).toEqual([
      { field: 'InventoryConfiguration', value: 'job', message: 'must be an object' },
    ]);
    expect(fieldsOf(validateConfiguration([]))).toEqual(['InventoryConfiguration']);
  });

  it('reports every missing required field at once', () => {
    expect(fieldsOf(validateConfiguration({}))).toEqual([
      'Id',
      'IsEnabled',
      'Destination',
      'Schedule',
      'IncludedObjectVersions',
    ]);
  });

  it.each([
    ['', 'must not be empty'],
    ['a'.repeat(65), 'must be at most 64 characters'],
    ['has space', 'may contain only letters, digits, hyphens, underscores and dots'],
    ['ünïcode', 'may contain only letters, digits, hyphens, underscores and dots'],
  ])('Id case %#: %s', (id, message) => {
    expect(problemsAfter((c) => (c.Id = id))).toEqual([{ field: 'Id', value: id, message }]);
  });

  it('accepts a 64-character id of every allowed character class', () => {
    const id = `aZ0-_.${'x'.repeat(58)}`;
    expect(problemsAfter((c) => (c.Id = id))).toEqual([]);
  });

  it.each([true, 'yes', 'TRUE'])('IsEnabled %j must be the string true or false', (value) => {
    expect(problemsAfter((c) => (c.IsEnabled = value))).toEqual([
      { field: 'IsEnabled', value, message: "must be one of 'true', 'false' (a string)" },
    ]);
  });

  it('IncludedObjectVersions must be All or Current', () => {
    expect(problemsAfter((c) => (c.IncludedObjectVersions = 'Latest'))).toEqual([
      {
        field: 'IncludedObjectVersions',
        value: 'Latest',
        message: "must be one of 'All', 'Current' (a string)",
      },
    ]);
  });

  describe('Schedule', () => {
    it('Frequency must be Daily, Weekly or Monthly', () => {
      expect(problemsAfter((c) => (c.Schedule.Frequency = 'Hourly'))).toEqual([
        {
          field: 'Schedule.Frequency',
          value: 'Hourly',
          message: "must be one of 'Daily', 'Weekly', 'Monthly' (a string)",
        },
      ]);
    });
    it('Monthly needs MonthlyDate', () => {
      expect(problemsAfter((c) => (c.Schedule = { Frequency: 'Monthly' }))).toEqual([
        { field: 'Schedule.MonthlyDate', value: undefined, message: 'is required (a string)' },
      ]);
    });
    it.each(['0', '29', '31', '1.5', '07', '-1', 'first', ''])('MonthlyDate %j is out of 1..28', (date) => {
      expect(
        fieldsOf(problemsAfter((c) => (c.Schedule = { Frequency: 'Monthly', MonthlyDate: date }))),
      ).toEqual(['Schedule.MonthlyDate']);
    });
    it('MonthlyDate as a number is rejected: the sdk takes strings', () => {
      expect(problemsAfter((c) => (c.Schedule = { Frequency: 'Monthly', MonthlyDate: 5 }))).toEqual([
        { field: 'Schedule.MonthlyDate', value: 5, message: 'must be a string' },
      ]);
    });
    it.each(['1', '15', '28'])('MonthlyDate %s is fine', (date) => {
      expect(problemsAfter((c) => (c.Schedule = { Frequency: 'Monthly', MonthlyDate: date }))).toEqual([]);
    });
    it.each(['Daily', 'Weekly'])('MonthlyDate is forbidden for %s', (frequency) => {
      expect(problemsAfter((c) => (c.Schedule = { Frequency: frequency, MonthlyDate: '1' }))).toEqual([
        {
          field: 'Schedule.MonthlyDate',
          value: '1',
          message: "is allowed only when Schedule.Frequency is 'Monthly'",
        },
      ]);
    });
  });

  describe('Destination', () => {
    const path = 'Destination.COSBucketDestination';
    it('needs COSBucketDestination', () => {
      expect(problemsAfter((c) => (c.Destination = {}))).toEqual([
        { field: path, value: undefined, message: 'is required (an object)' },
      ]);
    });
    it('Format must be CSV', () => {
      expect(problemsAfter((c) => (c.Destination.COSBucketDestination.Format = 'ORC'))).toEqual([
        { field: `${path}.Format`, value: 'ORC', message: "must be one of 'CSV' (a string)" },
      ]);
    });
    it.each([
      'reports-1250000000',
      'qcs::cos:ap-guangzhou::Reports-1250000000',
      'qcs::cos:ap-guangzhou::reports',
      'qcs::cos:guangzhou::reports-1250000000',
      'qcs::cos:ap-guangzhou:uid/1250000000:reports-1250000000',
    ])('Bucket %j is not qcs::cos:<region>::<name>-<appid>', (bucket) => {
      const problems = problemsAfter((c) => (c.Destination.COSBucketDestination.Bucket = bucket));
      expect(fieldsOf(problems)).toEqual([`${path}.Bucket`]);
      expect(problems[0].message).toMatch(/^must be qcs::cos:<region>::<name>-<appid>/);
    });
    it('Bucket must be in the source region when it is known', () => {
      expect(problemsAfter(() => undefined, { sourceRegion: 'ap-beijing' })).toEqual([
        {
          field: `${path}.Bucket`,
          value: 'qcs::cos:ap-guangzhou::reports-1250000000',
          message: "must be in the source bucket's region ap-beijing",
        },
      ]);
    });
    it('AccountId must be digits', () => {
      expect(problemsAfter((c) => (c.Destination.COSBucketDestination.AccountId = 'uin-1'))).toEqual([
        { field: `${path}.AccountId`, value: 'uin-1', message: 'must be the owner uin: digits only' },
      ]);
    });
    it.each([
      ['/reports', "must not start with '/'"],
      ['reports/', "must not end with '/' (cos adds it)"],
      ['r'.repeat(1025), 'must be at most 1024 characters'],
      ['a\nb', 'must not contain control characters'],
      ['a\u007fb', 'must not contain control characters'],
    ])('Prefix case %#: %s', (prefix, message) => {
      expect(problemsAfter((c) => (c.Destination.COSBucketDestination.Prefix = prefix))).toEqual([
        { field: `${path}.Prefix`, value: prefix, message },
      ]);
    });
    it('Prefix of exactly 1024 characters is fine', () => {
      expect(problemsAfter((c) => (c.Destination.COSBucketDestination.Prefix = 'r'.repeat(1024)))).toEqual(
        [],
      );
    });
    it.each([{ SSECOS: 'x' }, { 'SSE-COS': '' }, { SSECOS: '', SSEKMS: '' }, {}, 'SSECOS'])(
      'Encryption %j is not { SSECOS: "" }',
      (encryption) => {
        expect(
          fieldsOf(problemsAfter((c) => (c.Destination.COSBucketDestination.Encryption = encryption))),
        ).toEqual([`${path}.Encryption`]);
      },
    );
  });

  describe('OptionalFields', () => {
    it('must be an array', () => {
      expect(problemsAfter((c) => (c.OptionalFields = 'Size'))).toEqual([
        { field: 'OptionalFields', value: 'Size', message: 'must be an array of field names' },
      ]);
    });
    it('names each unknown or malformed field by index', () => {
      const problems = problemsAfter(
        (c) => (c.OptionalFields = ['Size', 'size', 'x-cos-meta-', 'x-cos-meta-Owner', 'x-cos-meta-a.b', 3]),
      );
      expect(fieldsOf(problems)).toEqual([
        'OptionalFields[1]',
        'OptionalFields[2]',
        'OptionalFields[3]',
        'OptionalFields[4]',
        'OptionalFields[5]',
      ]);
      expect(problems[0].message).toMatch(/^must be one of Size, LastModifiedDate, .* or x-cos-meta-<name>/);
      expect(problems[4].message).toBe('must be a string');
    });
    it('reports a duplicate at its second position', () => {
      expect(problemsAfter((c) => (c.OptionalFields = ['ETag', 'Size', 'ETag']))).toEqual([
        { field: 'OptionalFields[2]', value: 'ETag', message: 'is listed more than once' },
      ]);
    });
  });

  describe('Filter', () => {
    it('takes Prefix or And, not both', () => {
      expect(fieldsOf(problemsAfter((c) => (c.Filter = { Prefix: 'a', And: { Prefix: 'b' } })))).toEqual([
        'Filter',
      ]);
    });
    it('And needs a prefix or a tag', () => {
      expect(fieldsOf(problemsAfter((c) => (c.Filter = { And: {} })))).toEqual(['Filter.And']);
      expect(
        fieldsOf(problemsAfter((c) => (c.Filter = { And: { Tag: [], StorageClass: 'STANDARD' } }))),
      ).toEqual(['Filter.And']);
      expect(problemsAfter((c) => (c.Filter = { And: { Prefix: 'a' } }))).toEqual([]);
    });
    it('tag filters need Tag in OptionalFields', () => {
      expect(
        problemsAfter((c) => {
          c.Filter = { And: { Tag: [{ Key: 'k', Value: 'v' }] } };
          c.OptionalFields = ['Size'];
        }),
      ).toEqual([
        {
          field: 'Filter.And.Tag',
          value: [{ Key: 'k', Value: 'v' }],
          message: "filtering by tag needs 'Tag' in OptionalFields",
        },
      ]);
    });
    it('checks tag key and value lengths', () => {
      const problems = problemsAfter((c) => {
        c.OptionalFields = ['Tag'];
        c.Filter = {
          And: {
            Tag: [
              { Key: '', Value: 'v' },
              { Key: 'k'.repeat(129), Value: 'v' },
              { Key: 'k', Value: 'v'.repeat(257) },
              { Key: 'k'.repeat(128), Value: 'v'.repeat(256) },
              { Key: 'k' },
              'k=v',
            ],
          },
        };
      });
      expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
        'Filter.And.Tag[0].Key: must be 1 to 128 characters',
        'Filter.And.Tag[1].Key: must be 1 to 128 characters',
        'Filter.And.Tag[2].Value: must be at most 256 characters',
        'Filter.And.Tag[4].Value: is required (a string)',
        'Filter.And.Tag[5]: must be an object',
      ]);
    });
    it('Tag must be an array', () => {
      expect(
        fieldsOf(
          problemsAfter((c) => {
            c.OptionalFields = ['Tag'];
            c.Filter = { And: { Prefix: 'a', Tag: { Key: 'k', Value: 'v' } } };
          }),
        ),
      ).toEqual(['Filter.And.Tag']);
    });
    it.each([
      [{ StartTime: '10', EndTime: '10' }, 'Filter.Period', 'StartTime must be earlier than EndTime'],
      [{ StartTime: '20', EndTime: '10' }, 'Filter.Period', 'StartTime must be earlier than EndTime'],
      [{}, 'Filter.Period', 'needs StartTime and/or EndTime'],
      [{ StartTime: '2024-01-01' }, 'Filter.Period.StartTime', 'must be unix seconds as a decimal string'],
      [{ EndTime: '1.5' }, 'Filter.Period.EndTime', 'must be unix seconds as a decimal string'],
      [{ EndTime: 1700000000 }, 'Filter.Period.EndTime', 'must be a string'],
    ])('Period %j', (period, field, message) => {
      expect(problemsAfter((c) => (c.Filter = { Period: period }))).toEqual([
        { field, value: expect.anything(), message },
      ]);
    });
    it('accepts an open-ended period', () => {
      expect(problemsAfter((c) => (c.Filter = { Period: { StartTime: '0' } }))).toEqual([]);
      expect(problemsAfter((c) => (c.Filter = { Period: { EndTime: '1800000000' } }))).toEqual([]);
    });
    it('compares times numerically, not as text', () => {
      expect(problemsAfter((c) => (c.Filter = { Period: { StartTime: '9', EndTime: '10' } }))).toEqual([]);
    });
  });

  it('reports unknown keys anywhere, with their path', () => {
    const problems = problemsAfter((c) => {
      c.Name = 'x';
      c.Destination.Other = {};
      c.Destination.COSBucketDestination.Region = 'ap-guangzhou';
      c.Schedule.Time = '01:00';
      c.Filter = { Prefix: 'a', Suffix: '.log', Period: { StartTime: '1', Start: '1' } };
    });
    expect(fieldsOf(problems)).toEqual([
      'Name',
      'Destination.Other',
      'Destination.COSBucketDestination.Region',
      'Schedule.Time',
      'Filter.Suffix',
      'Filter.Period.Start',
    ]);
    expect(problems[0].message).toBe(
      'unknown field; allowed here: Id, IsEnabled, Destination, Schedule, Filter, IncludedObjectVersions, OptionalFields',
    );
  });

  it('returns every problem of a badly broken configuration together', () => {
    const problems = validateConfiguration({
      Id: 'bad id',
      IsEnabled: 'on',
      Destination: { COSBucketDestination: { Format: 'CSV', Bucket: 'nope', Prefix: '/x' } },
      Schedule: { Frequency: 'Yearly' },
      IncludedObjectVersions: 'Some',
      OptionalFields: ['Size', 'Size'],
    });
    expect(fieldsOf(problems)).toEqual([
      'Id',
      'IsEnabled',
      'Destination.COSBucketDestination.Bucket',
      'Destination.COSBucketDestination.Prefix',
      'Schedule.Frequency',
      'OptionalFields[1]',
      'IncludedObjectVersions',
    ]);
    for (const problem of problems) {
      expect(problem.message).toMatch(/^[^A-Z]/);
      expect(problem.message).not.toMatch(/\.$/);
    }
  });
});

describe('validateJobSet', () => {
  it('accepts distinct ids', () => {
    expect(validateJobSet([{ Id: 'a' }, { Id: 'b' }])).toEqual([]);
  });
  it('reports each repeated id', () => {
    expect(validateJobSet([{ Id: 'a' }, { Id: 'b' }, { Id: 'a' }, { Id: 'a' }])).toEqual([
      { field: '[2].Id', value: 'a', message: 'duplicates the id of another job' },
      { field: '[3].Id', value: 'a', message: 'duplicates the id of another job' },
    ]);
  });
  it('allows 1000 jobs and rejects 1001', () => {
    const jobs = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `job${i}` }));
    expect(validateJobSet(jobs(MAX_JOBS_PER_BUCKET))).toEqual([]);
    expect(validateJobSet(jobs(MAX_JOBS_PER_BUCKET + 1))).toEqual([
      {
        field: 'InventoryConfigurations',
        value: 1001,
        message: 'a bucket holds at most 1000 inventory jobs',
      },
    ]);
  });
});
