/**
 * The streams a server keeps open (stdio, broker, health watch), ended when it stops so that
 * the client sees a clean close.
 */
export class OpenStreams {
  private readonly streams = new Set<{ end(): void }>();

  public add(stream: { end(): void; on(event: 'cancelled' | 'close', listener: () => void): unknown }): void {
    this.streams.add(stream);
    const forget = () => this.streams.delete(stream);
    stream.on('cancelled', forget);
    stream.on('close', forget);
  }

  public endAll(): void {
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }
}
