/**
 * CRC-64/XZ (ECMA-182 polynomial, reflected), the checksum COS returns in
 * `x-cos-hash-crc64ecma` as an unsigned decimal string. The 64-bit register is kept as two
 * 32-bit halves so large bodies are checksummed without BigInt arithmetic per byte.
 */
const POLY = 0xc96c5795d7870f42n;

const [TABLE_LO, TABLE_HI] = (() => {
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = BigInt(i);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ POLY : crc >> 1n;
    lo[i] = Number(crc & 0xffffffffn);
    hi[i] = Number(crc >> 32n);
  }
  return [lo, hi];
})();

export function crc64ecma(data: Buffer): string {
  let lo = 0xffffffff;
  let hi = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    const index = (lo ^ data[i]) & 0xff;
    lo = (((lo >>> 8) | (hi << 24)) ^ TABLE_LO[index]) >>> 0;
    hi = ((hi >>> 8) ^ TABLE_HI[index]) >>> 0;
  }
  return ((BigInt((hi ^ 0xffffffff) >>> 0) << 32n) | BigInt((lo ^ 0xffffffff) >>> 0)).toString();
}
