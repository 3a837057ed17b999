import { createHash } from 'node:crypto';
import type { Readable, TransformOptions } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse, type Options } from 'csv-parse';
import type { CosClient } from '../cos/client';
import { getObjectStream } from '../cos/objects';
import { ReportFormatError, ReportIntegrityError } from './errors';
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
  readonly records: AsyncIterable<{ record: string[]; info: { lines: number } }>;
  /** Settles when the whole body has been hashed (or the download failed). */
  readonly measured: Promise<Measured>;
  /** Stops decompressing and parsing but keeps hashing, so a mismatch can still be reported. */
  abandonParsing(): void;
  /** Stops everything (the reader went away). */
  destroy(): void;
}

/** Rows parsed ahead of the reader per file: bounds memory while files download in parallel. */
const RECORDS_AHEAD = 256;

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
 * One data file, streamed: download -> MD5/size tap -> gunzip -> csv-parse. Opening starts
 * at construction so several files can download ahead of the reader; backpressure keeps
 * each to a few buffers. `rows()` yields decoded rows and, at the end of the file, throws
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
    const gunzip = createGunzip();
    // csv-parse hands unknown options to its Transform, which bounds the records parsed ahead.
    const parseOptions: Options & TransformOptions = {
      info: true,
      bom: true,
      readableHighWaterMark: RECORDS_AHEAD,
    };
    const parser = parse(parseOptions);
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
      records: parser as AsyncIterable<{ record: string[]; info: { lines: number } }>,
      measured,
      abandonParsing,
      destroy: () => {
        abandonParsing();
        body.destroy();
      },
    };
  }

  /** The file's rows in order; verifies size and MD5 once the file has been read. */
  async *rows(): AsyncGenerator<InventoryRow> {
    const opened = await this.opening;
    let finished = false;
    let failure: unknown;
    try {
      let first = true;
      try {
        for await (const { record, info } of opened.records) {
          // A header row is not documented; tolerate one that repeats the schema.
          const header = first && sameColumns(record, this.columns);
          first = false;
          if (header) continue;
          yield this.decode(record, this.file.key, info.lines);
        }
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
