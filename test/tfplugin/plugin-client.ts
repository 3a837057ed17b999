/**
 * A gRPC client for the plugin server under test, dialing as Terraform does: mutual TLS with
 * the client's own certificate, trusting exactly the certificate of the handshake line.
 */
import {
  credentials,
  makeGenericClientConstructor,
  type Client,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import {
  generateServerCertificate,
  MAX_MESSAGE_BYTES,
  serviceDefinitions,
  startPluginServer,
  type Message,
  type PluginServer,
  type PluginServerOptions,
  type ProviderDefinition,
  type ServerCertificate,
} from '../../src/tfplugin';

type Unary = (request: Message, callback: (error: Error | null, response: Message) => void) => void;

export interface PluginConnection {
  readonly server: PluginServer;
  /** One unary call of a service (`provider`, `controller`, `health`, ...). */
  call(
    service: keyof ReturnType<typeof serviceDefinitions>,
    method: string,
    request?: Message,
  ): Promise<Message>;
  client(service: keyof ReturnType<typeof serviceDefinitions>): Client & Record<string, unknown>;
  close(): Promise<void>;
}

/** The certificate PEM of a handshake line's last field (standard base64, no padding). */
export function certificatePemOf(handshake: string): string {
  const field = handshake.split('|')[5];
  const base64 = field + '='.repeat((4 - (field.length % 4)) % 4);
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export async function connect(
  provider: ProviderDefinition,
  options: Omit<PluginServerOptions, 'clientCertificatePem'> = {},
  clientCertificate: ServerCertificate = generateServerCertificate(),
): Promise<PluginConnection> {
  const server = await startPluginServer(provider, {
    ...options,
    clientCertificatePem: clientCertificate.certificatePem,
  });
  const definitions = serviceDefinitions();
  const channelCredentials = credentials.createSsl(
    Buffer.from(certificatePemOf(server.handshake)),
    Buffer.from(clientCertificate.privateKeyPem),
    Buffer.from(clientCertificate.certificatePem),
  );
  const clients = new Map<string, Client & Record<string, unknown>>();
  const client = (service: keyof typeof definitions) => {
    let existing = clients.get(service);
    if (!existing) {
      const Constructor = makeGenericClientConstructor(definitions[service] as ServiceDefinition, service);
      // As go-plugin dials: no message size limit below 2 GiB.
      existing = new Constructor(server.address, channelCredentials, {
        'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
        'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      }) as Client & Record<string, unknown>;
      clients.set(service, existing);
    }
    return existing;
  };
  return {
    server,
    client,
    call: (service, method, request = {}) =>
      new Promise((resolve, reject) =>
        (client(service)[method] as Unary).call(client(service), request, (error, response) =>
          error ? reject(error) : resolve(response),
        ),
      ),
    close: async () => {
      for (const open of clients.values()) open.close();
      await server.stop();
    },
  };
}
