import { describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { encodeResponse, freezeJson, isFrozenJson, mergeDesiredStatus, respond, setContext, setDesiredResource, toJsonSafe, type JsonObject } from '@scia/runtime';

const REQ = RunFunctionRequest.fromPartial({ meta: { tag: 'frozen' } });
const BODY: JsonObject = { apiVersion: 'ec2/v1', kind: 'Instance', metadata: { name: 'vm', labels: { app: 'shop', ü: 'ß' } }, spec: { size: 2.5, tags: ['a', null, true], nested: { deep: [{ x: -1 }] } } };

/** sdk is the SDK's own encoding of the response: the reference bytes. */
const sdk = (rsp: RunFunctionResponse): string => Buffer.from(RunFunctionResponse.encode(rsp).finish()).toString('hex');
const ours = (rsp: RunFunctionResponse): string => encodeResponse(rsp).toString('hex');

function responseWith(body: JsonObject): RunFunctionResponse {
  const rsp = respond(REQ, 60);
  setDesiredResource(rsp, 'vm', body);
  setDesiredResource(rsp, 'other', { kind: 'Other', spec: { n: 1 } });
  return rsp;
}

describe('freezeJson', () => {
  it('is a deep-frozen JSON-safe copy, sent without another copy', () => {
    const frozen = freezeJson({ ...BODY, at: new Date(0), gone: undefined });
    expect(frozen).toEqual({ ...BODY, at: '1970-01-01T00:00:00.000Z' });
    expect(Object.isFrozen((frozen['spec'] as JsonObject)['nested'])).toBe(true);
    expect(() => { (frozen['metadata'] as JsonObject)['name'] = 'x'; }).toThrow(TypeError);
    expect(responseWith(frozen).desired?.resources['vm']?.resource).toBe(frozen);
    expect(responseWith(BODY).desired?.resources['vm']?.resource).not.toBe(BODY);
  });

  it.each([
    { reason: 'the first encode of a frozen body', calls: 1 },
    { reason: 'a frozen body reused across responses', calls: 3 },
  ])('$reason encodes byte-identically to the SDK and to a fresh copy', ({ calls }) => {
    const frozen = freezeJson(BODY);
    for (let i = 0; i < calls; i++) {
      const rsp = responseWith(frozen);
      expect(ours(rsp)).toBe(sdk(rsp));
      expect(ours(rsp)).toBe(ours(responseWith(BODY)));
    }
  });

  it.each([
    { reason: 'a plain object changed between encodes', body: (): JsonObject => structuredClone(BODY) },
    { reason: 'an object frozen by hand (not from freezeJson), its insides changed', body: (): JsonObject => Object.freeze(structuredClone(BODY)) },
  ])('$reason is encoded as it is now, never from a cache', ({ body }) => {
    const b = body();
    expect(isFrozenJson(b)).toBe(false);
    const rsp = respond(REQ, 60);
    rsp.desired = { composite: undefined, resources: { vm: { resource: b, connectionDetails: {}, ready: 0 } } };
    const before = ours(rsp);
    ((b['spec'] as JsonObject)['nested'] as JsonObject)['deep'] = 'changed';
    expect(ours(rsp)).not.toBe(before);
    expect(ours(rsp)).toBe(sdk(rsp));
  });

  it.each([
    { reason: 'a context value', put: (rsp: RunFunctionResponse, v: JsonObject): void => setContext(rsp, 'scia.io/analysis', v) },
    { reason: 'a status field', put: (rsp: RunFunctionResponse, v: JsonObject): void => mergeDesiredStatus(rsp, { analysis: v }) },
    { reason: 'inside a list, inside another frozen object', put: (rsp: RunFunctionResponse, v: JsonObject): void => setContext(rsp, 'k', freezeJson({ list: [v, { v }] })) },
  ])('nested as $reason, is passed on uncopied and encodes byte-identically to the SDK, first and again', ({ put }) => {
    const frozen = freezeJson(BODY);
    expect(toJsonSafe({ a: [frozen] })).toEqual({ a: [BODY] });
    expect(((toJsonSafe({ a: [frozen] }) as JsonObject)['a'] as unknown[])[0]).toBe(frozen);
    for (let i = 0; i < 2; i++) {
      const rsp = respond(REQ, 60);
      put(rsp, frozen);
      const plain = respond(REQ, 60);
      put(plain, structuredClone(BODY));
      expect(ours(rsp)).toBe(sdk(rsp));
      expect(ours(rsp)).toBe(ours(plain));
    }
  });
});
