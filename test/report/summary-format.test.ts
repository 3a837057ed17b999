import { createRowFormatter, csvField, formatSummary } from '../../src/report/format';
import type { InventoryRow } from '../../src/report/row';
import { keyPrefix, ROOT_PREFIX, SummaryBuilder } from '../../src/report/summary';

const rows: InventoryRow[] = [
  { Key: 'logs/2026/a.log', Size: 100, StorageClass: 'STANDARD' },
  { Key: 'logs/2026/b.log', Size: 50, StorageClass: 'STANDARD_IA' },
  { Key: 'logs/2025/c.log', Size: 10, StorageClass: 'STANDARD' },
  { Key: 'img/x.png', Size: 500, StorageClass: 'ARCHIVE' },
  { Key: 'readme', Size: 1, StorageClass: 'STANDARD' },
  { Key: 'gone', IsDeleteMarker: true, StorageClass: '' },
];

describe('keyPrefix', () => {
  it('keeps up to depth directory segments', () => {
    expect(keyPrefix('a/b/c.txt', 1)).toBe('a/');
    expect(keyPrefix('a/b/c.txt', 2)).toBe('a/b/');
    expect(keyPrefix('a/b/c.txt', 5)).toBe('a/b/');
    expect(keyPrefix('c.txt', 1)).toBe(ROOT_PREFIX);
  });
});

describe('SummaryBuilder', () => {
  it('counts a row flagged by a DeleteMarker column as a delete marker too', () => {
    const builder = new SummaryBuilder();
    builder.add({ Key: 'a', Size: 3 });
    builder.add({ Key: 'b', DeleteMarker: true });
    builder.add({ Key: 'c', IsDeleteMarker: true });
    expect(builder.result()).toMatchObject({ objects: 1, bytes: 3, deleteMarkers: 2 });
  });

  it('counts objects and bytes by storage class and prefix, delete markers apart', () => {
    const builder = new SummaryBuilder({ depth: 2, top: 2 });
    rows.forEach((row) => builder.add(row));
    expect(builder.result()).toEqual({
      objects: 5,
      bytes: 661,
      deleteMarkers: 1,
      byStorageClass: [
        { name: 'ARCHIVE', objects: 1, bytes: 500 },
        { name: 'STANDARD', objects: 3, bytes: 111 },
        { name: 'STANDARD_IA', objects: 1, bytes: 50 },
      ],
      byPrefix: [
        { name: 'img/', objects: 1, bytes: 500 },
        { name: 'logs/2026/', objects: 2, bytes: 150 },
      ],
      prefixCount: 4,
      depth: 2,
    });
  });

  it('has no storage-class section without a StorageClass column', () => {
    const builder = new SummaryBuilder();
    builder.add({ Key: 'a/b', Size: 3 });
    expect(builder.result().byStorageClass).toEqual([]);
  });
});

describe('formatters', () => {
  const columns = ['Key', 'Size', 'LastModifiedDate', 'IsLatest'];
  const row: InventoryRow = {
    Key: 'a,"b"\nc',
    Size: 7,
    LastModifiedDate: new Date('2026-01-02T03:04:05.000Z'),
    IsLatest: true,
  };

  it('quotes csv fields only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    const text = createRowFormatter('csv', columns).write(row);
    expect(text).toBe(
      'Key,Size,LastModifiedDate,IsLatest\r\n"a,""b""\nc",7,2026-01-02T03:04:05.000Z,true\r\n',
    );
  });

  it('prints a header even for an empty csv report', () => {
    expect(createRowFormatter('csv', columns).end()).toBe('Key,Size,LastModifiedDate,IsLatest\r\n');
  });

  it('writes json lines with dates in ISO form', () => {
    expect(JSON.parse(createRowFormatter('jsonl', columns).write(row))).toEqual({
      Key: 'a,"b"\nc',
      Size: 7,
      LastModifiedDate: '2026-01-02T03:04:05.000Z',
      IsLatest: true,
    });
  });

  it('writes one json array, rows as they come, and [] for no rows', () => {
    const json = createRowFormatter('json', columns);
    const text = json.write(row) + json.write({ Key: 'k', Size: 1 }) + json.end();
    expect(JSON.parse(text)).toEqual([
      { Key: 'a,"b"\nc', Size: 7, LastModifiedDate: '2026-01-02T03:04:05.000Z', IsLatest: true },
      { Key: 'k', Size: 1 },
    ]);
    expect(createRowFormatter('json', columns).end()).toBe('[]\n');
  });

  it('aligns a table and escapes control characters', () => {
    const table = createRowFormatter('table', columns);
    const text = table.write(row) + table.write({ Key: 'k', Size: 12345 }) + table.end();
    expect(text.split('\n')).toEqual([
      'Key        Size  LastModifiedDate          IsLatest',
      '--------  -----  ------------------------  --------',
      'a,"b"\\nc      7  2026-01-02T03:04:05.000Z  true',
      'k         12345',
      '',
    ]);
  });

  it('pads by display width: CJK characters take two columns, combining marks none', () => {
    const table = createRowFormatter('table', ['Key', 'Size', 'StorageClass']);
    const text =
      table.write({ Key: '报表/日本語.csv', Size: 7, StorageClass: 'STANDARD' }) +
      table.write({ Key: 'plain.csv', Size: 12345, StorageClass: 'ARCHIVE' }) +
      table.write({ Key: 'cafe\u0301', Size: 1, StorageClass: '标准' }) +
      table.end();
    // '报表/日本語.csv' is 9 characters but 15 columns wide.
    expect(text.split('\n')).toEqual([
      'Key               Size  StorageClass',
      '---------------  -----  ------------',
      '报表/日本語.csv      7  STANDARD',
      'plain.csv        12345  ARCHIVE',
      'cafe\u0301                 1  标准',
      '',
    ]);
  });

  it('pads summary names by display width', () => {
    const builder = new SummaryBuilder({ depth: 1 });
    builder.add({ Key: '图片/a.png', Size: 5, StorageClass: 'STANDARD' });
    builder.add({ Key: 'logs/b.log', Size: 10, StorageClass: 'STANDARD' });
    const lines = formatSummary(builder.result(), 'table').split('\n');
    const prefixLines = lines.filter((line) => line.startsWith('图片/') || line.startsWith('logs/'));
    expect(prefixLines).toHaveLength(2);
    // Both rows end at the same terminal column: '图片/' is 3 characters, 5 columns.
    const columnsOf = (line: string): number => line.length + (line.startsWith('图片/') ? 2 : 0);
    expect(columnsOf(prefixLines[0])).toBe(columnsOf(prefixLines[1]));
  });

  it('formats a summary in each format', () => {
    const builder = new SummaryBuilder();
    rows.forEach((r) => builder.add(r));
    const summary = builder.result();
    expect(JSON.parse(formatSummary(summary, 'jsonl'))).toMatchObject({ objects: 5, bytes: 661 });
    expect(formatSummary(summary, 'csv').split('\r\n')).toEqual([
      'section,name,objects,bytes',
      'total,all objects,5,661',
      'storage-class,ARCHIVE,1,500',
      'storage-class,STANDARD,3,111',
      'storage-class,STANDARD_IA,1,50',
      'prefix,img/,1,500',
      'prefix,logs/,3,160',
      'prefix,(top level),1,1',
      'delete-markers,,1,0',
      '',
    ]);
    expect(formatSummary(summary, 'table')).toContain('largest prefixes (depth 1, 3 of 3)');
  });
});
