import { isOneTimeRunId, oneTimeRunId, validateConfiguration } from '../../src/model';
import { MINIMAL, edited } from './fixtures';

describe('oneTimeRunId', () => {
  const now = new Date(Date.UTC(2026, 11, 1, 23, 4, 5));

  it('derives <job>-once-<UTC time>-<random> from the job id', () => {
    expect(oneTimeRunId('daily-all', now, '0a1b2c')).toBe('daily-all-once-20261201230405-0a1b2c');
    expect(isOneTimeRunId('daily-all-once-20261201230405-0a1b2c')).toBe(true);
    expect(isOneTimeRunId('daily-all')).toBe(false);
  });

  it('cuts a long job id so the whole fits 64 characters', () => {
    const id = oneTimeRunId('x'.repeat(64), now, 'ffffff');
    expect(id).toHaveLength(64);
    expect(id).toBe(`${'x'.repeat(37)}-once-20261201230405-ffffff`);
  });

  it('differs between two runs in the same second through the random part', () => {
    expect(oneTimeRunId('j', now, '000001')).not.toBe(oneTimeRunId('j', now, '000002'));
  });

  it('refuses a bad random part or job id', () => {
    expect(() => oneTimeRunId('j', now, 'XYZ')).toThrow(/random "XYZ" is not valid/);
    expect(() => oneTimeRunId('a/b', now, '000000')).toThrow(/jobId "a\/b" is not valid/);
  });

  it('is a form no scheduled job may take', () => {
    const config = edited(MINIMAL, (c) => (c.Id = 'daily-once-20261201230405-0a1b2c'));
    expect(validateConfiguration(config)).toEqual([
      {
        field: 'Id',
        value: 'daily-once-20261201230405-0a1b2c',
        message: 'must not end in -once-<14 digits>-<6 hex digits>: that form is reserved for one-time runs',
      },
    ]);
  });
});
