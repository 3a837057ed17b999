/** Summaries of repeated measurements: median with min and max, and ratios between them. */

/** `{ n, median, min, max }` of a non-empty list of numbers. */
export function summarize(samples) {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { n: sorted.length, median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** A number with `digits` significant-looking decimals, thousands separated. */
export function fmt(value, digits = 1) {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `median (min–max)` of a summary, scaled and formatted. */
export function fmtSummary(summary, digits = 1, scale = 1) {
  return `${fmt(summary.median * scale, digits)} (${fmt(summary.min * scale, digits)}–${fmt(summary.max * scale, digits)})`;
}

/** `1.23x` */
export function fmtRatio(value) {
  return `${value.toFixed(2)}x`;
}

/** A markdown table from a header row and data rows. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
