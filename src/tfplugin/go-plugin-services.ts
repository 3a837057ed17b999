/**
 * The services go-plugin's client expects next to the provider: stdio forwarding (kept open
 * and silent: this server writes nothing through it), the broker for extra connections (kept
 * open and idle: tfplugin6 providers open none) and the controller's Shutdown.
 */
import type {
  sendUnaryData,
  ServerDuplexStream,
  ServerUnaryCall,
  ServerWritableStream,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { OpenStreams } from './open-streams';
import type { Message } from './service-definitions';

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
