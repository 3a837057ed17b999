import { encode } from '@msgpack/msgpack';
import {
  containsUnknown,
  decodeValue,
  encodeValue,
  fromDynamicValue,
  isUnknown,
  toDynamicValue,
  UNKNOWN,
  type TfValue,
} from '../../src/tfplugin';

describe('DynamicValue msgpack', () => {
  test('an unknown value is the msgpack extension type 0 (fixext 1)', () => {
    expect([...encodeValue(UNKNOWN)]).toEqual([0xd4, 0x00, 0x00]);
    expect(isUnknown(decodeValue(Buffer.from([0xd4, 0x00, 0x00])))).toBe(true);
  });

  test('objects with nulls, nested unknowns, lists, maps and numbers round-trip', () => {
    const value: TfValue = {
      name: 'a',
      absent: null,
      later: UNKNOWN,
      list: ['x', UNKNOWN, null],
      map: { k: 'v', u: UNKNOWN },
      count: 3,
      ratio: 0.5,
      enabled: true,
      nested: [{ deep: UNKNOWN }],
    };
    const back = decodeValue(encodeValue(value));
    expect(back).toEqual(value);
    expect(isUnknown((back as { later: TfValue }).later)).toBe(true);
    expect(containsUnknown(back)).toBe(true);
    expect(containsUnknown({ a: [1, { b: null }] })).toBe(false);
  });

  test('a refined unknown (extension type 12, with its refinements) decodes as unknown', () => {
    // Terraform refines unknowns it knows are not null: extension 12 holding a msgpack map.
    const refinements = encode({ 1: false });
    const bytes = Buffer.concat([
      Buffer.from([0xa1, 0x78]), // "x"
      Buffer.from([0xc7, refinements.length, 12]),
      Buffer.from(refinements),
    ]);
    const value = decodeValue(Buffer.concat([Buffer.from([0x81]), bytes]));
    expect(Object.keys(value as object)).toEqual(['x']);
    expect(isUnknown((value as { x: TfValue }).x)).toBe(true);
  });

  test('DynamicValue messages: msgpack preferred, json accepted, absent is null', () => {
    expect(fromDynamicValue(toDynamicValue({ a: 1 }))).toEqual({ a: 1 });
    expect(fromDynamicValue({ json: Buffer.from('{"b":"c"}') })).toEqual({ b: 'c' });
    expect(fromDynamicValue({ msgpack: Buffer.alloc(0), json: Buffer.alloc(0) })).toBeNull();
    expect(fromDynamicValue(undefined)).toBeNull();
    expect(fromDynamicValue(toDynamicValue(null))).toBeNull();
  });
});
