/**
 * CRC-64/XZ (ECMA-182 polynomial, reflected), the checksum COS returns in
 * `x-cos-hash-crc64ecma` as an unsigned decimal string.
 */
const POLY = 0xc96c5795d7870f42n;
const MASK = 0xffffffffffffffffn;

const TABLE: bigint[] = (() => {
  const table: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let crc = BigInt(i);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ POLY : crc >> 1n;
    table.push(crc);
  }
  return table;
})();

export function crc64ecma(data: Buffer): string {
  let crc = MASK;
  for (const byte of data) crc = TABLE[Number((crc ^ BigInt(byte)) & 0xffn)] ^ (crc >> 8n);
  return ((crc ^ MASK) & MASK).toString();
}
