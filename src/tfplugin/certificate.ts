/**
 * The per-start server certificate of go-plugin's AutoMTLS: self-signed, for `localhost`,
 * usable as its own CA (go-plugin trusts exactly the certificate the handshake line carries)
 * and for both TLS server and client authentication.
 *
 * The key is ECDSA P-256 from `node:crypto`, which also signs: generating and signing take
 * about a millisecond, against a few hundred for the RSA keys that certificate libraries in
 * JavaScript create. The certificate's DER structure (RFC 5280) is written with
 * node-forge's ASN.1 encoder.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import asn1 from 'node-forge/lib/asn1';
import type forge from 'node-forge';

const { Class, Type } = asn1;

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** A PEM certificate and key, and the certificate's DER bytes (for the handshake line). */
export interface ServerCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly der: Buffer;
}

const binary = (bytes: Buffer): string => bytes.toString('binary');
const sequence = (items: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
const oid = (value: string) => asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(value).getBytes());
const octets = (value: forge.asn1.Asn1) =>
  asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, asn1.toDer(value).getBytes());
const bool = (value: boolean) => asn1.create(Class.UNIVERSAL, Type.BOOLEAN, false, value ? '\xff' : '\x00');

function extension(id: string, critical: boolean, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return sequence([oid(id), ...(critical ? [bool(true)] : []), octets(value)]);
}

function name(commonName: string): forge.asn1.Asn1 {
  return sequence([
    asn1.create(Class.UNIVERSAL, Type.SET, true, [
      sequence([oid(OID.commonName), asn1.create(Class.UNIVERSAL, Type.UTF8, false, commonName)]),
    ]),
  ]);
}

/** A fresh certificate valid from a minute ago (clock skew) for `lifetimeMs`. */
export function generateServerCertificate(
  now: Date = new Date(),
  lifetimeMs = 30 * 24 * 3600 * 1000,
): ServerCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive and without a leading zero byte
  const algorithm = sequence([oid(OID.ecdsaWithSha256)]);
  const tbs = sequence([
    asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(Class.UNIVERSAL, Type.INTEGER, false, '\x02')]),
    asn1.create(Class.UNIVERSAL, Type.INTEGER, false, binary(serial)),
    algorithm,
    name('localhost'),
    sequence([
      asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, asn1.dateToUtcTime(new Date(now.getTime() - 60_000))),
      asn1.create(
        Class.UNIVERSAL,
        Type.UTCTIME,
        false,
        asn1.dateToUtcTime(new Date(now.getTime() + lifetimeMs)),
      ),
    ]),
    name('localhost'),
    asn1.fromDer(binary(publicKey.export({ type: 'spki', format: 'der' }))),
    asn1.create(Class.CONTEXT_SPECIFIC, 3, true, [
      sequence([
        extension(OID.basicConstraints, true, sequence([bool(true)])),
        // digitalSignature (bit 0), keyEncipherment (bit 2), keyCertSign (bit 5); 2 unused bits.
        extension(OID.keyUsage, true, asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, '\x02\xa4')),
        extension(OID.extKeyUsage, false, sequence([oid(OID.serverAuth), oid(OID.clientAuth)])),
        extension(
          OID.subjectAltName,
          false,
          sequence([
            asn1.create(Class.CONTEXT_SPECIFIC, 2, false, 'localhost'),
            asn1.create(Class.CONTEXT_SPECIFIC, 7, false, '\x7f\x00\x00\x01'),
          ]),
        ),
      ]),
    ]),
  ]);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = sign('sha256', tbsDer, { key: privateKey, dsaEncoding: 'der' });
  const certificate = sequence([
    tbs,
    algorithm,
    asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, `\x00${binary(signature)}`),
  ]);
  const der = Buffer.from(asn1.toDer(certificate).getBytes(), 'binary');
  const base64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    certificatePem: `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    der,
  };
}
