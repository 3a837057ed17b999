import { createRowDecoder } from '../../src/report/row';
import { ReportFormatError } from '../../src/report/errors';

const COLUMNS = [
  'Appid',
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'IsMultipartUploaded',
  'x-cos-meta-owner',
];

describe('createRowDecoder', () => {
  const decode = createRowDecoder(COLUMNS, 'm.json');

  it('types each documented column and keeps the others as text', () => {
    const row = decode(
      [
        '1250000000',
        'src',
        'a%2Fb%20c%2Bd%25.txt',
        'v1',
        'True',
        'false',
        '42',
        '2026-11-22T03:04:05.000Z',
        'abc',
        'STANDARD',
        'FALSE',
        'team',
      ],
      'f.csv.gz',
      1,
    );
    expect(row).toEqual({
      Appid: '1250000000',
      Bucket: 'src',
      Key: 'a/b c+d%.txt',
      VersionId: 'v1',
      IsLatest: true,
      IsDeleteMarker: false,
      Size: 42,
      LastModifiedDate: new Date('2026-11-22T03:04:05.000Z'),
      ETag: 'abc',
      StorageClass: 'STANDARD',
      IsMultipartUploaded: false,
      'x-cos-meta-owner': 'team',
    });
  });

  it('reads + in a key as a space by default, and literally when asked', () => {
    const cells = ['1', 'b', 'a+b', '', '', '', '', '', '', '', '', ''];
    expect(decode(cells, 'f', 1).Key).toBe('a b');
    expect(createRowDecoder(COLUMNS, 'm', { plusAsSpace: false })(cells, 'f', 1).Key).toBe('a+b');
  });

  it('leaves out empty typed cells (a delete marker has no size)', () => {
    const row = decode(['1', 'b', 'k', 'v', 'true', 'true', '', '', '', '', '', ''], 'f', 1);
    expect('Size' in row).toBe(false);
    expect('LastModifiedDate' in row).toBe(false);
    expect(row.StorageClass).toBe('');
  });

  it("types a DeleteMarker column (the name cos's put and get docs use) like IsDeleteMarker", () => {
    const columns = COLUMNS.map((column) => (column === 'IsDeleteMarker' ? 'DeleteMarker' : column));
    const row = createRowDecoder(columns, 'm.json')(
      ['1', 'b', 'k', 'v', 'false', 'TRUE', '', '', '', '', '', ''],
      'f',
      1,
    );
    expect(row.DeleteMarker).toBe(true);
    expect('IsDeleteMarker' in row).toBe(false);
    expect(() =>
      createRowDecoder(columns, 'm.json')(
        ['1', 'b', 'k', 'v', 'false', 'maybe', '', '', '', '', '', ''],
        'f',
        1,
      ),
    ).toThrow(/column DeleteMarker must be true or false, received "maybe"/);
  });

  it('accepts unix seconds as a date', () => {
    const row = decode(['1', 'b', 'k', '', '', '', '1', '1700000000', '', '', '', ''], 'f', 1);
    expect(row.LastModifiedDate).toEqual(new Date(1_700_000_000_000));
  });

  it.each([
    [['1', 'b', 'k'], /expected 12 columns .* received 3/],
    [['1', 'b', '%E0%A4%A', '', '', '', '', '', '', '', '', ''], /column Key must be url-encoded/],
    [
      ['1', 'b', 'k', '', 'yes', '', '', '', '', '', '', ''],
      /column IsLatest must be true or false, received "yes"/,
    ],
    [['1', 'b', 'k', '', '', '', '1.5', '', '', '', '', ''], /column Size must be a whole number of bytes/],
    [
      ['1', 'b', 'k', '', '', '', '', 'yesterday', '', '', '', ''],
      /column LastModifiedDate must be an ISO 8601 date/,
    ],
  ])('refuses a bad record %#, naming the file and line', (cells, message) => {
    expect(() => decode(cells, 'data/f.csv.gz', 7)).toThrow(ReportFormatError);
    expect(() => decode(cells, 'data/f.csv.gz', 7)).toThrow(/^data\/f\.csv\.gz line 7: /);
    expect(() => decode(cells, 'data/f.csv.gz', 7)).toThrow(message);
  });

  it('needs a Key column', () => {
    expect(() => createRowDecoder(['Appid', 'Bucket'], 'm.json')).toThrow(
      /fileSchema must include a Key column/,
    );
  });
});

