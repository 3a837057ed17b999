import { crc64ecma } from '../../src/emulator/crc64';

describe('crc64ecma', () => {
  it('matches the CRC-64/XZ check value COS uses for x-cos-hash-crc64ecma', () => {
    // Catalogue check value of CRC-64/XZ for "123456789": 0x995dc9bbdf1939fa.
    expect(crc64ecma(Buffer.from('123456789'))).toBe(BigInt('0x995dc9bbdf1939fa').toString());
  });

  it('is 0 for an empty body', () => {
    expect(crc64ecma(Buffer.alloc(0))).toBe('0');
  });
});
