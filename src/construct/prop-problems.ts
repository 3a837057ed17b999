/**
 * The model checks the SDK shape (`Schedule.MonthlyDate: "40"`); a construct user wrote props
 * (`schedule.monthlyDate: 40`). This turns a model problem into the prop's own name, type and
 * value, so a message never speaks of a field or a type the user did not write.
 */
import { MAX_MONTHLY_DATE } from '../model/validate';
import type { Problem } from '../model/problem';
import { propPath } from './field-names';
import type { InventoryJob } from './inventory-job';

// SDK names that the model's messages mention, in prop terms.
const MESSAGE_WORDS: readonly (readonly [RegExp, string])[] = [
  [/Schedule\.Frequency/g, 'schedule.frequency'],
  [/OptionalFields/g, 'optionalFields'],
  [/StartTime/g, 'startTime'],
  [/EndTime/g, 'endTime'],
];

function inPropWords(message: string): string {
  return MESSAGE_WORDS.reduce((text, [from, to]) => text.replace(from, to), message);
}

const WHOLE_DAY = `must be a whole number from 1 to ${MAX_MONTHLY_DATE}`;
const TIME = 'must be a Date or whole unix seconds (a number from 0)';

/** `problem` in the terms of `job`'s props; `undefined` when it cannot come from props. */
export function propProblem(problem: Problem, job: InventoryJob): Problem {
  const field = propPath(problem.field);
  const message = inPropWords(problem.message);
  switch (problem.field) {
    case 'Schedule.MonthlyDate': {
      const value = job.schedule?.monthlyDate;
      if (job.schedule?.frequency !== 'Monthly') {
        return { field, value, message: "is allowed only when schedule.frequency is 'Monthly'" };
      }
      return value === undefined
        ? {
            field,
            value,
            message: `is required when schedule.frequency is 'Monthly': a whole number from 1 to ${MAX_MONTHLY_DATE}`,
          }
        : { field, value, message: WHOLE_DAY };
    }
    case 'Filter.Period.StartTime':
      return { field, value: job.filter?.period?.startTime, message: TIME };
    case 'Filter.Period.EndTime':
      return { field, value: job.filter?.period?.endTime, message: TIME };
    case 'Filter.Period':
      return { field, value: job.filter?.period, message };
    case 'Filter.And.Tag':
      return { field, value: job.filter?.tags, message };
    default:
      return { field, value: problem.value, message };
  }
}
