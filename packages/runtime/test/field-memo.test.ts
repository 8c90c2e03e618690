import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { FieldMemo, decodeRequest, type JsonObject } from '@scia/runtime';

/** reversed is `v` with every object's keys in the reverse order, as Go may marshal them on another call. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
}

const ANALYSIS = { url: 'https://git.example/shop', commit: 'abc', languages: [{ name: 'go', version: '1.22' }, { name: 'js' }], ports: [8080, 9090], extra: { a: { b: null, c: true, d: 'é' } } };

/** xr decodes a request whose observed XR has `status` and returns the XR's resource, read lazily. */
function xr(status: unknown, order: 'as given' | 'reversed' = 'as given'): JsonObject {
  const resource = { apiVersion: 'x.io/v1', kind: 'X', metadata: { name: 'a' }, status: order === 'reversed' ? reversed(status) : status };
  const bytes = RunFunctionRequest.encode(RunFunctionRequest.fromPartial({ observed: { composite: { resource } } })).finish();
  return decodeRequest(bytes, 'lazy').observed?.composite?.resource as JsonObject;
}

/** counting is a memo whose derive copies the value and counts its calls. */
function counting(): { memo: FieldMemo<unknown>; calls: () => number } {
  let calls = 0;
  const memo = new FieldMemo((value: unknown) => {
    calls++;
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
  });
  return { memo, calls: () => calls };
}

const cases: Record<string, { reason: string; objs: () => JsonObject[]; want: unknown[]; calls: number }> = {
  'same content, shuffled': { reason: 'map entries in another order at every level: derived once', objs: () => [xr({ analysis: ANALYSIS, phase: 'Running' }), xr({ analysis: ANALYSIS, phase: 'Running' }, 'reversed')], want: [ANALYSIS, ANALYSIS], calls: 1 },
  'sibling changed': { reason: 'a change beside the path is not the value', objs: () => [xr({ analysis: ANALYSIS, phase: 'Running' }), xr({ analysis: ANALYSIS, phase: 'Failed' })], want: [ANALYSIS, ANALYSIS], calls: 1 },
  'nested value changed': { reason: 'a changed leaf deep inside is another content: derived again', objs: () => [xr({ analysis: ANALYSIS }), xr({ analysis: { ...ANALYSIS, extra: { a: { b: null, c: false, d: 'é' } } } })], want: [ANALYSIS, { ...ANALYSIS, extra: { a: { b: null, c: false, d: 'é' } } }], calls: 2 },
  'list reordered': { reason: 'list order is content', objs: () => [xr({ analysis: ANALYSIS }), xr({ analysis: { ...ANALYSIS, ports: [9090, 8080] } })], want: [ANALYSIS, { ...ANALYSIS, ports: [9090, 8080] }], calls: 2 },
  'number against string': { reason: 'the same digits as another type', objs: () => [xr({ analysis: { n: 1 } }), xr({ analysis: { n: '1' } })], want: [{ n: 1 }, { n: '1' }], calls: 2 },
  'key moved between levels': { reason: 'the same keys and leaves nested otherwise', objs: () => [xr({ analysis: { a: { b: 'c' }, d: 'e' } }), xr({ analysis: { a: { d: 'e' }, b: 'c' } })], want: [{ a: { b: 'c' }, d: 'e' }, { a: { d: 'e' }, b: 'c' }], calls: 2 },
  'parent read first': { reason: 'status already decoded by a read: the field is found in its bytes all the same', objs: () => [xr({ analysis: ANALYSIS }), xr({ analysis: ANALYSIS }, 'reversed')].map((o) => (void o['status'], o)), want: [ANALYSIS, ANALYSIS], calls: 1 },
  'value changed in place': { reason: 'a field read and changed by the step is derived from what it holds now', objs: () => [xr({ analysis: ANALYSIS }), xr({ analysis: ANALYSIS })].map((o, i) => { if (i === 1) ((o['status'] as JsonObject)['analysis'] as JsonObject)['commit'] = 'def'; return o; }), want: [ANALYSIS, { ...ANALYSIS, commit: 'def' }], calls: 2 },
  absent: { reason: 'no such field: derive sees undefined', objs: () => [xr({ phase: 'Running' }), xr({ phase: 'Running' })], want: [undefined, undefined], calls: 2 },
  'not an object': { reason: 'a path through a string ends undefined', objs: () => [xr('Running'), xr('Running')], want: [undefined, undefined], calls: 2 },
  'plain objects': { reason: 'an object not decoded lazily has no bytes: derived each time', objs: () => [{ status: { analysis: ANALYSIS } }, { status: { analysis: ANALYSIS } }], want: [ANALYSIS, ANALYSIS], calls: 2 },
};

