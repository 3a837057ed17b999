/**
 * The warnings in `terraform ... -no-color` output, as a reader sees them: each diagnostic's
 * summary and its detail with Terraform's 78-column wrapping undone.
 */

export interface PlanWarning {
  readonly summary: string;
  /** The detail paragraph(s), lines joined by single spaces. */
  readonly detail: string;
}

/** Paragraphs that end a diagnostic in plan/apply/destroy output. */
const AFTER =
  /^(Warning:|Error:|Apply complete!|Destroy complete!|Outputs:|Plan:|No changes\.|Changes to Outputs:|Saved the plan|To perform|─|Terraform |\S+: (Refreshing|Reading|Read complete|Creating|Destroying|Modifying|Destruction|Creation))/;

export function planWarnings(text: string): PlanWarning[] {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.replace(/^\n+|\n+$/g, ''));
  const warnings: PlanWarning[] = [];
  for (let i = 0; i < paragraphs.length; i++) {
    const match = /^Warning: (.*)$/m.exec(paragraphs[i]);
    if (!match || !paragraphs[i].startsWith('Warning: ')) continue;
    const detail: string[] = [];
    // The source snippet (`  on file line N ...`) is indented; the detail is not.
    for (let j = i + 1; j < paragraphs.length && !AFTER.test(paragraphs[j]); j++) {
      if (/^\s/.test(paragraphs[j])) continue;
      detail.push(paragraphs[j]);
    }
    warnings.push({ summary: match[1], detail: detail.join(' ').replace(/\s+/g, ' ').trim() });
  }
  return warnings;
}
