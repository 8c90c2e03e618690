import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { Resource } from '@crossplane-org/function-sdk-typescript';
import { contentHash, decodeRequest, fieldAt, KeptJson, wellFormedUtf8 } from '@scia/runtime';

/** sameStruct and sameValue keep `a` and compare `b` with it (bytes it cannot keep are the same as nothing). */
const sameStruct = (a: Uint8Array, b: Uint8Array): boolean => KeptJson.keep(a, 'struct')?.same(b) ?? false;
const sameValue = (a: Uint8Array, b: Uint8Array): boolean => KeptJson.keep(a, 'value')?.same(b) ?? false;

/** shuffled is `value` with every object's keys in an order `pick` chooses (Go writes map entries in a random order). */
function shuffled(value: unknown, pick: (n: number) => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v, pick));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  const order: string[] = [];
  while (keys.length > 0) order.push(keys.splice(pick(keys.length), 1)[0] as string);
  return Object.fromEntries(order.map((k) => [k, shuffled((value as Record<string, unknown>)[k], pick)]));
}

/** struct is the google.protobuf.Struct the SDK writes for `obj`, keys in its order. */
function struct(obj: Record<string, unknown>): Uint8Array {
  const r = new BinaryReader(Resource.encode(Resource.fromPartial({ resource: obj })).finish());
  r.uint32();
  return r.bytes();
}
/** value is the google.protobuf.Value the SDK writes for `v`: the Value of the one entry of `{ v }`. */
function value(v: unknown): Uint8Array {
  const r = new BinaryReader(struct({ v }));
  r.uint32(); // the entry's tag
  r.uint32(); // its length
  r.uint32(); // the key's tag
  r.skip(2);
  r.uint32(); // the Value's tag
  return r.bytes();
}
/** decode reads a Struct as the lazy decoder does (the bytes of a composite resource). */
function decode(bytes: Uint8Array): unknown {
  const w = new BinaryWriter();
  w.uint32(18).fork().uint32(10).fork().uint32(10).bytes(bytes).join().join();
  return JSON.parse(JSON.stringify(decodeRequest(w.finish(), 'lazy').observed?.composite?.resource)) as unknown;
}
const reversed = (n: number) => n - 1;

/** entry writes one Struct entry by hand: field 1 the key's bytes, field 2 the Value. */
function entry(w: BinaryWriter, key: Uint8Array | string, v: unknown): void {
  w.uint32(10).fork();
  if (typeof key === 'string') w.uint32(10).string(key);
  else w.uint32(10).bytes(key);
  w.uint32(18).bytes(value(v));
  w.join();
}
const raw = (...entries: Array<[Uint8Array | string, unknown]>): Uint8Array => {
  const w = new BinaryWriter();
  for (const [k, v] of entries) entry(w, k, v);
  return w.finish();
};

