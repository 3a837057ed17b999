/**
 * One plugin server: the gRPC server on 127.0.0.1 with the provider, go-plugin's services and
 * health, under mutual TLS when the client gave its certificate.
 */
import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { generateServerCertificate, type ServerCertificate } from './certificate';
import { brokerImplementation, controllerImplementation, stdioImplementation } from './go-plugin-services';
import { healthImplementation } from './health-service';
import { handshakeLine } from './handshake';
import { OpenStreams } from './open-streams';
import type { ProviderDefinition } from './provider';
import { providerHandlers, unaryImplementation } from './provider-service';
import { serviceDefinitions } from './service-definitions';

/** The largest message either side may send (go-plugin's limit). */
export const MAX_MESSAGE_BYTES = 2 ** 31 - 1;

/** How long a stop waits for open calls before closing connections. */
const SHUTDOWN_GRACE_MS = 2000;

export interface PluginServerOptions {
  /** The client's certificate (PEM) under AutoMTLS; without it the server speaks plain gRPC. */
  readonly clientCertificatePem?: string;
  /** Called with each RPC's method name as it arrives (for logs and tests). */
  readonly onCall?: (method: string) => void;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface PluginServer {
  /** `host:port` the server listens on. */
  readonly address: string;
  readonly port: number;
  /** The line to print on stdout for go-plugin. */
  readonly handshake: string;
  /** The server's certificate, present under TLS. */
  readonly certificate?: ServerCertificate;
  /** Settles when the client asked for shutdown (`GRPCController.Shutdown`) or {@link stop} ran. */
  readonly stopped: Promise<void>;
  /** Ends open streams and stops the server. */
  stop(): Promise<void>;
}

function logged(implementation: UntypedServiceImplementation, onCall?: (method: string) => void) {
  if (!onCall) return implementation;
  return Object.fromEntries(
    Object.entries(implementation).map(([name, handler]) => [
      name,
      (...args: unknown[]) => {
        onCall(name);
        return (handler as (...inner: unknown[]) => unknown)(...args);
      },
    ]),
  ) as UntypedServiceImplementation;
}

export async function startPluginServer(
  provider: ProviderDefinition,
  options: PluginServerOptions = {},
): Promise<PluginServer> {
  const definitions = serviceDefinitions();
  const certificate = options.clientCertificatePem ? generateServerCertificate() : undefined;
  const credentials = certificate
    ? ServerCredentials.createSsl(
        Buffer.from(options.clientCertificatePem as string),
        [
          {
            private_key: Buffer.from(certificate.privateKeyPem),
            cert_chain: Buffer.from(certificate.certificatePem),
          },
        ],
        true,
      )
    : ServerCredentials.createInsecure();
  // go-plugin's client sends and accepts messages up to 2 GiB - 1 (math.MaxInt32); grpc-js's
  // default of 4 MiB would fail a large configuration (a drift check's query of many jobs).
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  const streams = new OpenStreams();
  let markStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      streams.endAll();
      // Graceful: lets calls in flight (the Shutdown call itself) send their answers. A client
      // that keeps a stream open must not hold the process, hence the forced stop after a grace.
      const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
      force.unref();
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    }).then(markStopped);
    return stopping;
  };

  server.addService(
    definitions.provider,
    logged(unaryImplementation(providerHandlers(provider)), options.onCall),
  );
  server.addService(definitions.stdio, logged(stdioImplementation(streams), options.onCall));
  server.addService(definitions.broker, logged(brokerImplementation(streams), options.onCall));
  server.addService(
    definitions.controller,
    logged(
      controllerImplementation(() => void stop()),
      options.onCall,
    ),
  );
  server.addService(definitions.health, logged(healthImplementation(streams), options.onCall));

  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:0`, credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const address = `${host}:${port}`;
  return { address, port, handshake: handshakeLine(address, certificate?.der), certificate, stopped, stop };
}
