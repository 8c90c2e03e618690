import { describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse, type Ready } from '@crossplane-org/function-sdk-typescript';
import { decodeRequest, encodeResponse, respond } from '@scia/runtime';
import { attempt, Rand, request, response, sdkEncode } from './support/wire-gen.js';

const MESSAGES = 300;

/** readAll reads every lazy field of a decoded request (JSON.stringify walks getters) and returns it. */
function readAll(req: RunFunctionRequest): RunFunctionRequest {
  JSON.stringify(req, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  return req;
}

describe('the lazy codec against the SDK', () => {
  it(`decodes ${MESSAGES} generated requests to what the SDK decodes`, () => {
    const r = new Rand(16);
    for (let i = 0; i < MESSAGES; i++) {
      const bytes = RunFunctionRequest.encode(request(r)).finish();
      expect(decodeRequest(bytes, 'lazy'), `message ${i}`).toStrictEqual(decodeRequest(bytes, 'sdk'));
    }
  });

  it(`encodes ${MESSAGES} generated responses to the SDK's bytes`, () => {
    const r = new Rand(17);
    for (let i = 0; i < MESSAGES; i++) {
      const rsp = response(r);
      expect(encodeResponse(rsp).equals(sdkEncode(rsp)), `message ${i}`).toBe(true);
    }
  });

  it('answers a request decoded lazily, untouched, with the bytes the SDK writes', () => {
    const r = new Rand(18);
    for (let i = 0; i < MESSAGES; i++) {
      const bytes = RunFunctionRequest.encode(request(r)).finish();
      const lazy = encodeResponse(respond(decodeRequest(bytes, 'lazy'), 60));
      expect(lazy.equals(sdkEncode(respond(decodeRequest(bytes, 'sdk'), 60))), `message ${i}`).toBe(true);
    }
  });

  it('refuses every corrupted request the SDK refuses, and reads the rest as the SDK does', () => {
    const r = new Rand(19);
    let refused = 0;
    for (let i = 0; i < MESSAGES; i++) {
      const bytes = Buffer.from(RunFunctionRequest.encode(request(r)).finish());
      for (let flips = 1 + r.int(3); flips > 0; flips--) bytes[r.int(bytes.length)] = r.int(256);
      const sdk = attempt(() => decodeRequest(bytes, 'sdk'));
      const lazy = attempt(() => readAll(decodeRequest(bytes, 'lazy')));
      if (!sdk.ok) {
        refused++;
        expect(lazy.ok, `message ${i}: the SDK refuses it`).toBe(false);
      } else if (lazy.ok) {
        expect(lazy.value, `message ${i}`).toStrictEqual(sdk.value);
      }
    }
    expect(refused, 'the corruptions reach the decoder').toBeGreaterThan(MESSAGES / 10);
  });

  const bad: Record<string, { reason: string; rsp: () => RunFunctionResponse }> = {
    bigint: { reason: 'a BigInt is not JSON', rsp: () => RunFunctionResponse.fromPartial({ context: { n: 1n } }) },
    function: { reason: 'a function is not JSON', rsp: () => RunFunctionResponse.fromPartial({ desired: { resources: { a: { resource: { f: () => 1 } } } } }) },
    ready: { reason: 'an enum that is not an int32', rsp: () => RunFunctionResponse.fromPartial({ desired: { resources: { a: { resource: {}, ready: 1.5 as Ready } } } }) },
  };
  it.each(Object.entries(bad))('refuses a response the SDK refuses: %s', (_name, c) => {
    expect(() => sdkEncode(c.rsp()), c.reason).toThrow();
    expect(() => encodeResponse(c.rsp()), c.reason).toThrow();
  });
});