const RESOURCE = {
  apiVersion: 'ec2.aws.upbound.io/v1beta1',
  kind: 'VPC',
  metadata: { name: 'vpc', labels: { a: '1', b: '2', c: '3' }, annotations: { x: 'y' } },
  spec: { forProvider: { cidrBlock: '10.0.0.0/16', tags: { managed: 'scia', team: 'x' } } },
  status: {
    atProvider: { id: 'vpc-1', nested: { deep: { deeper: [1, 2, { k: 'v', l: null, m: true }] } } },
    conditions: [
      { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
    ],
  },
};

describe('KeptJson of a Struct', () => {
  const cases: Array<{ reason: string; a: Uint8Array; b: Uint8Array; same: boolean }> = [
    { reason: 'the same object with its keys in another order at every depth is the same', a: struct(RESOURCE), b: struct(shuffled(RESOURCE, reversed) as Record<string, unknown>), same: true },
    { reason: 'the same bytes are the same', a: struct(RESOURCE), b: struct(RESOURCE), same: true },
    { reason: 'a changed value deep down is not', a: struct(RESOURCE), b: struct({ ...RESOURCE, status: { ...RESOURCE.status, atProvider: { id: 'vpc-2', nested: RESOURCE.status.atProvider.nested } } }), same: false },
    { reason: 'a list in another order is not', a: struct({ l: [1, 2] }), b: struct({ l: [2, 1] }), same: false },
    { reason: 'a longer list is not', a: struct({ l: [1, 2] }), b: struct({ l: [1, 2, 3] }), same: false },
    { reason: 'a key more is not', a: struct({ a: 1 }), b: struct({ a: 1, b: 2 }), same: false },
    { reason: 'a renamed key of the same length is not', a: struct({ a: 1, b: 2 }), b: struct({ a: 1, c: 2 }), same: false },
    { reason: 'a number and a string with the same text are not', a: struct({ a: 1 }), b: struct({ a: '1' }), same: false },
    { reason: 'an empty object and an empty list are not', a: struct({ a: {} }), b: struct({ a: [] }), same: false },
    { reason: 'a key twice, in another order, cannot be told (the decoder keeps the last)', a: raw(['k', 1], ['k', 2]), b: raw(['k', 2], ['k', 1]), same: false },
    { reason: 'a key twice cannot be told even in the same order', a: raw(['k', 1], ['k', 2]), b: raw(['k', 1], ['k', 2]), same: false },
    { reason: 'two keys that are not UTF-8 (both read as U+FFFD) cannot be told', a: raw([new Uint8Array([0xff]), 1], [new Uint8Array([0xfe]), 2]), b: raw([new Uint8Array([0xfe]), 1], [new Uint8Array([0xff]), 2]), same: false },
    { reason: 'two keys that are not UTF-8 in another order are not the same (the decoder keeps the last of the two U+FFFD)', a: raw([new Uint8Array([0xff]), 1], [new Uint8Array([0xfe]), 2]), b: raw([new Uint8Array([0xfe]), 2], [new Uint8Array([0xff]), 1]), same: false },
    { reason: 'keys in UTF-8 beyond ASCII, in another order, are the same', a: struct({ 'é': 1, '日本': 2, '😀': 3 }), b: struct({ '😀': 3, '日本': 2, 'é': 1 }), same: true },
    { reason: 'an overlong form of a key (read as U+FFFD) cannot be told', a: raw([new Uint8Array([0xc0, 0xaf]), 1]), b: raw([new Uint8Array([0xc0, 0xaf]), 1]), same: false },
    { reason: 'a surrogate written as UTF-8 (read as U+FFFD) cannot be told', a: raw([new Uint8Array([0xed, 0xa0, 0x80]), 1]), b: raw([new Uint8Array([0xed, 0xa0, 0x80]), 1]), same: false },
    { reason: 'a key cut inside a character cannot be told', a: raw([new Uint8Array([0x61, 0xe6, 0x97]), 1]), b: raw([new Uint8Array([0x61, 0xe6, 0x97]), 1]), same: false },
    { reason: 'bytes cut short are not', a: struct(RESOURCE), b: struct(RESOURCE).subarray(0, 40), same: false },
  ];
  it.each(cases)('$reason', ({ a, b, same }) => {
    expect(sameStruct(a, b)).toBe(same);
    expect(sameStruct(b, a)).toBe(same);
  });

  it('says same only of encodings that decode to equal values (random objects, shuffled and changed)', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed % n;
    };
    const leaf = (): unknown => [null, true, false, 0, 1, 1.5, -3, '', 'a', 'ab', 'b'][random(11)];
    const build = (depth: number): unknown => {
      const kind = depth > 3 ? 0 : random(3);
      if (kind === 0) return leaf();
      if (kind === 1) return Array.from({ length: random(4) }, () => build(depth + 1));
      return Object.fromEntries(Array.from({ length: random(5) }, (_, i) => [`k${random(6)}${i % 2 === 0 ? '' : 'x'}`, build(depth + 1)]));
    };
    const mutate = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.length === 0 ? [leaf()] : v.map((x: unknown, i) => (i === 0 ? mutate(x) : x));
      if (typeof v === 'object' && v !== null) {
        const keys = Object.keys(v);
        if (keys.length === 0) return { k: leaf() };
        const k = keys[random(keys.length)] as string;
        return { ...v, [k]: mutate((v as Record<string, unknown>)[k]) };
      }
      return leaf();
    };
    let sames = 0;
    for (let i = 0; i < 400; i++) {
      const obj = { root: build(0), other: build(1) };
      const other = random(2) === 0 ? shuffled(obj, random) : shuffled(mutate(obj), random);
      const a = struct(obj);
      const b = struct(other as Record<string, unknown>);
      const equal = sortedJson(decode(a)) === sortedJson(decode(b));
      const kept = KeptJson.keep(a, 'struct');
      // Compared twice: what a comparison marks must not leak into the next.
      expect([kept?.same(b), kept?.same(b), kept?.same(a)]).toEqual([equal, equal, true]);
      // The same content hashes alike, whatever the order (the memo's bucket).
      if (equal) expect(contentHash(value(obj))).toBe(contentHash(value(other)));
      if (equal) sames++;
    }
    // Both answers were put to the test.
    expect(sames).toBeGreaterThan(100);
    expect(sames).toBeLessThan(350);
  });
});

function sortedJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'object' && x !== null && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

describe('KeptJson of a Value', () => {
  it('keeps a copy of the bytes, not a view of the request they lie in', () => {
    const request = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(value({ a: 'x', b: [1, 2] }))]);
    const bytes = request.subarray(3);
    const kept = KeptJson.keep(bytes, 'value');
    request.fill(0);
    expect(kept?.bytes.buffer).not.toBe(request.buffer);
    expect(kept?.same(value({ b: [1, 2], a: 'x' }))).toBe(true);
  });
  it.each([
    { reason: 'a list of objects with keys in another order is the same', a: value(RESOURCE.status.conditions), b: value(shuffled(RESOURCE.status.conditions, reversed)), same: true },
    { reason: 'a changed condition is not', a: value(RESOURCE.status.conditions), b: value([{ ...RESOURCE.status.conditions[0], status: 'False' }, RESOURCE.status.conditions[1]]), same: false },
    { reason: 'the same string is the same', a: value('x'), b: value('x'), same: true },
    { reason: 'null and false are not', a: value(null), b: value(false), same: false },
  ])('$reason', ({ a, b, same }) => {
    expect(sameValue(a, b)).toBe(same);
  });
});

describe('fieldAt', () => {
  const bytes = struct(RESOURCE);
  it.each([
    { reason: 'a field of a field is its Value', path: ['status', 'conditions'], want: value(RESOURCE.status.conditions) },
    { reason: 'a field of a nested object', path: ['spec', 'forProvider', 'cidrBlock'], want: value('10.0.0.0/16') },
    { reason: 'a missing field is null', path: ['status', 'missing'], want: null },
    { reason: 'a missing object on the way is null', path: ['nothing', 'conditions'], want: null },
    { reason: 'a field of something that is not an object cannot be told', path: ['kind', 'x'], want: undefined },
  ])('$reason', ({ path, want }) => {
    const got = fieldAt(bytes, path);
    if (want === null || want === undefined) expect(got).toBe(want);
    else expect(got === null || got === undefined ? got : sameValue(got, want)).toBe(true);
  });

  it('cannot tell a key written twice (the decoders keep the last)', () => {
    expect(fieldAt(raw(['status', { a: 1 }], ['status', { a: 2 }]), ['status'])).toBeUndefined();
  });

  it('cannot tell bytes it cannot follow', () => {
    expect(fieldAt(new Uint8Array([10, 5, 10, 1, 0x73]), ['s'])).toBeUndefined();
    expect(fieldAt(new Uint8Array([18, 0]), ['s'])).toBeUndefined();
  });
});

