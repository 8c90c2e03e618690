import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { RunFunctionRequest, Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { z } from 'zod';
import type { Result } from '@scia/api';
import { decodeRequest, readContext, respond } from '@scia/runtime';
import { FieldMemo, fieldIdentity, readContextOnce } from '@scia/runtime/step';

/** reordered returns `value` with the keys of every object in it in reverse order (as another Go marshal may send them). */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).reverse().map((k) => [k, reordered((value as Record<string, unknown>)[k])]));
}

/** lazyContext encodes a request whose context holds `value` at key `v` and decodes it lazily, as a function receives it. */
function lazyContext(value: unknown): Record<string, unknown> {
  const bytes = RunFunctionRequest.encode(RunFunctionRequest.fromPartial({ context: { v: value, other: 1 } })).finish();
  return decodeRequest(Buffer.from(bytes), 'lazy').context as Record<string, unknown>;
}

const BASE = { name: 'orders', ports: [8080, 9090], budget: { max: 200, soft: true, nested: { a: 'x', b: null } }, items: [{ k: 1, l: 'two' }, { m: [] }] };

describe('fieldIdentity', () => {
  it('is the same for a value whose map entries come in another order, at every depth', () => {
    expect(JSON.stringify(reordered(BASE))).not.toBe(JSON.stringify(BASE));
    expect(fieldIdentity(lazyContext(reordered(BASE)), 'v')).toBe(fieldIdentity(lazyContext(BASE), 'v'));
  });

  const changes: Array<{ reason: string; value: unknown }> = [
    { reason: 'a string changed', value: { ...BASE, name: 'orderz' } },
    { reason: 'a number changed', value: { ...BASE, budget: { ...BASE.budget, max: 201 } } },
    { reason: 'a nested string changed', value: { ...BASE, budget: { ...BASE.budget, nested: { a: 'y', b: null } } } },
    { reason: 'null became false', value: { ...BASE, budget: { ...BASE.budget, nested: { a: 'x', b: false } } } },
    { reason: 'a number became a string', value: { ...BASE, ports: ['8080', 9090] } },
    { reason: 'a list in another order', value: { ...BASE, ports: [9090, 8080] } },
    { reason: 'a key renamed', value: { ...Object.fromEntries(Object.entries(BASE).filter(([k]) => k !== 'name')), nam: 'orders' } },
    { reason: 'a key added', value: { ...BASE, extra: true } },
    { reason: 'a key in a list item changed', value: { ...BASE, items: [{ k: 1, l: 'two' }, { n: [] }] } },
    { reason: 'an empty list became an empty object', value: { ...BASE, items: [{ k: 1, l: 'two' }, { m: {} }] } },
  ];
  it.each(changes)('differs when $reason', ({ value }) => {
    expect(fieldIdentity(lazyContext(value), 'v')).not.toBe(fieldIdentity(lazyContext(BASE), 'v'));
    expect(fieldIdentity(lazyContext(value), 'v')).toBeDefined();
  });

  it('is undefined for a field read or written, absent, or not lazily decoded', () => {
    const read = lazyContext(BASE);
    void read['v'];
    expect(fieldIdentity(read, 'v')).toBeUndefined();
    const written = lazyContext(BASE);
    written['v'] = { name: 'other' };
    expect(fieldIdentity(written, 'v')).toBeUndefined();
    expect(fieldIdentity(lazyContext(BASE), 'absent')).toBeUndefined();
    expect(fieldIdentity({ v: BASE }, 'v')).toBeUndefined();
    expect(fieldIdentity(undefined, 'v')).toBeUndefined();
  });

  it('orders large Structs up to its bound, and gives none to a larger or deeper value (read instead)', () => {
    const keys = (n: number): Record<string, number> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${(i * 7919) % n}`, i]));
    const large = keys(256);
    expect(fieldIdentity(lazyContext(large), 'v')).toBe(fieldIdentity(lazyContext(reordered(large)), 'v'));
    expect(fieldIdentity(lazyContext(large), 'v')).toBeDefined();
    expect(fieldIdentity(lazyContext(keys(257)), 'v')).toBeUndefined();
    let deep: unknown = 'leaf';
    for (let i = 0; i < 70; i++) deep = { d: deep };
    expect(fieldIdentity(lazyContext(deep), 'v')).toBeUndefined();
    let shallow: unknown = 'leaf';
    for (let i = 0; i < 40; i++) shallow = { d: shallow };
    expect(fieldIdentity(lazyContext(shallow), 'v')).toBeDefined();
  });

  it('is undefined for a Struct with a repeated key, whose value depends on the order', () => {
    // context { v: { a: "1", a: "2" } }, written by hand: no encoder here repeats a key.
    const entry = (w: BinaryWriter, key: string, value: (w: BinaryWriter) => void): void => {
      w.uint32(10).fork().uint32(10).string(key).uint32(18).fork();
      value(w);
      w.join().join();
    };
    const w = new BinaryWriter();
    w.uint32(42).fork(); // RunFunctionRequest.context = 5
    entry(w, 'v', (v) => {
      v.uint32(42).fork();
      entry(v, 'a', (x) => x.uint32(26).string('1'));
      entry(v, 'a', (x) => x.uint32(26).string('2'));
      v.join();
    });
    w.join();
    const context = decodeRequest(Buffer.from(w.finish()), 'lazy').context as Record<string, unknown>;
    expect(fieldIdentity(context, 'v')).toBeUndefined();
    expect(context['v']).toEqual({ a: '2' });
  });
});

describe('FieldMemo', () => {
  it('parses once per distinct value, whatever the order, and answers the same frozen result', () => {
    const memo = new FieldMemo<{ name: string; count: number }>();
    let parses = 0;
    const parse = (v: unknown): { name: string; count: number } => ({ name: (v as { name: string }).name, count: ++parses });
    const first = memo.read(lazyContext(BASE), 'v', parse);
    const again = memo.read(lazyContext(reordered(BASE)), 'v', parse);
    expect(again).toBe(first);
    expect(parses).toBe(1);
    expect(Object.isFrozen(first)).toBe(true);
    expect(memo.read(lazyContext({ ...BASE, name: 'other' }), 'v', parse)).toEqual({ name: 'other', count: 2 });
    // A value read already is parsed afresh and not kept.
    const read = lazyContext(BASE);
    void read['v'];
    expect(memo.read(read, 'v', parse)).toEqual({ name: 'orders', count: 3 });
    expect(memo.size).toBe(2);
  });

  it('keeps at most `max` results, dropping the oldest', () => {
    const memo = new FieldMemo<number>(2);
    let parses = 0;
    const parse = (): number => ++parses;
    for (const name of ['a', 'b', 'c', 'a']) memo.read(lazyContext({ name }), 'v', parse);
    expect(parses).toBe(4);
    expect(memo.size).toBe(2);
    memo.read(lazyContext({ name: 'c' }), 'v', parse);
    expect(parses).toBe(4);
  });

  it('keeps an undefined result too', () => {
    const memo = new FieldMemo<undefined>();
    let parses = 0;
    memo.read(lazyContext(BASE), 'v', () => void parses++);
    memo.read(lazyContext(BASE), 'v', () => void parses++);
    expect(parses).toBe(1);
  });
});

describe('readContextOnce', () => {
  const Schema = z.object({ name: z.string(), ports: z.array(z.number()) });
  type Memo = FieldMemo<Result<z.output<typeof Schema>> | undefined>;
  const request = (value: unknown): RunFunctionRequest => {
    const bytes = RunFunctionRequest.encode(RunFunctionRequest.fromPartial({ meta: { tag: 't' }, context: { 'scia.io/x': value } })).finish();
    return decodeRequest(Buffer.from(bytes), 'lazy');
  };
  const cases: Array<{ reason: string; value: unknown }> = [
    { reason: 'a valid value', value: { name: 'a', ports: [1] } },
    { reason: 'an invalid value (a Warning naming the field)', value: { name: 'a', ports: ['x'] } },
    { reason: 'a null value (none)', value: null },
  ];
  it.each(cases)('answers as readContext does for $reason, on the first call and from the memo', ({ value }) => {
    const memo: Memo = new FieldMemo();
    for (const round of [1, 2]) {
      const plain = respond(request(value), 60);
      const kept: RunFunctionResponse = respond(request(reordered(value)), 60);
      const want = readContext(request(value), plain, 'scia.io/x', Schema, 'going on');
      const got = readContextOnce(memo, request(reordered(value)), kept, 'scia.io/x', Schema, 'going on');
      expect(got, `round ${round}`).toEqual(want);
      expect(kept.results, `round ${round}`).toEqual(plain.results);
    }
    if (JSON.stringify(value).includes('"x"')) expect(respondWarnings(value, memo)).toBe(1);
  });

  function respondWarnings(value: unknown, memo: Memo): number {
    const rsp = respond(request(value), 60);
    readContextOnce(memo, request(value), rsp, 'scia.io/x', Schema, 'going on');
    return rsp.results.filter((r) => r.severity === Severity.SEVERITY_WARNING).length;
  }
});
