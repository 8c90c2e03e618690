import { describe, expect, it } from 'vitest';
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { z } from 'zod';
import { decodeRequest, readContext, respond } from '@scia/runtime';
import { ContextMemo, frozenCopy } from '@scia/runtime/step';

/** reordered returns `value` with the keys of every object in it in reverse order (as another Go marshal may send them). */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).reverse().map((k) => [k, reordered((value as Record<string, unknown>)[k])]));
}

const Schema = z.object({ name: z.string(), ports: z.array(z.number()), extra: z.object({ a: z.string(), b: z.number() }).optional() });
const KEY = 'scia.io/x';

function request(value: unknown, codec: 'lazy' | 'sdk' = 'lazy'): RunFunctionRequest {
  const bytes = RunFunctionRequest.encode(RunFunctionRequest.fromPartial({ meta: { tag: 't' }, context: value === undefined ? {} : { [KEY]: value, other: 1 } })).finish();
  return decodeRequest(Buffer.from(bytes), codec);
}

describe('ContextMemo', () => {
  const cases: Array<{ reason: string; value: unknown }> = [
    { reason: 'a valid value', value: { name: 'a', ports: [1, 2], extra: { a: 'x', b: 2 } } },
    { reason: 'an invalid value (a Warning naming the field)', value: { name: 'a', ports: ['x'] } },
    { reason: 'a null value (none)', value: null },
    { reason: 'no value', value: undefined },
  ];
  it.each(cases)('answers as readContext does for $reason, first and from the memo, in any order, on either codec', ({ value }) => {
    const memo = new ContextMemo(KEY, Schema);
    for (const [round, req] of [request(value), request(reordered(value)), request(value), request(value, 'sdk')].entries()) {
      const want = respond(request(value), 60);
      const got = respond(req, 60);
      expect(memo.read(req, got, 'going on'), `round ${round}`).toEqual(readContext(request(value), want, KEY, Schema, 'going on'));
      expect(got.results, `round ${round}`).toEqual(want.results);
    }
  });

  it('validates a value once, whatever order its entries come in, and answers the same frozen object', () => {
    const memo = new ContextMemo(KEY, Schema);
    const value = { name: 'a', ports: [1], extra: { a: 'x', b: 2 } };
    const first = memo.read(request(value), respond(request(value), 60), 'going on');
    const again = memo.read(request(reordered(value)), respond(request(value), 60), 'going on');
    expect(again).toBe(first);
    expect(Object.isFrozen(first?.extra)).toBe(true);
    const other = memo.read(request({ ...value, name: 'b' }), respond(request(value), 60), 'going on');
    expect(other).toEqual({ ...value, name: 'b' });
    expect(other).not.toBe(first);
  });

  it('warns on every call for an invalid value, memo or not', () => {
    const memo = new ContextMemo(KEY, Schema);
    for (let i = 0; i < 3; i++) {
      const rsp = respond(request({ name: 1, ports: [] }), 60);
      memo.read(request({ name: 1, ports: [] }), rsp, 'going on');
      expect(rsp.results.map((r) => [r.severity, r.reason])).toEqual([[Severity.SEVERITY_WARNING, 'ContextInvalid']]);
    }
  });
});

describe('ContextMemo, large objects', () => {
  const Counts = z.object({ counts: z.record(z.string(), z.number()) });
  const counts = (n: number): Record<string, number> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${(i * 7919) % n}`, i]));
  const table = [
    { reason: 'an object of 256 entries is put in order and kept', n: 256, kept: true },
    { reason: 'an object of 257 entries is validated afresh each time', n: 257, kept: false },
  ];
  it.each(table)('$reason', ({ n, kept }) => {
    const memo = new ContextMemo(KEY, Counts);
    const value = { counts: counts(n) };
    const first = memo.read(request(value), respond(request(value), 60), 'going on');
    const again = memo.read(request(reordered(value)), respond(request(value), 60), 'going on');
    expect(again).toEqual(first);
    expect(again === first).toBe(kept);
  });
});

describe('frozenCopy', () => {
  it('copies plain objects and arrays deeply, keeping keys, their order and undefined fields, and freezes them', () => {
    const source = { b: 1, a: [{ x: undefined, y: 'y' }], c: null };
    const copy = frozenCopy(source);
    expect(copy).toEqual(source);
    expect(Object.keys(copy)).toEqual(['b', 'a', 'c']);
    expect('x' in (copy.a[0] as object)).toBe(true);
    expect(copy.a).not.toBe(source.a);
    expect(Object.isFrozen(copy) && Object.isFrozen(copy.a) && Object.isFrozen(copy.a[0])).toBe(true);
    expect(Object.isFrozen(source)).toBe(false);
  });

  it('answers the same through a slot as without one, warning on every call for an invalid value', () => {
    const memo = new ContextMemo(KEY, Schema);
    for (const value of [{ name: 'a', ports: [1] }, { name: 1, ports: [] }, { name: 'a', ports: [1] }]) {
      for (const req of [request(value), request(reordered(value))]) {
        const want = respond(request(value), 60);
        const got = respond(req, 60);
        expect(memo.read(req, got, 'going on', 'xr-1')).toEqual(readContext(request(value), want, KEY, Schema, 'going on'));
        expect(got.results).toEqual(want.results);
      }
    }
  });
});
