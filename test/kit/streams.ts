import { PassThrough, Writable } from 'node:stream';

/** A writable that keeps what is written, for a command's stdout or stderr. */
export class Captured extends Writable {
  private readonly chunks: Buffer[] = [];
  isTTY = false;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    done();
    this.emit('written');
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** A readable holding `text` (empty: stdin closed at once), not a terminal. */
export function stdinOf(text = ''): PassThrough & { isTTY: boolean } {
  const stream = Object.assign(new PassThrough(), { isTTY: false });
  stream.end(text);
  return stream;
}
