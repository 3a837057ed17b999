import { deliveryVerdict, describeVerdict, OVERDUE_AFTER_DAYS } from '../../src/model/delivery-verdict';

const DAY = 86_400_000;
const start = Date.UTC(2026, 10, 20); // 20261120, 00:00 UTC

describe('deliveryVerdict', () => {
  it.each([
    ['Daily', 2],
    ['Weekly', 8],
    ['Monthly', 32],
  ] as const)('%s: ok up to %i days after the delivery day began, overdue after', (frequency, days) => {
    expect(OVERDUE_AFTER_DAYS[frequency]).toBe(days);
    const facts = { enabled: true, frequency, newestDate: '20261120' };
    expect(deliveryVerdict(facts, new Date(start))).toBe('ok');
    expect(deliveryVerdict(facts, new Date(start + days * DAY))).toBe('ok');
    expect(deliveryVerdict(facts, new Date(start + days * DAY + 1))).toBe('overdue');
  });

  it('never, disabled and unreadable', () => {
    const now = new Date(start);
    expect(deliveryVerdict({ enabled: true, frequency: 'Daily' }, now)).toBe('never');
    expect(deliveryVerdict({ enabled: false, frequency: 'Daily' }, now)).toBe('disabled');
    const refused = { enabled: true, frequency: 'Daily' as const, unreadable: 'refused' };
    expect(deliveryVerdict(refused, now)).toBe('unreadable');
    // A disabled job delivers nothing: its destination does not matter.
    expect(deliveryVerdict({ ...refused, enabled: false }, now)).toBe('disabled');
  });

  it('explains an overdue job with its date, margin and schedule', () => {
    const facts = { enabled: true, frequency: 'Weekly' as const, newestDate: '20261101' };
    expect(describeVerdict('w', facts, 'overdue')).toBe(
      'inventory job w: the newest report is of 20261101, older than 8 days for a weekly schedule: ' +
        'check that cos may write to the destination (its bucket policy)',
    );
  });
});
