// node-forge's ASN.1 module alone: the full package is seven times the size and loads on
// every provider start. Typed by @types/node-forge's `asn1` namespace.
declare module 'node-forge/lib/asn1' {
  import type forge from 'node-forge';
  const asn1: typeof forge.asn1;
  export = asn1;
}
