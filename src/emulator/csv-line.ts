/** One CSV record: every field quoted, quotes doubled (RFC 4180), ending in `\n`. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map((field) => `"${field.replace(/"/g, '""')}"`).join(',')}\n`;
}
