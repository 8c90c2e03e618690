import { describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { MAX_JSON_DEPTH, decodeRequest, undecodable } from '@scia/runtime';

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

/** placements put a value where the lazy codec leaves it undecoded: the observed XR, an observed and a desired composed resource, the context and the input, beside wide siblings. */
const placements: Record<string, (value: unknown) => RunFunctionRequest> = {
  'observed composite': (value) => RunFunctionRequest.fromPartial({ meta: { tag: 't' }, observed: { composite: { resource: { spec: value, wide: 'z'.repeat(4000) } } } }),
  'observed resource': (value) => RunFunctionRequest.fromPartial({ meta: { tag: 't' }, observed: { resources: { a: { resource: { status: value } } } } }),
  'desired resource': (value) => RunFunctionRequest.fromPartial({ meta: { tag: 't' }, desired: { resources: { a: { resource: { spec: { forProvider: value } } } } } }),
  context: (value) => RunFunctionRequest.fromPartial({ meta: { tag: 't' }, context: { 'scia.io/analysis': value, wide: 'z'.repeat(4000) } }),
  input: (value) => RunFunctionRequest.fromPartial({ meta: { tag: 't' }, input: { spec: value } }),
};

describe('the lazy codec refuses a resource, context or input nested past the limit as the SDK codec does, read or not', () => {
  const cases = Object.entries(shapes).flatMap(([shape, build]) =>
    Object.entries(placements).flatMap(([where, place]) =>
      [-12, -9, -6, -5, -4, -3, -2, -1, 0, 1, 40].map((off) => ({ name: `${shape} in the ${where}, ${MAX_JSON_DEPTH + off} levels`, req: place(build(MAX_JSON_DEPTH + off)) })),
    ),
  );
  it.each(cases)('$name', ({ req }) => {
    const bytes = RunFunctionRequest.encode(req).finish();
    const sdk = undecodable(decodeRequest(bytes, 'sdk'));
    const lazy = undecodable(decodeRequest(bytes, 'lazy'));
    expect(lazy).toBe(sdk);
  });

  it('refuses on both sides of the limit somewhere in the table (the table spans it)', () => {
    const refused = [MAX_JSON_DEPTH - 12, MAX_JSON_DEPTH + 40].map((levels) => undecodable(decodeRequest(RunFunctionRequest.encode((placements['desired resource'] as (v: unknown) => RunFunctionRequest)((shapes['objects'] as (n: number) => unknown)(levels))).finish(), 'lazy')) !== undefined);
    expect(refused).toEqual([false, true]);
  });
});
