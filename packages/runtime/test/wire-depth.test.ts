import { describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { MAX_JSON_DEPTH, decodeRequest, encodeResponse, respond, undecodable } from '@scia/runtime';

/** objects nests `levels` JSON objects; lists alternates lists and objects; both end in a wide leaf so the bytes are not all nesting. `empty keys` nests objects under the key '' (which the encoder leaves out): two bytes a message, as short as nesting gets. */
const shapes: Record<string, (levels: number) => unknown> = {
  'empty keys': (levels) => {
    let v: unknown = {};
    for (let i = 1; i < levels; i++) v = { '': v };
    return v;
  },
  objects: (levels) => {
    let v: unknown = { leaf: 'x'.repeat(200), other: [1, 2, 3] };
    for (let i = 1; i < levels; i++) v = { n: v };
    return v;
  },
  lists: (levels) => {
    let v: unknown = ['x'.repeat(200)];
    for (let i = 1; i < levels; i++) v = i % 2 === 0 ? [v, 'y'] : { n: v, m: true };
    return v;
  },
};

/** Placement puts a value where the lazy codec leaves it undecoded, beside wide siblings; `read` reads it as a step would (context and input are checked whole at decoding, so reading them adds nothing). */
interface Placement {
  place: (value: unknown) => RunFunctionRequest;
  read: (req: RunFunctionRequest) => unknown;
}

const placements: Record<string, Placement> = {
  'observed composite': {
    place: (value) => RunFunctionRequest.fromPartial({ meta: { tag: 't' }, observed: { composite: { resource: { spec: value, wide: 'z'.repeat(4000) } } } }),
    read: (req): unknown => req.observed?.composite?.resource?.['wide'],
  },
  'observed resource': {
    place: (value) => RunFunctionRequest.fromPartial({ meta: { tag: 't' }, observed: { resources: { a: { resource: { status: value } } } } }),
    read: (req) => req.observed?.resources['a']?.resource,
  },
  'desired resource': {
    place: (value) => RunFunctionRequest.fromPartial({ meta: { tag: 't' }, desired: { resources: { a: { resource: { spec: { forProvider: value } } } } } }),
    read: (req) => req.desired?.resources['a']?.resource,
  },
  context: {
    place: (value) => RunFunctionRequest.fromPartial({ meta: { tag: 't' }, context: { 'scia.io/analysis': value, wide: 'z'.repeat(4000) } }),
    read: (req): unknown => req.context?.['wide'],
  },
  input: {
    place: (value) => RunFunctionRequest.fromPartial({ meta: { tag: 't' }, input: { spec: value } }),
    read: (req) => req.input,
  },
};

/** lazyRefuses tells whether the lazy codec refuses `bytes` for their depth, at decoding or when `read` first reads the placed value. */
function lazyRefuses(bytes: Uint8Array, read: (req: RunFunctionRequest) => unknown): boolean {
  const req = decodeRequest(bytes, 'lazy');
  if (undecodable(req) !== undefined) return true;
  try {
    read(req);
    return false;
  } catch (err) {
    if (err instanceof Error && /recursion limit/.test(err.message)) return true;
    throw err;
  }
}

describe('the lazy codec refuses a resource, context or input nested past the limit as the SDK codec does, once read (a resource in a field the step never reads included)', () => {
  const cases = Object.entries(shapes).flatMap(([shape, build]) =>
    Object.entries(placements).flatMap(([where, { place, read }]) =>
      [-12, -9, -6, -5, -4, -3, -2, -1, 0, 1, 40].map((off) => ({ name: `${shape} in the ${where}, ${MAX_JSON_DEPTH + off} levels`, req: place(build(MAX_JSON_DEPTH + off)), read })),
    ),
  );
  it.each(cases)('$name', ({ req, read }) => {
    const bytes = RunFunctionRequest.encode(req).finish();
    const sdk = undecodable(decodeRequest(bytes, 'sdk')) !== undefined;
    expect(lazyRefuses(bytes, read)).toBe(sdk);
  });

  it('refuses on both sides of the limit somewhere in the table (the table spans it)', () => {
    const { place, read } = placements['desired resource'] as Placement;
    const refused = [MAX_JSON_DEPTH - 12, MAX_JSON_DEPTH + 40].map((levels) => lazyRefuses(RunFunctionRequest.encode(place((shapes['objects'] as (n: number) => unknown)(levels))).finish(), read));
    expect(refused).toEqual([false, true]);
  });
});

describe('a composed resource nested past the limit that no step reads', () => {
  const deep = (shapes['objects'] as (n: number) => unknown)(MAX_JSON_DEPTH + 40);
  const cases = [
    { reason: 'an observed resource is not written back: nothing walks it, the call goes on', req: RunFunctionRequest.fromPartial({ meta: { tag: 't' }, observed: { resources: { a: { resource: { spec: deep } } } } }), refused: false },
    { reason: 'a desired resource would go back as it came, too deep for a reader of the response: refused at decoding, as by the SDK', req: RunFunctionRequest.fromPartial({ meta: { tag: 't' }, desired: { resources: { a: { resource: { spec: deep }, ready: 1 } } } }), refused: true },
    { reason: 'so is the desired composite', req: RunFunctionRequest.fromPartial({ meta: { tag: 't' }, desired: { composite: { resource: { spec: deep } } } }), refused: true },
  ];
  it.each(cases)('$reason', ({ req, refused }) => {
    const bytes = RunFunctionRequest.encode(req).finish();
    const lazy = decodeRequest(bytes, 'lazy');
    expect(undecodable(lazy) !== undefined).toBe(refused);
    // The SDK encodes any depth: an answer is the bytes it writes for the same response.
    if (!refused) expect(encodeResponse(respond(lazy, 60)).equals(Buffer.from(RunFunctionResponse.encode(respond(req, 60)).finish()))).toBe(true);
  });
});
