/** Plain text for a terminal: the same content as the Markdown, aligned in columns. */
import type { InventoryReview } from './review';
import { plainText, type RichText } from './rich-text';
import {
  actionsLabel,
  bucketTitle,
  grantDetail,
  hasChanges,
  jobActionLabel,
  jobDetailLines,
  planNotes,
  summaryLine,
} from './wording';

/** Rows of cells, each cell one or more lines, as columns padded to their widest line. */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly (readonly string[])[])[],
): string[] {
  const all = [header.map((h) => [h]), ...rows];
  const widths = header.map((_, c) =>
    Math.max(...all.map((row) => Math.max(0, ...row[c].map((l) => l.length)))),
  );
  const lines: string[] = [];
  for (const row of all) {
    const height = Math.max(...row.map((c) => c.length), 1);
    for (let i = 0; i < height; i++) {
      const parts = row.map((c, col) =>
        col === row.length - 1 ? (c[i] ?? '') : (c[i] ?? '').padEnd(widths[col]),
      );
      lines.push(`  ${parts.join('  ')}`.trimEnd());
    }
  }
  return lines;
}

const text = (line: RichText): string => plainText(line);

/** The whole review as plain text, ending with a newline. */
export function renderText(review: InventoryReview): string {
  const out: string[] = ['Inventory changes in this plan', ''];
  out.push(text(summaryLine(review)));
  for (const note of planNotes(review.plans)) out.push(`Note: ${text(note)}`);
  if (!hasChanges(review)) return `${out.join('\n')}\n`;
  out.push('');

  for (const bucket of review.buckets) {
    if (bucket.jobs.length === 0) continue;
    out.push(`Source bucket ${text(bucketTitle(bucket))}`);
    out.push(
      ...textTable(
        ['JOB', 'ACTION', 'WHAT CHANGES'],
        bucket.jobs.map((job) => [[job.jobId], [jobActionLabel(job)], jobDetailLines(job).map(text)]),
      ),
    );
    if (bucket.unchanged.length > 0) out.push(`  unchanged: ${bucket.unchanged.join(', ')}`);
    out.push('');
  }
  const quiet = review.buckets.filter((b) => b.jobs.length === 0);
  if (quiet.length > 0) {
    out.push(
      `No job changes for ${quiet.map((b) => `${text(bucketTitle(b))} (${b.unchanged.length})`).join(', ')}.`,
      '',
    );
  }
  if (review.grants.length > 0) {
    out.push('Destination grants');
    out.push(
      ...textTable(
        ['DESTINATION', 'STATEMENT', 'CHANGE', 'REPORT FOLDERS'],
        review.grants.map((g) => [[g.destination], [g.sid], [g.action], [text(grantDetail(g))]]),
      ),
      '',
    );
  }
  if (review.consequences.length > 0) {
    out.push('Consequences');
    for (const consequence of review.consequences) out.push(`  - ${text(consequence.text)}`);
    out.push('');
  }
  out.push('Terraform changes');
  out.push(
    ...textTable(
      ['ADDRESS', 'ACTIONS', 'ROLE'],
      [...review.ours, ...review.others].map((line) => [[line.address], [actionsLabel(line)], [line.role]]),
    ),
  );
  for (const name of review.otherOutputs) out.push(`  ${name}  changes`);
  return `${out.join('\n')}\n`;
}