describe('FieldMemo', () => {
  it.each(Object.entries(cases))('%s', (_name, c) => {
    const { memo, calls } = counting();
    const got = c.objs().map((o) => memo.at(o, 'status', 'analysis'));
    expect({ got, calls: calls() }, c.reason).toEqual({ got: c.want, calls: c.calls });
  });

  it('derives afresh a Struct with a repeated key, whose decoding is the decoder\'s own', () => {
    // status: { analysis: { k: 'first', k: 'second' } }, written by hand: no encoder repeats a key.
    const value = (w: BinaryWriter, s: string): BinaryWriter => w.uint32(18).fork().uint32(26).string(s).join();
    const analysis = new BinaryWriter().uint32(10).fork().uint32(10).string('k');
    value(analysis, 'first').join().uint32(10).fork().uint32(10).string('k');
    value(analysis, 'second').join();
    const status = new BinaryWriter().uint32(10).fork().uint32(10).string('analysis').uint32(18).fork().uint32(42).bytes(analysis.finish()).join().join().finish();
    const resource = new BinaryWriter().uint32(10).fork().uint32(10).string('status').uint32(18).fork().uint32(42).bytes(status).join().join().finish();
    const bytes = new BinaryWriter().uint32(18).fork().uint32(10).fork().uint32(10).bytes(resource).join().join().finish();
    const { memo, calls } = counting();
    const got = [0, 1].map(() => memo.at(decodeRequest(bytes, 'lazy').observed?.composite?.resource, 'status', 'analysis'));
    expect({ got, calls: calls(), sdk: (decodeRequest(bytes, 'sdk').observed?.composite?.resource?.['status'] as JsonObject)['analysis'] }).toEqual({ got: [{ k: 'second' }, { k: 'second' }], calls: 2, sdk: { k: 'second' } });
  });

  it('tells apart keys that are not UTF-8 in another order, which the decoder reads as one key with another value', () => {
    // status: { analysis: { <0xff>: a, <0xfe>: b } }, entries written in the order given: both keys read as U+FFFD, the last one kept.
    const request = (entries: Array<[number, string]>): Uint8Array => {
      const analysis = new BinaryWriter();
      for (const [k, v] of entries) analysis.uint32(10).fork().uint32(10).bytes(new Uint8Array([k])).uint32(18).fork().uint32(26).string(v).join().join();
      const status = new BinaryWriter().uint32(10).fork().uint32(10).string('analysis').uint32(18).fork().uint32(42).bytes(analysis.finish()).join().join().finish();
      const resource = new BinaryWriter().uint32(10).fork().uint32(10).string('status').uint32(18).fork().uint32(42).bytes(status).join().join().finish();
      return new BinaryWriter().uint32(18).fork().uint32(10).fork().uint32(10).bytes(resource).join().join().finish();
    };
    const { memo } = counting();
    const got = [request([[0xff, 'a'], [0xfe, 'b']]), request([[0xfe, 'b'], [0xff, 'a']])].map((bytes) => memo.at(decodeRequest(bytes, 'lazy').observed?.composite?.resource, 'status', 'analysis'));
    expect(got).toEqual([{ '\uFFFD': 'b' }, { '\uFFFD': 'a' }]);
  });

  it('remembers at most max contents, the least recently used going first', () => {
    let calls = 0;
    const memo = new FieldMemo((v: unknown) => (calls++, v), 2);
    for (const n of [1, 2, 1, 3, 1, 2]) memo.at(xr({ analysis: { n } }), 'status', 'analysis');
    // 1, 2 derived; 1 hit; 3 derived (2 goes); 1 hit; 2 derived again.
    expect({ calls, size: memo.size }).toEqual({ calls: 4, size: 2 });
  });

  it('derives undefined for a field the bytes tell is absent, decoding nothing', () => {
    const { memo, calls } = counting();
    const o = xr({ phase: 'Running' });
    expect([memo.at(o, 'status', 'analysis'), memo.atSlot('x', o, 'status', 'analysis'), calls()]).toEqual([undefined, undefined, 2]);
    expect(typeof Object.getOwnPropertyDescriptor(o, 'status')?.get, 'status undecoded').toBe('function');
  });

  describe('atSlot', () => {
    const A = { analysis: ANALYSIS };
    const B = { analysis: { ...ANALYSIS, commit: 'def' } };
    const slotCases: Array<{ reason: string; reads: Array<[string, JsonObject]>; want: unknown[]; calls: number }> = [
      { reason: 'the same content in one slot, shuffled: derived once', reads: [['x', xr(A)], ['x', xr(A, 'reversed')], ['x', xr(A)]], want: [ANALYSIS, ANALYSIS, ANALYSIS], calls: 1 },
      { reason: 'the content of a slot changed: derived again, and the old one found again by content', reads: [['x', xr(A)], ['x', xr(B)], ['x', xr(A, 'reversed')]], want: [ANALYSIS, B.analysis, ANALYSIS], calls: 2 },
      { reason: 'two resources sharing a slot: each read right', reads: [['x', xr(A)], ['x', xr(B)], ['x', xr(A)], ['x', xr(B, 'reversed')]], want: [ANALYSIS, B.analysis, ANALYSIS, B.analysis], calls: 2 },
      { reason: 'a content seen in another slot: found by content, not derived', reads: [['x', xr(A)], ['y', xr(A, 'reversed')], ['y', xr(A)]], want: [ANALYSIS, ANALYSIS, ANALYSIS], calls: 1 },
      { reason: 'no bytes (plain objects): derived each time', reads: [['x', { status: A }], ['x', { status: A }]], want: [ANALYSIS, ANALYSIS], calls: 2 },
    ];
    it.each(slotCases)('$reason', ({ reads, want, calls }) => {
      const { memo, calls: count } = counting();
      const got = reads.map(([slot, o]) => memo.atSlot(slot, o, 'status', 'analysis'));
      expect({ got, calls: count() }).toEqual({ got: want, calls });
    });

    it('answers a hit in a slot with the value derived for it, the same object', () => {
      const { memo } = counting();
      const first = memo.atSlot('x', xr(A), 'status', 'analysis');
      expect(memo.atSlot('x', xr(A, 'reversed'), 'status', 'analysis')).toBe(first);
      expect(memo.at(xr(A), 'status', 'analysis')).toBe(first);
    });

    it('remembers at most max slots, the one set longest ago going first', () => {
      let calls = 0;
      const memo = new FieldMemo((v: unknown) => (calls++, v), 2);
      // Slots a, b, c each set once (c pushes a out of the slots, and {n: 1} out of the contents); a's content is derived again.
      for (const [slot, n] of [['a', 1], ['b', 2], ['c', 3], ['a', 1]] as const) memo.atSlot(slot, xr({ analysis: { n } }), 'status', 'analysis');
      expect({ calls, size: memo.size }).toEqual({ calls: 4, size: 2 });
    });
  });
});
