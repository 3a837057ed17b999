/** One thing wrong with a configuration: where, what was there, and what is allowed. */
export interface Problem {
  /** Path of the offending field, e.g. `Destination.COSBucketDestination.Bucket` or `OptionalFields[2]`. */
  readonly field: string;
  /** The value received (`undefined` when the field is missing). */
  readonly value: unknown;
  /** Lowercase, says what is allowed, no trailing period. */
  readonly message: string;
}

// Long values (a whole object, a huge prefix) would bury the message.
const MAX_VALUE_LENGTH = 200;

/** Renders a value for a message: JSON when possible, `nothing` for a missing field. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Cycles and bigints cannot be JSON: fall back to the plain string form.
    text = String(value);
  }
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}...` : text;
}

/** `"<subject>: <field>: <message> (received <json value>)"`; the subject is optional. */
export function formatProblem(problem: Problem, subject?: string): string {
  const head = subject ? `${subject}: ` : '';
  const field = problem.field ? `${problem.field}: ` : '';
  return `${head}${field}${problem.message} (received ${describeValue(problem.value)})`;
}
