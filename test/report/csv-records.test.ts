import { parse } from 'csv-parse/sync';
import { CsvRecordReader, CsvSyntaxError } from '../../src/report/csv-records';

interface Parsed {
  readonly records: string[][];
  readonly lines: number[];
}

/** Feeds `text` in pieces of `size` characters (all at once when omitted). */
function read(text: string, size = text.length || 1): Parsed {
  const records: string[][] = [];
  const lines: number[] = [];
  const reader = new CsvRecordReader((record, line) => {
    records.push(record);
    lines.push(line);
  });
  for (let at = 0; at < text.length; at += size) reader.write(text.slice(at, at + size));
  reader.end();
  return { records, lines };
}

/** Every way of cutting `text` in two, and pieces of each small size. */
function everySplit(text: string): Parsed[] {
  const results: Parsed[] = [];
  for (let cut = 0; cut <= text.length; cut++) {
    const records: string[][] = [];
    const lines: number[] = [];
    const reader = new CsvRecordReader((record, line) => {
      records.push(record);
      lines.push(line);
    });
    reader.write(text.slice(0, cut));
    reader.write(text.slice(cut));
    reader.end();
    results.push({ records, lines });
  }
  for (let size = 1; size <= 4; size++) results.push(read(text, size));
  return results;
}

function syntaxError(text: string, size?: number): CsvSyntaxError {
  try {
    read(text, size);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return error;
    throw error;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

const QUOTE = (cell: string): string => `"${cell.replace(/"/g, '""')}"`;

/** A small seeded generator, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

describe('CsvRecordReader', () => {
  it.each([
    [
      'plain cells',
      'a,b,c\n1,2,3\n',
      [
        ['a', 'b', 'c'],
        ['1', '2', '3'],
      ],
      [1, 2],
    ],
    ['quoted cells with commas and quotes', '"a,b","say ""hi""",""\n', [['a,b', 'say "hi"', '']], [1]],
    [
      'line breaks inside quotes',
      '"x\ny","p\r\nq"\n"r\rs",t\n',
      [
        ['x\ny', 'p\r\nq'],
        ['r\rs', 't'],
      ],
      [1, 4],
    ],
    [
      'CRLF record ends',
      'a,b\r\nc,d\r\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      [1, 2],
    ],
    [
      'CR record ends',
      'a,b\rc,d\r',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      [1, 2],
    ],
    [
      'no line break after the last record',
      'a,b\nc,"d"',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      [1, 2],
    ],
    [
      'empty cells',
      ',,\n"",,""\n',
      [
        ['', '', ''],
        ['', '', ''],
      ],
      [1, 2],
    ],
    ['a trailing comma at the very end', 'a,', [['a', '']], [1]],
    ['blank lines between records', '\na\n\n\r\nb\n', [['a'], ['b']], [2, 5]],
    ['a byte-order mark', '\ufeff"Key",Size\n', [['Key', 'Size']], [1]],
    ['utf-8 text', '"中文/文件 名.txt","🎉"\n', [['中文/文件 名.txt', '🎉']], [1]],
    ['nothing', '', [], []],
  ])('reads %s, however the text is cut', (_name, text, records, lines) => {
    for (const result of everySplit(text)) {
      expect(result.records).toEqual(records);
      expect(result.lines).toEqual(lines);
    }
  });

  it('counts lines across quoted line breaks for later records', () => {
    const { lines } = read('"a\nb\r\nc\rd",x\nnext\n"e\n",f\nlast\n');
    expect(lines).toEqual([1, 5, 6, 8]);
  });

  it.each([
    ['a quote inside an unquoted cell', 'ok\nab"c,d\n', 2, /unquoted cell 1 holds a quote/],
    ['text after a closing quote', 'x\n"a"b,c\n', 2, /cell 1 has text after its closing quote/],
    ['a quote closing before a comma is missing', '"a","b"c\n', 1, /cell 2 has text after its closing quote/],
    ['an unclosed quote', 'a\n"b,c\nd\n', 2, /quoted cell is not closed before the end of the file/],
  ])('refuses %s, naming the line', (_name, text, line, message) => {
    for (const size of [undefined, 1, 2, 3]) {
      const error = syntaxError(text, size);
      expect(error.line).toBe(line);
      expect(error.message).toMatch(message);
    }
  });

  it('agrees with csv-parse on random awkward records cut at random places', () => {
    const next = random(20261122);
    const alphabet = ['a', 'Z', '0', ' ', ',', '"', '\n', '\r', '\r\n', '%2F', '中', '🎉', ';', "'"];
    for (let round = 0; round < 200; round++) {
      const width = 1 + Math.floor(next() * 5);
      const records: string[][] = [];
      for (let r = 0; r < 1 + Math.floor(next() * 8); r++) {
        const record: string[] = [];
        for (let c = 0; c < width; c++) {
          let cell = '';
          for (let k = Math.floor(next() * 6); k > 0; k--)
            cell += alphabet[Math.floor(next() * alphabet.length)];
          record.push(cell);
        }
        records.push(record);
      }
      const newline = next() < 0.5 ? '\n' : '\r\n';
      // Quote every cell or only those that need it, as writers differ.
      const all = next() < 0.5;
      const text = records
        .map((record) =>
          record.map((cell) => (all || /[",\r\n]/.test(cell) || cell === '' ? QUOTE(cell) : cell)).join(','),
        )
        .join(newline);
      const size = 1 + Math.floor(next() * 7);
      const ours = read(text, size).records;
      const theirs = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
      expect(ours).toEqual(theirs);
      expect(ours).toEqual(records);
    }
  });
});
