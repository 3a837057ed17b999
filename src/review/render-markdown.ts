/**
 * GitHub-flavoured Markdown for a pull-request comment: written for a reviewer who has never
 * seen this project, so it says what the tables are and keeps Terraform's addresses in a
 * collapsed section at the end.
 */
import type { InventoryReview, ResourceLine } from './review';
import type { RichText } from './rich-text';
import {
  actionsLabel,
  bucketTitle,
  grantDetail,
  hasChanges,
  jobActionLabel,
  jobDetailLines,
  planNotes,
  roleLabel,
  summaryLine,
} from './wording';

/** A code span that survives backticks in the value, and `|` inside a table cell. */
export function codeSpan(value: string, inTable = false): string {
  const runs = value.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const padded = /^`|`$/.test(value) || /^ .* $/.test(value) ? ` ${value} ` : value;
  const body = inTable ? padded.replace(/\|/g, '\\|') : padded;
  return `${fence}${body}${fence}`;
}

function md(line: RichText, inTable = false): string {
  return line
    .map((part) => {
      if (typeof part !== 'string') return codeSpan(part.code, inTable);
      return inTable ? part.replace(/\|/g, '\\|') : part;
    })
    .join('');
}

function cell(lines: readonly RichText[]): string {
  return lines.map((line) => md(line, true)).join('<br>');
}

function resourceItem(line: ResourceLine): string {
  return `- ${codeSpan(line.address)}: ${actionsLabel(line)}${line.role === 'other' ? '' : ` (${roleLabel(line.role)})`}`;
}

/** The whole review as Markdown, ending with a newline. */
export function renderMarkdown(review: InventoryReview): string {
  const out: string[] = ['## Inventory changes in this plan', ''];
  const summary = `**${md(summaryLine(review))}**`;
  if (!hasChanges(review)) {
    out.push(summary, '');
    for (const note of planNotes(review.plans)) out.push(`> ${md(note)}`, '');
    return `${out.join('\n').trimEnd()}\n`;
  }
  out.push(
    '_COS bucket inventory jobs (declared with `BucketInventory` of cdktf-cos-inventory) and the bucket-policy ' +
      'grants that let COS deliver their reports, as this Terraform plan would change them. Field names are the ' +
      "construct's props._",
    '',
    summary,
    '',
  );
  for (const note of planNotes(review.plans)) out.push(`> **Note:** ${md(note)}`, '');

  for (const bucket of review.buckets) {
    if (bucket.jobs.length === 0) continue;
    out.push(`### Source bucket ${md(bucketTitle(bucket))}`, '');
    out.push('| Job | Action | What changes |', '| --- | --- | --- |');
    for (const job of bucket.jobs) {
      const action =
        job.action === 'removed' || job.action === 'forgotten'
          ? `**${jobActionLabel(job)}**`
          : jobActionLabel(job);
      out.push(`| ${codeSpan(job.jobId, true)} | ${action} | ${cell(jobDetailLines(job))} |`);
    }
    out.push('');
    if (bucket.unchanged.length > 0) {
      out.push(`Unchanged: ${bucket.unchanged.map((id) => codeSpan(id)).join(', ')}.`, '');
    }
  }
  const quiet = review.buckets.filter((b) => b.jobs.length === 0);
  if (quiet.length > 0) {
    const list = quiet.map((b) => `${md(bucketTitle(b))} (${b.unchanged.length})`).join(', ');
    out.push(`No job changes for ${list}.`, '');
  }

  if (review.grants.length > 0) {
    out.push('### Destination grants', '');
    out.push(
      "_Each statement of a destination bucket's policy lets COS write the reports of the listed folders there; other statements of the policy are left as they are._",
      '',
    );
    out.push('| Destination bucket | Statement | Change | Report folders |', '| --- | --- | --- | --- |');
    for (const grant of review.grants) {
      out.push(
        `| ${codeSpan(grant.destination, true)} | ${codeSpan(grant.sid, true)} | ${grant.action} | ${md(grantDetail(grant), true)} |`,
      );
    }
    out.push('');
  }

  if (review.consequences.length > 0) {
    out.push('### Consequences', '');
    for (const consequence of review.consequences) out.push(`- ${md(consequence.text)}`);
    out.push('');
  }

  const count = review.ours.length + review.others.length + review.otherOutputs.length;
  out.push(`<details><summary>Terraform changes behind this summary (${count})</summary>`, '');
  for (const line of review.ours) out.push(resourceItem(line));
  for (const line of review.others) out.push(resourceItem(line));
  for (const name of review.otherOutputs) out.push(`- ${codeSpan(name)}: changes`);
  out.push('', '</details>');
  return `${out.join('\n')}\n`;
}
