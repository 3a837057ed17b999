import stringWidth from 'string-width';
import type { InventoryRow, InventoryValue } from './row';
import type { InventorySummary, SummaryGroup } from './summary';

/** Output formats of `cos-inventory report`. */
export const OUTPUT_FORMATS = ['jsonl', 'json', 'csv', 'table'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Turns rows into text chunks; `end()` flushes what was held back. */
export interface RowFormatter {
  write(row: InventoryRow): string;
  end(): string;
}

/** A cell as text: dates in ISO 8601 UTC, booleans and numbers as written. */
export function cellText(value: InventoryValue | undefined): string {
  if (value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** One RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Control characters made visible so one row stays on one line of a table. */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (char) => {
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * Padding by display width, not by string length: a CJK character takes two terminal columns
 * and a combining mark none, so `padEnd` would misalign the rows that hold them.
 */
function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - stringWidth(text))) + text;
}

/** JSON Lines: one object per row, property names as the report's columns. */
class JsonLinesFormatter implements RowFormatter {
  write(row: InventoryRow): string {
    return `${JSON.stringify(row)}\n`;
  }
  end(): string {
    return '';
  }
}

/** One JSON array of the rows, written as they come (a large report is never held). */
class JsonArrayFormatter implements RowFormatter {
  private started = false;
  write(row: InventoryRow): string {
    const head = this.started ? ',\n' : '[\n';
    this.started = true;
    return `${head}${JSON.stringify(row)}`;
  }
  end(): string {
    return this.started ? '\n]\n' : '[]\n';
  }
}

/** CSV with a header row of the report's columns, keys decoded. */
class CsvFormatter implements RowFormatter {
  private headerWritten = false;
  constructor(private readonly columns: readonly string[]) {}
  write(row: InventoryRow): string {
    const line = `${this.columns.map((column) => csvField(cellText(row[column]))).join(',')}\r\n`;
    if (this.headerWritten) return line;
    this.headerWritten = true;
    return `${this.columns.map(csvField).join(',')}\r\n${line}`;
  }
  end(): string {
    return this.headerWritten ? '' : `${this.columns.map(csvField).join(',')}\r\n`;
  }
}

/** Rows held back to size the table's columns; later rows keep those widths (wider cells overflow). */
const TABLE_SAMPLE = 100;
const NUMERIC_COLUMNS = new Set(['Size']);

/** Aligned columns for people; control characters escaped. */
class TableFormatter implements RowFormatter {
  private widths: number[] | undefined;
  private readonly held: string[][] = [];
  constructor(private readonly columns: readonly string[]) {}

  write(row: InventoryRow): string {
    const cells = this.columns.map((column) => visible(cellText(row[column])));
    if (this.widths) return this.line(cells);
    this.held.push(cells);
    return this.held.length < TABLE_SAMPLE ? '' : this.flush();
  }

  end(): string {
    return this.widths ? '' : this.flush();
  }

  private flush(): string {
    const widths = this.columns.map((column, index) =>
      Math.max(stringWidth(column), ...this.held.map((cells) => stringWidth(cells[index]))),
    );
    this.widths = widths;
    const out = [this.line([...this.columns]), this.line(widths.map((width) => '-'.repeat(width)))];
    for (const cells of this.held) out.push(this.line(cells));
    this.held.length = 0;
    return out.join('');
  }

  private line(cells: string[]): string {
    const widths = this.widths ?? [];
    const padded = cells.map((cell, index) =>
      NUMERIC_COLUMNS.has(this.columns[index]) ? padStart(cell, widths[index]) : padEnd(cell, widths[index]),
    );
    return `${padded.join('  ').trimEnd()}\n`;
  }
}

export function createRowFormatter(format: OutputFormat, columns: readonly string[]): RowFormatter {
  if (format === 'jsonl') return new JsonLinesFormatter();
  if (format === 'json') return new JsonArrayFormatter();
  if (format === 'csv') return new CsvFormatter(columns);
  return new TableFormatter(columns);
}

/**
 * The summary as text: `jsonl` and `json` one JSON object; `csv` rows of
 * `section,name,objects,bytes`; `table` aligned sections for people.
 */
export function formatSummary(summary: InventorySummary, format: OutputFormat): string {
  if (format === 'jsonl' || format === 'json') return `${JSON.stringify(summary)}\n`;
  const sections: [string, readonly SummaryGroup[]][] = [
    ['total', [{ name: 'all objects', objects: summary.objects, bytes: summary.bytes }]],
    ['storage-class', summary.byStorageClass],
    ['prefix', summary.byPrefix],
  ];
  if (format === 'csv') {
    const lines = ['section,name,objects,bytes'];
    for (const [section, groups] of sections) {
      for (const group of groups)
        lines.push([section, csvField(group.name), group.objects, group.bytes].join(','));
    }
    if (summary.deleteMarkers > 0) lines.push(`delete-markers,,${summary.deleteMarkers},0`);
    return `${lines.join('\r\n')}\r\n`;
  }
  const out: string[] = [];
  const table = (title: string, groups: readonly SummaryGroup[]): void => {
    const names = groups.map((group) => visible(group.name));
    const nameWidth = Math.max(stringWidth(title), ...names.map((name) => stringWidth(name)));
    const counts = groups.map((group) => String(group.objects));
    const sizes = groups.map((group) => String(group.bytes));
    const countWidth = Math.max('objects'.length, ...counts.map((count) => count.length));
    const sizeWidth = Math.max('bytes'.length, ...sizes.map((size) => size.length));
    out.push(
      `${padEnd(title, nameWidth)}  ${'objects'.padStart(countWidth)}  ${'bytes'.padStart(sizeWidth)}`,
    );
    groups.forEach((_, index) => {
      out.push(
        `${padEnd(names[index], nameWidth)}  ${counts[index].padStart(countWidth)}  ${sizes[index].padStart(sizeWidth)}`,
      );
    });
    out.push('');
  };
  table('total', sections[0][1]);
  if (summary.deleteMarkers > 0) out.push(`delete markers: ${summary.deleteMarkers}`, '');
  if (summary.byStorageClass.length > 0) table('storage class', summary.byStorageClass);
  table(
    `largest prefixes (depth ${summary.depth}, ${summary.byPrefix.length} of ${summary.prefixCount})`,
    summary.byPrefix,
  );
  return `${out.join('\n').trimEnd()}\n`;
}
