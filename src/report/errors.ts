/** What an integrity check compared. */
export type IntegrityCheck = 'manifest-checksum' | 'size' | 'md5';

/**
 * A delivered report does not match its own manifest: the manifest's MD5 differs from
 * `manifest.checksum`, or a data file's size or MD5 differs from what the manifest lists.
 * Its rows must not be trusted.
 */
export class ReportIntegrityError extends Error {
  /** The object key that failed the check. */
  readonly file: string;
  readonly check: IntegrityCheck;
  readonly expected: string;
  readonly actual: string;

  constructor(init: { file: string; check: IntegrityCheck; expected: string; actual: string }) {
    const what =
      init.check === 'manifest-checksum'
        ? 'md5 of the manifest does not match manifest.checksum'
        : init.check === 'size'
          ? 'size does not match the manifest'
          : 'md5 does not match the manifest';
    super(`${init.file}: ${what}: expected ${init.expected}, received ${init.actual}`);
    this.name = 'ReportIntegrityError';
    this.file = init.file;
    this.check = init.check;
    this.expected = init.expected;
    this.actual = init.actual;
  }
}

/** A manifest or data file that cannot be read as COS's documented format. */
export class ReportFormatError extends Error {
  /** The object key of the file. */
  readonly file: string;
  /** 1-based line of a data file (after decompression), when known. */
  readonly line: number | undefined;

  constructor(file: string, message: string, line?: number) {
    super(`${file}${line === undefined ? '' : ` line ${line}`}: ${message}`);
    this.name = 'ReportFormatError';
    this.file = file;
    this.line = line;
  }
}

/** No delivery matches what was asked (no manifest for the job, or none on that date). */
export class DeliveryNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryNotFoundError';
  }
}