describe('bounds', () => {
  /** nested is `leaf` inside `depth` objects of one key. */
  const nested = (depth: number, leaf: unknown): unknown => {
    let v = leaf;
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
  };
  const wide = (n: number): Record<string, unknown> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
  it.each([
    { reason: 'a Struct of MAX_ENTRIES entries is kept', bytes: value(wide(256)), kept: true },
    { reason: 'a Struct of one entry more is not (matching keys costs their product)', bytes: value(wide(257)), kept: false },
    { reason: 'objects nested 127 deep are kept', bytes: value(nested(127, 1)), kept: true },
    { reason: 'objects nested past MAX_NESTING are not', bytes: value(nested(129, 1)), kept: false },
    { reason: 'lists count as nesting too', bytes: value(JSON.parse(`${'['.repeat(129)}1${']'.repeat(129)}`) as unknown), kept: false },
  ])('$reason', ({ bytes, kept }) => {
    const k = KeptJson.keep(bytes, 'value');
    expect({ kept: k !== undefined, hashed: contentHash(bytes) !== undefined }).toEqual({ kept, hashed: kept });
    if (k !== undefined) expect(k.same(bytes)).toBe(true);
  });
});

describe('contentHash', () => {
  it.each([
    { reason: 'keys in another order at every depth hash alike', a: value(RESOURCE), b: value(shuffled(RESOURCE, reversed)), alike: true },
    { reason: 'a changed leaf deep down does not', a: value(RESOURCE), b: value({ ...RESOURCE, status: { ...RESOURCE.status, atProvider: { id: 'vpc-2', nested: RESOURCE.status.atProvider.nested } } }), alike: false },
    { reason: 'a list in another order does not', a: value([1, 2]), b: value([2, 1]), alike: false },
    { reason: 'a key moved to another level does not', a: value({ a: { b: 'c' }, d: 'e' }), b: value({ a: { d: 'e' }, b: 'c' }), alike: false },
    { reason: 'values swapped between keys do not', a: value({ a: 1, b: 2 }), b: value({ a: 2, b: 1 }), alike: false },
    { reason: 'an empty object and an empty list do not', a: value({}), b: value([]), alike: false },
  ])('$reason', ({ a, b, alike }) => {
    expect(contentHash(a) === contentHash(b)).toBe(alike);
    expect(contentHash(a)).toBeTypeOf('number');
  });

  it('cannot hash bytes it cannot follow', () => {
    const whole = value(RESOURCE);
    // The Value claims a Struct of the whole length but holds only part of it: read as bytes, like KeptJson does.
    expect(contentHash(whole.subarray(0, 40))).toBeTypeOf('number');
    expect(KeptJson.keep(whole.subarray(0, 40), 'value')?.same(whole)).toBe(false);
    // A Struct whose entry runs past its end.
    expect(contentHash(new Uint8Array([42, 3, 10, 5, 10]))).toBeUndefined();
    expect(contentHash(new Uint8Array([50, 2, 10, 9]))).toBeUndefined();
  });
});

describe('wellFormedUtf8 against TextDecoder', () => {
  it('agrees on every one- to three-byte sequence over the lead bytes and edges of each range', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const edges = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff];
    const seqs: number[][] = [[]];
    for (const a of edges) {
      seqs.push([a]);
      for (const b of edges) {
        seqs.push([a, b]);
        for (const c of edges) seqs.push([a, b, c], [a, b, c, 0x80], [0x61, a, b, c]);
      }
    }
    for (const s of seqs) {
      const bytes = new Uint8Array(s);
      let want = true;
      try {
        fatal.decode(bytes);
      } catch {
        want = false;
      }
      expect(wellFormedUtf8(bytes, 0, bytes.length), s.join(',')).toBe(want);
    }
  });
});

describe('fieldAt of a key that is not ASCII', () => {
  it('cannot tell (keys are matched byte for byte against the path\'s characters)', () => {
    expect(fieldAt(struct({ é: 1 }), ['é'])).toBeUndefined();
  });
});
