/**
 * `grpc.health.v1.Health`, which go-plugin may ping: always SERVING while the server runs.
 */
import type {
  sendUnaryData,
  ServerUnaryCall,
  ServerWritableStream,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { OpenStreams } from './open-streams';
import type { Message } from './service-definitions';

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
