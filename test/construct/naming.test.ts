import { propPath } from '../../src/construct/field-names';
import {
  jobResourceName,
  nameFragment,
  policyResourceName,
  pruneResourceName,
  reportOutputName,
  terraformName,
} from '../../src/construct/logical-names';
import { escapeTemplate, escapeTemplates } from '../../src/construct/template-escape';

describe('logical names', () => {
  test('names Terraform allows are kept verbatim', () => {
    expect(nameFragment('daily_report-2')).toBe('daily_report-2');
    expect(jobResourceName('logs', 'inventory_test')).toBe('logs_job_inventory_test');
    expect(pruneResourceName('logs')).toBe('logs_prune');
    expect(reportOutputName('logs', 'weekly')).toBe('logs_report_weekly');
    expect(policyResourceName('target-1250000000')).toBe('cos_inventory_policy_target-1250000000');
  });

  test('other characters become _ plus a hash of the original, so look-alikes differ', () => {
    const dotted = nameFragment('a.b');
    expect(dotted).toMatch(/^a_b_[0-9a-f]{6}$/);
    expect(dotted).not.toBe(nameFragment('a_b'));
    expect(nameFragment('a..b')).not.toBe(dotted);
    expect(nameFragment('.')).toMatch(/^x_[0-9a-f]{6}$/);
    expect(nameFragment('a.b')).toBe(dotted);
  });

  test('names never start with a digit or a hyphen', () => {
    expect(terraformName('1abc')).toBe('_1abc');
    expect(terraformName('-x')).toBe('_-x');
    expect(jobResourceName('9logs', 'a')).toBe('_9logs_job_a');
  });
});

describe('template escaping', () => {
  test('escapes interpolations and directives', () => {
    expect(escapeTemplate('a${b}c%{d}')).toBe('a$${b}c%%{d}');
    expect(escapeTemplate('plain $ and % and {}')).toBe('plain $ and % and {}');
  });

  test('keeps cdktf token markers for cdktf to resolve', () => {
    expect(escapeTemplate('x-${TfToken[TOKEN.12]}-${y}')).toBe('x-${TfToken[TOKEN.12]}-$${y}');
  });

  test('walks objects and arrays, leaving keys and non-strings alone', () => {
    expect(escapeTemplates({ a: ['${x}', 1, true, null], b: { c: '%{y}' } })).toEqual({
      a: ['$${x}', 1, true, null],
      b: { c: '%%{y}' },
    });
  });
});

describe('field names in messages', () => {
  test.each([
    ['Destination.COSBucketDestination.Bucket', 'destination.bucket'],
    ['Destination.COSBucketDestination.Encryption', 'destination.encryption'],
    ['Filter.And.Tag[1].Key', 'filter.tags[1].key'],
    ['Filter.And.Prefix', 'filter.prefix'],
    ['Filter.Period.StartTime', 'filter.period.startTime'],
    ['OptionalFields[2]', 'optionalFields[2]'],
    ['Schedule.MonthlyDate', 'schedule.monthlyDate'],
    ['IsEnabled', 'enabled'],
    ['Id', 'id'],
    ['Something.Else', 'Something.Else'],
  ])('%s -> %s', (sdk, prop) => {
    expect(propPath(sdk)).toBe(prop);
  });
});