describe('dates and keys on the fast paths', () => {
  const dates = createRowDecoder(['Key', 'LastModifiedDate'], 'm');
  const dateOf = (cell: string): Date | undefined => dates(['k', cell], 'f', 1).LastModifiedDate;

  it.each([
    '2026-01-31T23:59:59.999Z',
    '2026-01-31T23:59:59Z',
    '2024-02-29T12:00:00.000Z',
    // Day 30 of February rolls over to March in Date.parse; the fast path must agree.
    '2026-02-30T00:00:00.000Z',
    '1970-01-01T00:00:00.000Z',
    '0050-06-01T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-31T08:00:00.000+08:00',
    '2026-01-31',
  ])('reads %s exactly as Date.parse does', (cell) => {
    expect(dateOf(cell)?.getTime()).toBe(Date.parse(cell));
  });

  it('agrees with Date.parse on many timestamps of the form COS writes', () => {
    for (let time = Date.UTC(1999, 11, 31); time < Date.UTC(2040, 0, 1); time += 86_399_937) {
      const cell = new Date(time).toISOString();
      expect(dateOf(cell)?.getTime()).toBe(time);
      expect(dateOf(cell.replace(/\.\d{3}Z$/, 'Z'))?.getTime()).toBe(Math.floor(time / 1000) * 1000);
    }
  });

  it.each([
    '2026-13-01T00:00:00.000Z',
    '2026-00-01T00:00:00.000Z',
    '2026-01-32T00:00:00.000Z',
    '2026-01-00T00:00:00.000Z',
    '2026-01-01T23:60:00.000Z',
    '2026-01-01T23:00:60.000Z',
    '2026-01-01T2x:00:00.000Z',
    '2026-01-01T23:00:00.0a0Z',
  ])('refuses %s as Date.parse does', (cell) => {
    expect(Number.isNaN(Date.parse(cell))).toBe(true);
    expect(() => dateOf(cell)).toThrow(/column LastModifiedDate must be an ISO 8601 date/);
  });

  it.each([
    ['plain/key.txt', 'plain/key.txt'],
    ['dir%2Fwith%20space.txt', 'dir/with space.txt'],
    ['a+b', 'a b'],
    ['a%2Bb', 'a+b'],
    ['%E4%B8%AD%E6%96%87', '中文'],
    ['', ''],
  ])('decodes the key %s', (cell, key) => {
    expect(dates([cell, ''], 'f', 1).Key).toBe(key);
  });
});

describe('key decoding agrees with decodeURIComponent', () => {
  const pieces = [
    'a',
    'Z',
    '/',
    '+',
    '%',
    '%2',
    '%2F',
    '%2f',
    '%20',
    '%2B',
    '%00',
    '%7F',
    '%80',
    '%C3%A9',
    '%E4%B8%AD',
    '%G1',
    '%%',
    'é',
    '中',
  ];
  const reference = (cell: string, plusAsSpace: boolean): string | Error => {
    try {
      return decodeURIComponent(plusAsSpace ? cell.replace(/\+/g, ' ') : cell);
    } catch (error) {
      return error as Error;
    }
  };

  it.each([true, false])('on random keys (plusAsSpace %s)', (plusAsSpace) => {
    const decode = createRowDecoder(['Key'], 'm', { plusAsSpace });
    let state = 7;
    const next = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 4294967296;
    };
    for (let round = 0; round < 3000; round++) {
      let cell = '';
      for (let k = Math.floor(next() * 6); k > 0; k--) cell += pieces[Math.floor(next() * pieces.length)];
      const expected = reference(cell, plusAsSpace);
      if (expected instanceof Error) {
        expect(() => decode([cell], 'f', 1)).toThrow(/column Key must be url-encoded/);
      } else {
        expect(decode([cell], 'f', 1).Key).toBe(expected);
      }
    }
  });
});

describe('column names from the manifest', () => {
  it('stay data, whatever characters they hold', () => {
    const columns = [
      'Key',
      'x-cos-meta-a"b',
      "x-cos-meta-'};throw 1;//",
      'x-cos-meta-\\\u2028',
      '__proto__',
      'constructor',
    ];
    const row = createRowDecoder(columns, 'm')(['k', '1', '2', '3', '4', '5'], 'f', 1);
    expect(Object.keys(row)).toEqual(columns);
    expect(columns.map((column) => row[column])).toEqual(['k', '1', '2', '3', '4', '5']);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });

  it('keep their order when a typed cell is left out', () => {
    const decode = createRowDecoder(['Key', 'Size', 'LastModifiedDate', 'ETag'], 'm');
    const row = decode(['k', '', '2026-01-01T00:00:00.000Z', 'e'], 'f', 1);
    expect(Object.keys(row)).toEqual(['Key', 'LastModifiedDate', 'ETag']);
    expect(decode(['k2', '7', '', ''], 'f', 2)).toEqual({ Key: 'k2', Size: 7, ETag: '' });
  });
});
