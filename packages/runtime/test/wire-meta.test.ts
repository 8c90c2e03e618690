import { describe, expect, it } from 'vitest';
import type { RunFunctionResponse, Result } from '@crossplane-org/function-sdk-typescript';
import { decodeRequest, encodeResponse } from '@scia/runtime';
import { attempt, sdkEncode } from './support/wire-gen.js';

const response = (part: Partial<RunFunctionResponse>): RunFunctionResponse => ({ results: [], conditions: [], ...part }) as RunFunctionResponse;
const result = (r: Partial<Result>): Result => ({ severity: 1, message: 'm', ...r });

// The response's meta and results are written by the runtime when they hold what their types say, by the SDK otherwise: the bytes (or the refusal) are the SDK's either way.
describe('a response\'s meta and results', () => {
  it.each([
    { reason: 'an empty tag and a zero TTL', rsp: response({ meta: { tag: '', ttl: { seconds: 0, nanos: 0 } } }) },
    { reason: 'a tag outside ASCII and a lone surrogate', rsp: response({ meta: { tag: 'tâg-✓-\ud800', ttl: { seconds: 60, nanos: 0 } } }) },
    { reason: 'the largest int32 seconds and negative nanos', rsp: response({ meta: { tag: 't', ttl: { seconds: 2 ** 31 - 1, nanos: -1 } } }) },
    { reason: 'no TTL', rsp: response({ meta: { tag: 't', ttl: undefined } }) },
    { reason: 'negative seconds (the SDK writes them)', rsp: response({ meta: { tag: 't', ttl: { seconds: -5, nanos: 0 } } }) },
    { reason: 'seconds past int32 (the SDK writes them)', rsp: response({ meta: { tag: 't', ttl: { seconds: 2 ** 40, nanos: 7 } } }) },
    { reason: 'fractional seconds', rsp: response({ meta: { tag: 't', ttl: { seconds: 1.5, nanos: 0 } } }) },
    { reason: 'no nanos', rsp: response({ meta: { tag: 't', ttl: { seconds: 60 } as never } }) },
    { reason: 'no tag', rsp: response({ meta: { ttl: { seconds: 60, nanos: 0 } } as never }) },
    { reason: 'results with every field at its zero value', rsp: response({ results: [result({ severity: 0, message: '', reason: '', target: 0 })] }) },
    { reason: 'a negative severity and a target', rsp: response({ results: [result({ severity: -1, target: 2 })] }) },
    { reason: 'a long message outside ASCII', rsp: response({ results: [result({ message: 'é'.repeat(300), reason: 'Why' }), result({})] }) },
    { reason: 'a fractional severity', rsp: response({ results: [result({ severity: 1.5 as never })] }) },
    { reason: 'a message that is not a string', rsp: response({ results: [result({ message: undefined as never })] }) },
    { reason: 'a null reason', rsp: response({ results: [result({ reason: null as never })] }) },
    { reason: 'meta, results, requirements and conditions together', rsp: response({ meta: { tag: 'x', ttl: { seconds: 1, nanos: 1 } }, results: [result({})], requirements: { extraResources: {}, resources: {}, schemas: {} }, conditions: [{ type: 'Ready', status: 1, reason: 'R', target: 1 }] }) },
  ])('writes $reason as the SDK does', ({ reason, rsp }) => {
    const want = attempt(() => sdkEncode(rsp));
    const got = attempt(() => encodeResponse(rsp));
    expect(got.ok, reason).toBe(want.ok);
    if (want.ok && got.ok) expect(got.value.equals(want.value), reason).toBe(true);
  });
});

const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  return [...out, n];
};
const field = (tag: number, body: number[]): number[] => [tag, ...varint(body.length), ...body];
const text = (s: string): number[] => [...Buffer.from(s)];

describe('a request\'s meta', () => {
  it.each([
    { reason: 'a tag', bytes: field(10, field(10, text('t-1'))) },
    { reason: 'capabilities one by one', bytes: field(10, [...field(10, text('t')), 16, 1, 16, 2]) },
    { reason: 'capabilities packed, then one more', bytes: field(10, [...field(18, [1, 2, 3]), 16, 4]) },
    { reason: 'two metas, the second replacing the first', bytes: [...field(10, field(10, text('a'))), ...field(10, [16, 1])] },
    { reason: 'an unknown field', bytes: field(10, [24, 5, ...field(10, text('t'))]) },
    { reason: 'an end-group tag', bytes: field(10, [12, ...field(10, text('t'))]) },
    { reason: 'a tag of the wrong wire type', bytes: field(10, [8, 1, ...field(10, text('t'))]) },
    { reason: 'a length past the end', bytes: [10, 9, 10, 1, 0x74] },
    { reason: 'a string past its meta', bytes: [10, 2, 10, 5, 0x61, 0x62, 0x63, 0x64, 0x65] },
    { reason: 'a negative capability (ten bytes)', bytes: field(10, [16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) },
  ])('reads $reason as the SDK does', ({ reason, bytes }) => {
    const message = Uint8Array.from(bytes);
    const want = attempt(() => decodeRequest(message, 'sdk'));
    const got = attempt(() => decodeRequest(message, 'lazy'));
    expect(got.ok, reason).toBe(want.ok);
    if (want.ok && got.ok) expect(got.value, reason).toStrictEqual(want.value);
  });
});
