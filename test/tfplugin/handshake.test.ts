import { createPrivateKey, X509Certificate } from 'node:crypto';
import {
  checkHandshakeEnvironment,
  CLIENT_CERT_KEY,
  generateServerCertificate,
  handshakeLine,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  PROTOCOL_VERSIONS_KEY,
  servePlugin,
} from '../../src/tfplugin';

function captured() {
  let text = '';
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

describe('go-plugin handshake', () => {
  test('the line: core 1, protocol 6, tcp address, grpc, certificate DER without base64 padding', () => {
    const der = Buffer.from([1, 2, 3, 4]); // base64 "AQIDBA==", padded twice
    expect(handshakeLine('127.0.0.1:1234', der)).toBe('1|6|tcp|127.0.0.1:1234|grpc|AQIDBA');
    expect(handshakeLine('127.0.0.1:1234')).toBe('1|6|tcp|127.0.0.1:1234|grpc|');
  });

  test('refuses to run without Terraform magic cookie, naming the variable and what to do', async () => {
    expect(() => checkHandshakeEnvironment({})).toThrow(
      `${MAGIC_COOKIE_KEY} is not set, terraform sets it to ${MAGIC_COOKIE_VALUE}`,
    );
    expect(() => checkHandshakeEnvironment({ [MAGIC_COOKIE_KEY]: 'wrong' })).toThrow(
      `${MAGIC_COOKIE_KEY} is "wrong"`,
    );
    const stdout = captured();
    const stderr = captured();
    const server = await servePlugin({}, { env: { [MAGIC_COOKIE_KEY]: 'wrong' }, stdout, stderr });
    expect(server).toBeUndefined();
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toMatch(
      /^this program is a terraform provider plugin and runs only when terraform starts it/,
    );
  });

  test('refuses a client certificate that is not PEM, saying what it received', () => {
    const env = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, [CLIENT_CERT_KEY]: 'garbage' };
    expect(() => checkHandshakeEnvironment(env)).toThrow(
      /^PLUGIN_CLIENT_CERT is not a PEM certificate \(.*\): received "garbage"/,
    );
    expect(() =>
      checkHandshakeEnvironment({ ...env, [CLIENT_CERT_KEY]: generateServerCertificate().certificatePem }),
    ).not.toThrow();
  });

  test('refuses a client that offers no protocol 6', () => {
    const env = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, [PROTOCOL_VERSIONS_KEY]: '4,5' };
    expect(() => checkHandshakeEnvironment(env)).toThrow('terraform offered plugin protocol versions 4,5');
    expect(() => checkHandshakeEnvironment({ ...env, [PROTOCOL_VERSIONS_KEY]: '5,6' })).not.toThrow();
  });

  test('with the cookie and a client certificate: one handshake line on stdout, with TLS', async () => {
    const stdout = captured();
    const client = generateServerCertificate();
    const server = await servePlugin(
      {},
      {
        env: { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, [CLIENT_CERT_KEY]: client.certificatePem },
        stdout,
        stderr: captured(),
      },
    );
    expect(stdout.text()).toBe(`${server?.handshake}\n`);
    expect(stdout.text()).toMatch(/^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|[A-Za-z0-9+/]{50,}\n$/);
    await server?.stop();
  });
});

describe('server certificate', () => {
  test('self-signed for localhost and 127.0.0.1, a CA, for server and client auth, fresh per start', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    const first = generateServerCertificate(now);
    const certificate = new X509Certificate(first.certificatePem);
    expect(certificate.subject).toBe('CN=localhost');
    expect(certificate.issuer).toBe('CN=localhost');
    expect(certificate.ca).toBe(true);
    expect(certificate.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(first.privateKeyPem))).toBe(true);
    expect(new Date(certificate.validFrom).getTime()).toBeLessThan(now.getTime());
    expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(now.getTime());
    expect(certificate.raw.equals(first.der)).toBe(true);
    const second = generateServerCertificate(now);
    expect(second.der.equals(first.der)).toBe(false);
  });
});
