import { describe, expect, it } from 'vitest';
import { KeptJson } from '@scia/runtime';

describe('KeptJson.keep', () => {
  it.each([
    { reason: 'a Buffer (a view of a request read off the wire)', make: (b: number[]) => Buffer.from([0, ...b, 0]).subarray(1, b.length + 1) },
    { reason: 'a Uint8Array', make: (b: number[]) => new Uint8Array([0, ...b, 0]).subarray(1, b.length + 1) },
  ])('keeps a copy of $reason: its bytes changed after do not change what is kept', ({ make }) => {
    // The Value "A" (string_value, field 3), then "B".
    const a = [26, 1, 65];
    const bytes = make(a);
    const kept = KeptJson.keep(bytes, 'value');
    bytes.set([26, 1, 66]);
    expect({ sameAsKept: kept?.same(new Uint8Array(a)), sameAsChanged: kept?.same(bytes), holdsOnlyItsOwn: kept?.bytes.buffer.byteLength }).toEqual({ sameAsKept: true, sameAsChanged: false, holdsOnlyItsOwn: 3 });
  });
});
