/**
 * A line of review text whose literal parts (job ids, buckets, locations, prop paths) the
 * Markdown renderer sets as code and the text renderer leaves plain.
 */

/** A literal: rendered as `code` in Markdown. */
export interface Code {
  readonly code: string;
}

export type RichText = readonly (string | Code)[];

export function code(value: string): Code {
  return { code: value };
}

/** The line as plain text. */
export function plainText(line: RichText): string {
  return line.map((part) => (typeof part === 'string' ? part : part.code)).join('');
}
