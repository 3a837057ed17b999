/**
 * `DynamicValue` encoding: the msgpack form of Terraform's object wire format
 * (hashicorp/terraform `docs/plugin-protocol/object-wire-format.md`). Unknown values are
 * the msgpack extension type 0; Terraform 1.6 and later may also send "refined" unknowns as
 * extension type 12, which carry hints about the eventual value and decode as unknown here.
 */
import { decode, encode, ExtensionCodec } from '@msgpack/msgpack';
import { UNKNOWN, isUnknown, type TfValue } from './value';

const UNKNOWN_EXTENSION = 0;
const REFINED_UNKNOWN_EXTENSION = 12;
// cty writes its unknown as a one-byte payload of zero; readers ignore the payload.
const UNKNOWN_PAYLOAD = new Uint8Array([0]);

const codec = new ExtensionCodec();
codec.register({
  type: UNKNOWN_EXTENSION,
  encode: (value: unknown) => (isUnknown(value) ? UNKNOWN_PAYLOAD : null),
  decode: () => UNKNOWN,
});
codec.register({
  type: REFINED_UNKNOWN_EXTENSION,
  encode: () => null,
  decode: () => UNKNOWN,
});

/** The wire message: `msgpack` (preferred) or `json` bytes. */
export interface DynamicValueMessage {
  readonly msgpack?: Uint8Array;
  readonly json?: Uint8Array;
}

export function encodeValue(value: TfValue): Buffer {
  const bytes = encode(value, { extensionCodec: codec, ignoreUndefined: true });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeValue(bytes: Uint8Array): TfValue {
  return decode(bytes, { extensionCodec: codec, useBigInt64: false }) as TfValue;
}

/** Decodes a DynamicValue message; an absent or empty message is null. */
export function fromDynamicValue(message: DynamicValueMessage | null | undefined): TfValue {
  if (!message) return null;
  if (message.msgpack && message.msgpack.length > 0) return decodeValue(message.msgpack);
  if (message.json && message.json.length > 0) {
    return JSON.parse(Buffer.from(message.json).toString('utf8')) as TfValue;
  }
  return null;
}

export function toDynamicValue(value: TfValue): { msgpack: Buffer } {
  return { msgpack: encodeValue(value) };
}
