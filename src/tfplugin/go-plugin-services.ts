/**
 * The services go-plugin's client expects next to the provider: stdio forwarding (kept open
 * and silent: this server writes nothing through it), the broker for extra connections (kept
 * open and idle: tfplugin6 providers open none), the controller's Shutdown, and gRPC health.
 */
import type {
  sendUnaryData,
  ServerDuplexStream,
  ServerUnaryCall,
  ServerWritableStream,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Message } from './service-definitions';

/** Open streams, ended when the server stops so that the client sees a clean close. */
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

export function stdioImplementation(streams: OpenStreams): UntypedServiceImplementation {
  return {
    StreamStdio: (call: ServerWritableStream<Message, Message>) => streams.add(call),
  };
}

export function brokerImplementation(streams: OpenStreams): UntypedServiceImplementation {
  return {
    StartStream: (call: ServerDuplexStream<Message, Message>) => {
      streams.add(call);
      // No broker connections are offered; the client's half-close ends ours.
      call.on('data', () => undefined);
      call.on('end', () => call.end());
    },
  };
}

export function controllerImplementation(onShutdown: () => void): UntypedServiceImplementation {
  return {
    Shutdown: (_call: ServerUnaryCall<Message, Message>, callback: sendUnaryData<Message>) => {
      callback(null, {});
      onShutdown();
    },
  };
}

export function healthImplementation(streams: OpenStreams): UntypedServiceImplementation {
  return {
    Check: (_call: ServerUnaryCall<Message, Message>, callback: sendUnaryData<Message>) =>
      callback(null, { status: 'SERVING' }),
    Watch: (call: ServerWritableStream<Message, Message>) => {
      streams.add(call);
      call.write({ status: 'SERVING' });
    },
  };
}
