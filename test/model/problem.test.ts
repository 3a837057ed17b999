import { describeValue, formatProblem } from '../../src/model';

describe('formatProblem', () => {
  it('renders subject, field, message and the received value as JSON', () => {
    expect(
      formatProblem(
        { field: 'Schedule.Frequency', value: 'Hourly', message: "must be one of 'Daily', 'Weekly'" },
        'BucketInventory stack/inv',
      ),
    ).toBe(
      `BucketInventory stack/inv: Schedule.Frequency: must be one of 'Daily', 'Weekly' (received "Hourly")`,
    );
  });

  it('omits the subject when none is given', () => {
    expect(formatProblem({ field: 'Id', value: 7, message: 'must be a string' })).toBe(
      'Id: must be a string (received 7)',
    );
  });

  it('says nothing was received for a missing field', () => {
    expect(formatProblem({ field: 'Id', value: undefined, message: 'is required (a string)' })).toBe(
      'Id: is required (a string) (received nothing)',
    );
  });

  it('shortens long values and survives values JSON cannot encode', () => {
    expect(describeValue('x'.repeat(1000)).length).toBeLessThan(220);
    expect(describeValue(10n)).toBe('10');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(describeValue(cycle)).toBe('[object Object]');
  });
});
