import { describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse, type Resource } from '@crossplane-org/function-sdk-typescript';
import { decodeRequest, desiredStatus, encodeResponse, mergeDesiredStatus, respond, type JsonObject, type WireCodec } from '@scia/runtime';

/** A desired XR as the fourth step of a pipeline sees it: earlier steps set several status fields. */
const XR = {
  apiVersion: 'scia.io/v1', kind: 'XApp', metadata: { name: 'shop', labels: { team: 'a' } }, spec: { repo: 'https://git.example/shop', budget: { monthly: 120 } },
  status: {
    phase: 'Deciding',
    analysis: { language: 'go', ports: [8080, 9090], frameworks: ['gin'], confidence: 0.9 },
    cost: { monthly: 42.5, currency: 'USD', lines: [{ item: 'vm', usd: 40 }, { item: 'disk', usd: 2.5 }] },
    history: [{ at: '2026-01-01T00:00:00Z', strategy: 'vm' }],
  },
};
const REQ = RunFunctionRequest.fromPartial({ meta: { tag: 'status' }, observed: { composite: { resource: XR } }, desired: { composite: { resource: XR } } });
const BYTES = RunFunctionRequest.encode(REQ).finish();
const BARE = RunFunctionRequest.encode(RunFunctionRequest.fromPartial({ meta: { tag: 'bare' }, desired: { composite: { resource: { apiVersion: 'scia.io/v1', kind: 'XApp' } } } })).finish();
/** withStatus is a request whose desired XR's status is `status`: any JSON value, as a fuzzed request may carry. */
const withStatus = (status: unknown): Uint8Array => RunFunctionRequest.encode(RunFunctionRequest.fromPartial({ meta: { tag: 'odd' }, desired: { composite: { resource: { kind: 'XApp', status } } } })).finish();
const EMPTY = RunFunctionRequest.encode(RunFunctionRequest.fromPartial({ meta: { tag: 'empty' } })).finish();

type Step = (rsp: RunFunctionResponse) => void;
const composite = (rsp: RunFunctionResponse): Resource => rsp.desired?.composite as Resource;

const cases: Record<string, { reason: string; bytes?: Uint8Array; step: Step }> = {
  'field replaced': { reason: 'a field an earlier step set is replaced in its place', step: (rsp) => mergeDesiredStatus(rsp, { phase: 'Deployed' }) },
  'object field replaced': { reason: 'an object field is replaced whole, not deep-merged', step: (rsp) => mergeDesiredStatus(rsp, { cost: { monthly: 10 } }) },
  'field added': { reason: 'a new field comes after the ones set before', step: (rsp) => mergeDesiredStatus(rsp, { deployment: { url: 'https://shop.example' } }) },
  'fields replaced and added': { reason: 'several fields at once, old and new', step: (rsp) => mergeDesiredStatus(rsp, { history: [], phase: 'Ready', record: { id: 7 } }) },
  'merged twice': { reason: 'a second merge keeps the first and the unread fields', step: (rsp) => { mergeDesiredStatus(rsp, { phase: 'A' }); mergeDesiredStatus(rsp, { extra: true }); } },
  'field read then merged': { reason: 'a field read (and changed) before the merge is encoded from its value', step: (rsp) => { (desiredStatus(rsp)['analysis'] as Record<string, unknown>)['language'] = 'rust'; mergeDesiredStatus(rsp, { phase: 'B' }); } },
  'merged then read and changed': { reason: 'a field read from the merged status and changed is encoded as changed', step: (rsp) => { mergeDesiredStatus(rsp, { phase: 'C' }); (desiredStatus(rsp)['cost'] as Record<string, unknown>)['currency'] = 'EUR'; } },
  'undefined dropped': { reason: 'an undefined field is not written, as toJsonSafe drops it', step: (rsp) => mergeDesiredStatus(rsp, { phase: undefined, note: 'x' }) },
  'status in a plain object': { reason: 'a lazy status set inside a new plain XR is written from its fields', step: (rsp) => { composite(rsp).resource = { kind: 'XApp', status: desiredStatus(rsp) }; } },
  'lazy object nested deeper': { reason: 'a lazy object two plain levels down keeps its untouched entries', step: (rsp) => { mergeDesiredStatus(rsp, { previous: { status: desiredStatus(rsp), spec: composite(rsp).resource?.['spec'] as JsonObject } }); } },
  'no status yet': { reason: 'an XR without status gets one', bytes: BARE, step: (rsp) => mergeDesiredStatus(rsp, { phase: 'New' }) },
  'status true': { reason: 'a status that is a boolean is replaced by the merged fields', bytes: withStatus(true), step: (rsp) => mergeDesiredStatus(rsp, { phase: 'New' }) },
  'status a string': { reason: 'a status that is a string is replaced, not spread into its characters', bytes: withStatus('ok'), step: (rsp) => mergeDesiredStatus(rsp, { phase: 'New' }) },
  'status a list': { reason: 'a status that is a list is replaced', bytes: withStatus([1, 2]), step: (rsp) => mergeDesiredStatus(rsp, { phase: 'New' }) },
  'status null': { reason: 'a null status is replaced', bytes: withStatus(null), step: (rsp) => mergeDesiredStatus(rsp, { phase: 'New' }) },
  'no composite yet': { reason: 'a response without a desired XR gets one', bytes: EMPTY, step: (rsp) => mergeDesiredStatus(rsp, { phase: 'New' }) },
};

