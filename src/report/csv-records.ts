/** A record that is not RFC 4180; `line` is 1-based, where the record starts. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** Called once per complete record with its cells and the 1-based line it starts on. */
export type RecordHandler = (record: string[], line: number) => void;

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

/**
 * A strict, incremental RFC 4180 reader for the comma-separated, double-quoted CSV of
 * inventory reports. Why not csv-parse: it was 80% of the read time (see docs/reports.md).
 * Quoted cells may hold commas, `""` and any line breaks; records end at LF, CRLF or CR; a
 * quote inside an unquoted cell, text after a closing quote or an unclosed quote at the end
 * is a `CsvSyntaxError`. Text is fed in pieces (`write`); a record cut by a piece boundary is
 * read again from its start when the next piece arrives, so memory holds one partial record.
 * A lone line break between records (a blank line) is skipped, as csv-parse does.
 */
export class CsvRecordReader {
  private pending = '';
  /** Line at which `pending` starts. */
  private line = 1;
  private started = false;

  constructor(private readonly onRecord: RecordHandler) {}

  /** Reads every record complete in `pending + text`; keeps the unfinished tail. */
  write(text: string): void {
    let input = this.pending + text;
    if (!this.started && input.length > 0) {
      this.started = true;
      // A UTF-8 byte-order mark is not part of the first cell.
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
    }
    this.pending = input.slice(this.read(input, false));
  }

  /** Reads the last record, which needs no line break after it. */
  end(): void {
    const input = this.pending;
    this.pending = '';
    const consumed = this.read(input, true);
    if (consumed !== input.length) {
      throw new CsvSyntaxError('quoted cell is not closed before the end of the file', this.line);
    }
  }

  /** Returns how much of `input` was consumed by complete records. */
  private read(input: string, final: boolean): number {
    const length = input.length;
    let position = 0;
    let line = this.line;
    // End of the last complete record, and the line after it.
    let consumed = 0;
    let consumedLine = line;
    // Next line breaks at or after the current quoted cell, found lazily: most cells hold
    // none, and one indexOf per record is cheaper than scanning every cell.
    let nextLf = -1;
    let nextCr = -1;
    records: while (position < length) {
      const recordLine = line;
      const first = input.charCodeAt(position);
      if (first === LF || first === CR) {
        // Blank line between records.
        if (first === CR) {
          if (position + 1 >= length && !final) break;
          if (input.charCodeAt(position + 1) === LF) position++;
        }
        position++;
        line++;
        consumed = position;
        consumedLine = line;
        continue;
      }
      const record: string[] = [];
      for (;;) {
        let cell: string;
        if (input.charCodeAt(position) === QUOTE) {
          // Quoted cell: jump from quote to quote.
          const cellStart = position + 1;
          let from = cellStart;
          let text = '';
          for (;;) {
            const close = input.indexOf('"', from);
            if (close === -1) break records;
            if (close + 1 >= length && !final) {
              // Cannot tell `"` (end) from `""` (escaped) yet.
              break records;
            }
            if (input.charCodeAt(close + 1) === QUOTE) {
              text += input.slice(from, close + 1);
              from = close + 2;
              continue;
            }
            text += input.slice(from, close);
            position = close + 1;
            break;
          }
          cell = text;
          if (nextLf < cellStart) nextLf = found(input.indexOf('\n', cellStart));
          if (nextCr < cellStart) nextCr = found(input.indexOf('\r', cellStart));
          if (nextLf < position || nextCr < position) line += countLineBreaks(cell);
        } else {
          const start = position;
          while (position < length) {
            const code = input.charCodeAt(position);
            if (code === COMMA || code === LF || code === CR) break;
            if (code === QUOTE) {
              throw new CsvSyntaxError(
                `unquoted cell ${record.length + 1} holds a quote; quotes are allowed only in quoted cells`,
                recordLine,
              );
            }
            position++;
          }
          if (position >= length && !final) break records;
          cell = input.slice(start, position);
        }
        record.push(cell);
        if (position >= length) {
          // Only when final: the last record has no line break.
          this.onRecord(record, recordLine);
          break;
        }
        const separator = input.charCodeAt(position);
        if (separator === COMMA) {
          position++;
          if (position >= length && !final) break records;
          continue;
        }
        if (separator === LF) {
          position++;
        } else if (separator === CR) {
          if (position + 1 >= length && !final) break records;
          position += input.charCodeAt(position + 1) === LF ? 2 : 1;
        } else {
          throw new CsvSyntaxError(
            `cell ${record.length} has text after its closing quote; a quoted cell must be followed by a comma or a line break`,
            recordLine,
          );
        }
        line++;
        this.onRecord(record, recordLine);
        break;
      }
      consumed = position;
      consumedLine = line;
    }
    this.line = consumedLine;
    return consumed;
  }
}

/** No further occurrence in this piece of input. */
const NONE = Number.MAX_SAFE_INTEGER;

function found(index: number): number {
  return index === -1 ? NONE : index;
}

/** Line breaks inside a quoted cell, counting CRLF once. */
function countLineBreaks(cell: string): number {
  let count = 0;
  for (let index = 0; index < cell.length; index++) {
    const code = cell.charCodeAt(index);
    if (code === LF) count++;
    else if (code === CR && cell.charCodeAt(index + 1) !== LF) count++;
  }
  return count;
}
