/**
 * Whether a job's reports keep arriving: the one rule shared by `cos-inventory status` and the
 * drift check's `deliveryCheck`. COS has no status API, so the rule judges the newest delivery
 * folder found in the destination against the schedule.
 */
import type { Frequency } from './configuration';

/**
 * Days a delivery may be old before the job counts as overdue: the schedule's period plus a
 * margin for COS's own delay (a daily report lands the next day, a monthly one in the next
 * month; 32 covers the longest month plus a day).
 */
export const OVERDUE_AFTER_DAYS: Readonly<Record<Frequency, number>> = {
  Daily: 2,
  Weekly: 8,
  Monthly: 32,
};

/** The verdicts, from best to worst. */
export const DELIVERY_VERDICTS = ['ok', 'disabled', 'never', 'overdue', 'unreadable'] as const;
export type DeliveryVerdict = (typeof DELIVERY_VERDICTS)[number];

/** Verdicts that call for attention (a non-zero exit of `status`). */
export const FAILING_VERDICTS: readonly DeliveryVerdict[] = ['overdue', 'unreadable'];

const DAY_MS = 86_400_000;

export interface DeliveryFacts {
  readonly enabled: boolean;
  readonly frequency: Frequency;
  /** `YYYYMMDD` of the newest delivery found; absent when none was found. */
  readonly newestDate?: string;
  /** Set when the destination refused the listing: the reason, naming the permission. */
  readonly unreadable?: string;
}

/** Midnight UTC of a `YYYYMMDD` date, in milliseconds; NaN when the text is not one. */
function dateMs(date: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
}

/**
 * The verdict of one job at `now`: `disabled` for a disabled job (COS delivers nothing, so
 * nothing can be late), else `unreadable` when the destination refused the listing, `never`
 * without any delivery, `overdue` when the newest
 * delivery's day began more than {@link OVERDUE_AFTER_DAYS} days before `now`, else `ok`.
 */
export function deliveryVerdict(facts: DeliveryFacts, now: Date): DeliveryVerdict {
  if (!facts.enabled) return 'disabled';
  if (facts.unreadable !== undefined) return 'unreadable';
  if (facts.newestDate === undefined) return 'never';
  const age = now.getTime() - dateMs(facts.newestDate);
  return age > OVERDUE_AFTER_DAYS[facts.frequency] * DAY_MS ? 'overdue' : 'ok';
}

/** One line explaining a verdict, for warnings and the status table's notes. */
export function describeVerdict(jobId: string, facts: DeliveryFacts, verdict: DeliveryVerdict): string {
  switch (verdict) {
    case 'unreadable':
      return `inventory job ${jobId}: deliveries cannot be checked: ${facts.unreadable}`;
    case 'never':
      return `inventory job ${jobId}: no report has been delivered yet`;
    case 'overdue':
      return (
        `inventory job ${jobId}: the newest report is of ${facts.newestDate}, older than ` +
        `${OVERDUE_AFTER_DAYS[facts.frequency]} days for a ${facts.frequency.toLowerCase()} schedule: ` +
        'check that cos may write to the destination (its bucket policy)'
      );
    case 'disabled':
      return `inventory job ${jobId}: disabled`;
    default:
      return `inventory job ${jobId}: last report of ${facts.newestDate}`;
  }
}
