import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { CosClient } from '../cos/client';
import { getObjectStream } from '../cos/objects';
import { ReportFormatError, ReportIntegrityError } from './errors';
import { CsvRecordReader, CsvSyntaxError } from './csv-records';
import type { ManifestFile } from './manifest';
import type { InventoryRow, RowDecoder } from './row';

/** Where the data files live. */
export interface DataFileSource {
  readonly client: CosClient;
  readonly bucket: string;
  readonly region: string;
}

/** What streaming one file measured. */
interface Measured {
  readonly bytes: number;
  readonly md5: string;
}

interface Opened {
  /** Decoded rows, one batch per decompressed chunk. */
  readonly batches: AsyncIterable<InventoryRow[]>;
  /** Settles when the whole body has been hashed (or the download failed). */
  readonly measured: Promise<Measured>;
  /** Stops decompressing and parsing but keeps hashing, so a mismatch can still be reported. */
  abandonParsing(): void;
  /** Stops everything (the reader went away). */
  destroy(): void;
}

/** Decompressed bytes per gunzip output chunk, so per batch of rows (about 400 rows). */
const GUNZIP_CHUNK = 64 * 1024;

/**
 * Batches of rows decoded ahead of the reader per file: bounds memory while files download
 * in parallel, and lets decompression and parsing of the next chunks overlap the reader.
 */
const BATCHES_AHEAD = 4;

/**
 * gunzip output (bytes) -> decoded rows, a batch per chunk. Batching keeps the per-row cost
 * to a plain loop: an object-mode stream step per row cost more than parsing the row.
 */
class RowBatcher extends Transform {
  private readonly text = new StringDecoder('utf8');
  private readonly reader: CsvRecordReader;
  private batch: InventoryRow[] = [];
  private first = true;

  constructor(
    private readonly file: string,
    decode: RowDecoder,
    columns: readonly string[],
  ) {
    super({ readableObjectMode: true, readableHighWaterMark: BATCHES_AHEAD });
    this.reader = new CsvRecordReader((record, line) => {
      if (this.first) {
        this.first = false;
        // A header row is not documented; tolerate one that repeats the schema.
        if (sameColumns(record, columns)) return;
      }
      this.batch.push(decode(record, file, line));
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.step(done, () => this.reader.write(this.text.write(chunk)));
  }

  override _flush(done: TransformCallback): void {
    this.step(done, () => {
      this.reader.write(this.text.end());
      this.reader.end();
    });
  }

  private step(done: TransformCallback, work: () => void): void {
    try {
      work();
    } catch (error) {
      done(
        error instanceof CsvSyntaxError
          ? new ReportFormatError(this.file, `not valid csv: ${error.message}`, error.line)
          : (error as Error),
      );
      return;
    }
    if (this.batch.length > 0) {
      const batch = this.batch;
      this.batch = [];
      this.push(batch);
    }
    done();
  }
}

function compare(file: ManifestFile, measured: Measured): void {
  if (measured.bytes !== file.size) {
    throw new ReportIntegrityError({
      file: file.key,
      check: 'size',
      expected: `${file.size} bytes`,
      actual: `${measured.bytes} bytes`,
    });
  }
  if (measured.md5 !== file.md5Checksum) {
    throw new ReportIntegrityError({
      file: file.key,
      check: 'md5',
      expected: file.md5Checksum,
      actual: measured.md5,
    });
  }
}

/** Hashes a body as it passes, and settles once it has been read to its end. */
function measure(body: Readable, onChunk: (chunk: Buffer) => void): Promise<Measured> {
  const hash = createHash('md5');
  let bytes = 0;
  return new Promise<Measured>((resolve, reject) => {
    body.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      onChunk(chunk);
    });
    body.once('end', () => resolve({ bytes, md5: hash.digest('hex') }));
    body.once('error', reject);
    body.once('close', () => reject(new Error('download closed before its end')));
  });
}

/**
 * One data file, streamed: download -> MD5/size tap -> gunzip -> CSV reader -> row batches.
 * Opening starts at construction so several files can download ahead of the reader;
 * backpressure keeps each to a few buffers. `batches()` yields decoded rows and, at the end
 * of the file, throws
 * `ReportIntegrityError` when the bytes do not match the manifest. Rows already yielded
 * from a file that then fails must be discarded.
 */
export class DataFileReader {
  readonly file: ManifestFile;
  private readonly opening: Promise<Opened>;
  private cancelled = false;

  constructor(
    private readonly source: DataFileSource,
    file: ManifestFile,
    private readonly decode: RowDecoder,
    private readonly columns: readonly string[],
  ) {
    this.file = file;
    this.opening = this.open();
    // Failures surface from rows(); never as an unhandled rejection of a file read ahead.
    this.opening.catch(() => undefined);
  }

  private async open(): Promise<Opened> {
    const body = await getObjectStream(this.source.client, {
      bucket: this.source.bucket,
      region: this.source.region,
      key: this.file.key,
    });
    if (this.cancelled) {
      body.destroy();
      throw new Error('cancelled');
    }
    // 64 KiB pieces rather than zlib's 16 KiB: a quarter of the callbacks and stream steps.
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
    const parser = new RowBatcher(this.file.key, this.decode, this.columns);
    let parsing = true;
    const abandonParsing = (): void => {
      if (!parsing) return;
      parsing = false;
      gunzip.unpipe(parser);
      gunzip.destroy();
      if (!parser.destroyed) parser.destroy();
      body.resume();
    };
    gunzip.on('error', (error) => {
      parser.destroy(new ReportFormatError(this.file.key, `not a gzip file: ${error.message}`));
    });
    parser.on('error', abandonParsing);
    gunzip.pipe(parser);
    const measured = measure(body, (chunk) => {
      if (parsing && !gunzip.write(chunk)) {
        body.pause();
        gunzip.once('drain', () => body.resume());
      }
    });
    measured.then(
      () => {
        if (parsing) gunzip.end();
      },
      (error: unknown) => {
        if (parsing) parser.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return {
      batches: parser as AsyncIterable<InventoryRow[]>,
      measured,
      abandonParsing,
      destroy: () => {
        abandonParsing();
        body.destroy();
      },
    };
  }

  /**
   * The file's rows in order, in batches (a generator step per row would cost more than
   * decoding it); verifies size and MD5 once the file has been read.
   */
  async *batches(): AsyncGenerator<readonly InventoryRow[]> {
    const opened = await this.opening;
    let finished = false;
    let failure: unknown;
    try {
      try {
        for await (const batch of opened.batches) yield batch;
      } catch (error) {
        failure = error;
        opened.abandonParsing();
      }
      // A bad byte count or MD5 explains any parse failure, so it is reported first.
      compare(this.file, await opened.measured);
      if (failure !== undefined) throw failure;
      finished = true;
    } finally {
      if (!finished && failure === undefined) opened.destroy();
    }
  }

  /** Stops the download of a file that will not be read. */
  cancel(): void {
    this.cancelled = true;
    this.opening.then(
      (opened) => opened.destroy(),
      () => undefined,
    );
  }
}

function sameColumns(record: readonly string[], columns: readonly string[]): boolean {
  return record.length === columns.length && record.every((cell, index) => cell === columns[index]);
}

/** Streams one data file through MD5 without parsing it; throws on a size or MD5 mismatch. */
export async function verifyDataFile(source: DataFileSource, file: ManifestFile): Promise<void> {
  const body = await getObjectStream(source.client, {
    bucket: source.bucket,
    region: source.region,
    key: file.key,
  });
  compare(file, await measure(body, () => undefined));
}
