import { X509Certificate } from 'node:crypto';

/**
 * go-plugin's handshake, as Terraform runs a provider: the magic cookie in the environment
 * tells the binary it was started by Terraform; the one stdout line tells Terraform where to
 * dial, which protocol, and which certificate the server will present.
 * Source of the format: hashicorp/go-plugin `server.go` and `client.go`.
 */

/** The environment variable and value every Terraform provider checks (Terraform's `plugin.Handshake`). */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** The client's certificate (PEM) under AutoMTLS; absent, the server runs without TLS. */
export const CLIENT_CERT_KEY = 'PLUGIN_CLIENT_CERT';
/** The plugin protocol versions the client speaks, comma-separated. */
export const PROTOCOL_VERSIONS_KEY = 'PLUGIN_PROTOCOL_VERSIONS';

/** go-plugin's own protocol version. */
export const CORE_PROTOCOL_VERSION = 1;
/** tfplugin6. */
export const PLUGIN_PROTOCOL_VERSION = 6;

export class HandshakeError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'HandshakeError';
  }
}

/** Throws unless the environment carries Terraform's cookie, accepts protocol 6 and, when set, a PEM client certificate. */
export function checkHandshakeEnvironment(env: NodeJS.ProcessEnv): void {
  const cookie = env[MAGIC_COOKIE_KEY];
  if (cookie !== MAGIC_COOKIE_VALUE) {
    throw new HandshakeError(
      `this program is a terraform provider plugin and runs only when terraform starts it: ` +
        `${MAGIC_COOKIE_KEY} is ${cookie === undefined ? 'not set' : `${JSON.stringify(cookie)}`}, ` +
        `terraform sets it to ${MAGIC_COOKIE_VALUE}; run terraform init/plan in a configuration that uses this provider instead`,
    );
  }
  const clientCertificate = env[CLIENT_CERT_KEY];
  if (clientCertificate !== undefined && clientCertificate !== '') {
    try {
      new X509Certificate(clientCertificate);
    } catch (error) {
      throw new HandshakeError(
        `${CLIENT_CERT_KEY} is not a PEM certificate (${(error as Error).message}): received ${JSON.stringify(clientCertificate.slice(0, 40))}, terraform sets it to its client certificate for mutual TLS`,
      );
    }
  }
  const versions = env[PROTOCOL_VERSIONS_KEY];
  if (versions !== undefined && versions.trim() !== '') {
    const offered = versions.split(',').map((version) => version.trim());
    if (!offered.includes(String(PLUGIN_PROTOCOL_VERSION))) {
      throw new HandshakeError(
        `terraform offered plugin protocol versions ${versions} (${PROTOCOL_VERSIONS_KEY}); this provider speaks only ${PLUGIN_PROTOCOL_VERSION}: use terraform 1.0 or later`,
      );
    }
  }
}

/**
 * `1|6|tcp|127.0.0.1:<port>|grpc|<certificate>`: the certificate's DER in standard base64
 * without padding (go-plugin decodes it with `base64.RawStdEncoding`), empty without TLS.
 */
export function handshakeLine(address: string, certificateDer?: Buffer): string {
  const certificate = certificateDer ? certificateDer.toString('base64').replace(/=+$/, '') : '';
  return [CORE_PROTOCOL_VERSION, PLUGIN_PROTOCOL_VERSION, 'tcp', address, 'grpc', certificate].join('|');
}