describe('mergeDesiredStatus on a lazily decoded XR', () => {
  it.each(Object.entries(cases))('%s', (_name, c) => {
    const answer = (codec: WireCodec): { bytes: Buffer; status: unknown } => {
      const rsp = respond(decodeRequest(c.bytes ?? BYTES, codec), 60);
      c.step(rsp);
      const bytes = codec === 'lazy' ? encodeResponse(rsp) : Buffer.from(RunFunctionResponse.encode(rsp).finish());
      return { bytes, status: structuredClone(desiredStatus(rsp)) };
    };
    const lazy = answer('lazy');
    const sdk = answer('sdk');
    expect({ status: lazy.status, bytes: lazy.bytes.toString('hex') }, c.reason).toStrictEqual({ status: sdk.status, bytes: sdk.bytes.toString('hex') });
  });
});

const undecoded = (o: object, k: string): boolean => typeof Object.getOwnPropertyDescriptor(o, k)?.get === 'function';

describe('a steady status merge', () => {
  it('decodes neither the status fields it does not set nor the rest of the XR', () => {
    const req = decodeRequest(BYTES, 'lazy');
    const rsp = respond(req, 60);
    const before = req.desired?.composite?.resource as Record<string, unknown>;
    mergeDesiredStatus(rsp, { phase: 'Deployed', deployment: { url: 'https://shop.example' } });
    encodeResponse(rsp);
    const xr = composite(rsp).resource as Record<string, unknown>;
    const status = xr['status'] as Record<string, unknown>;
    const earlier = before['status'] as Record<string, unknown>;
    expect({
      xr: Object.keys(xr).map((k) => [k, undecoded(xr, k)]),
      status: Object.keys(status).map((k) => [k, undecoded(status, k)]),
      earlier: Object.keys(earlier).map((k) => [k, undecoded(earlier, k)]),
    }).toEqual({
      xr: [['apiVersion', true], ['kind', true], ['metadata', true], ['spec', true], ['status', false]],
      status: [['phase', false], ['analysis', true], ['cost', true], ['history', true], ['deployment', false]],
      earlier: [['phase', true], ['analysis', true], ['cost', true], ['history', true]],
    });
  });
});

describe('a lazy object inside a plain one', () => {
  it('is encoded without decoding its untouched fields', () => {
    const rsp = respond(decodeRequest(BYTES, 'lazy'), 60);
    const status = desiredStatus(rsp);
    composite(rsp).resource = { kind: 'XApp', status: { nested: status } };
    encodeResponse(rsp);
    expect(Object.keys(status).map((k) => [k, undecoded(status, k)])).toEqual([['phase', true], ['analysis', true], ['cost', true], ['history', true]]);
  });
});

describe('a status merge on an XR whose status is unread', () => {
  it('reads the status keys from its bytes, leaving the request\'s XR as it was', () => {
    const req = decodeRequest(BYTES, 'lazy');
    const rsp = respond(req, 60);
    const before = req.desired?.composite?.resource as Record<string, unknown>;
    mergeDesiredStatus(rsp, { cost: { monthly: 1 }, outcome: 'ok' });
    const status = (composite(rsp).resource as Record<string, unknown>)['status'] as Record<string, unknown>;
    expect({ unread: undecoded(before, 'status'), keys: Object.keys(status).map((k) => [k, undecoded(status, k)]) }).toEqual({
      unread: true,
      keys: [['phase', true], ['analysis', true], ['cost', false], ['history', true], ['outcome', false]],
    });
    expect(structuredClone(status)).toEqual({ ...XR.status, cost: { monthly: 1 }, outcome: 'ok' });
  });
});
