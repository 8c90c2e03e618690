import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { ShuffledPool, WireShuffler } from '../bench/pipeline/shuffle.js';

const fields = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`key${i}`, { nested: { a: i, b: [i, `s${i}`, null], c: { d: true } } }]));
const REQ = RunFunctionRequest.fromPartial({
  meta: { tag: 'steady' },
  observed: {
    composite: { resource: { apiVersion: 'x.io/v1', kind: 'XApp', spec: fields } },
    resources: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`r${i}`, { resource: { kind: 'K', spec: { i, list: ['a', 'b', 'c'] } }, connectionDetails: { u: Buffer.from('x'), p: Buffer.from('y') } }])),
  },
  desired: { resources: { r0: { resource: { kind: 'K' }, ready: 1 } } },
  context: fields,
  credentials: { a: { credentialData: { data: { k: Buffer.from('v') } } }, b: { credentialData: { data: {} } } },
});
const BYTES = RunFunctionRequest.encode(REQ).finish();

describe('the load generator shuffles map entries as Go marshals them', () => {
  const shuffler = new WireShuffler(BYTES);
  const calls = Array.from({ length: 20 }, () => shuffler.next());

  const cases: Record<string, { reason: string; check: () => void }> = {
    'same message': { reason: 'every call decodes to the same request', check: () => { for (const b of calls) expect(RunFunctionRequest.decode(b)).toStrictEqual(RunFunctionRequest.decode(BYTES)); } },
    'same length': { reason: 'a permutation of entries keeps every length', check: () => { for (const b of calls) expect(b.length).toBe(BYTES.length); } },
    'new bytes': { reason: 'no two calls of twenty carry the same bytes', check: () => expect(new Set(calls.map((b) => b.toString('hex'))).size).toBe(calls.length) },
    'struct order': { reason: "a Struct's fields come in another order", check: () => expect(new Set(calls.map((b) => Object.keys(RunFunctionRequest.decode(b).context ?? {}).join())).size).toBeGreaterThan(1) },
    'resource order': { reason: 'the composed resources come in another order', check: () => expect(new Set(calls.map((b) => Object.keys(RunFunctionRequest.decode(b).observed?.resources ?? {}).join())).size).toBeGreaterThan(1) },
    'list order': { reason: 'lists keep their order', check: () => { for (const b of calls) expect(RunFunctionRequest.decode(b).observed?.resources['r3']?.resource?.['spec']).toEqual({ i: 3, list: ['a', 'b', 'c'] }); } },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => {
    c.check();
  });
});

describe('a pool of shuffled encodings', () => {
  it.each([
    { reason: 'each call comes in another order than the one before, and the pool starts again after its last', size: 4, calls: 9 },
    { reason: 'the smallest pool alternates two orders', size: 2, calls: 5 },
  ])('$reason', ({ size, calls }) => {
    const pool = new ShuffledPool(BYTES, size);
    const sent = Array.from({ length: calls }, () => pool.next().toString('hex'));
    expect({
      decoded: sent.every((hex) => isDeepStrictEqual(RunFunctionRequest.decode(Buffer.from(hex, 'hex')), RunFunctionRequest.decode(BYTES))),
      distinct: new Set(sent).size,
      consecutiveSame: sent.some((hex, i) => i > 0 && hex === sent[i - 1]),
      cycles: sent.every((hex, i) => i < size || hex === sent[i - size]),
    }).toEqual({ decoded: true, distinct: size, consecutiveSame: false, cycles: true });
  });

  it.each([{ size: 1 }, { size: 0 }, { size: 2.5 }])('refuses a pool of $size encodings', ({ size }) => {
    expect(() => new ShuffledPool(BYTES, size)).toThrow(/at least 2 encodings/);
  });
});
