import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { Resource, State } from '@crossplane-org/function-sdk-typescript';
import { decodeRequest, observedResources, untouchedResourceStructs, untouchedStruct, type JsonObject } from '@scia/runtime';

const body = (id: string): JsonObject => ({ kind: 'VPC', status: { conditions: [{ type: 'Ready', status: 'True' }], atProvider: { id } } });

/** request is a RunFunctionRequest whose observed State holds `fields` (State fields as they go on the wire, in order). */
function request(...fields: Uint8Array[]): Uint8Array {
  const state = Buffer.concat(fields);
  return new BinaryWriter().uint32(18).bytes(state).finish();
}

/** entries are the State bytes the SDK writes for `resources`. */
const entries = (resources: Record<string, Partial<Resource>>): Uint8Array =>
  State.encode(State.fromPartial({ resources: Object.fromEntries(Object.entries(resources).map(([k, r]) => [k, Resource.fromPartial(r)])) })).finish();

/** entry is one map entry whose Resource is the bytes given, as they are. */
const entry = (name: string, resource: Uint8Array): Uint8Array => new BinaryWriter().uint32(18).fork().uint32(10).string(name).uint32(18).bytes(resource).join().finish();

const resourceBytes = (r: Partial<Resource>): Uint8Array => Resource.encode(Resource.fromPartial(r)).finish();

/** structs reads `bytes` lazily and returns untouchedResourceStructs of its observed State, each Struct compared with what the map then holds. */
function structs(bytes: Uint8Array): { names: string[]; same: boolean } | undefined {
  const req = decodeRequest(bytes, 'lazy');
  const got = untouchedResourceStructs(req.observed as object);
  if (got === undefined) return undefined;
  const again = decodeRequest(bytes, 'lazy');
  // Read before `resource` is: a Resource without a Struct has none either.
  const held = Object.entries(again.observed?.resources ?? {}).flatMap(([k, r]) => {
    const struct = untouchedStruct(r);
    return struct === undefined ? [] : [[k, struct] as const];
  });
  const same = got.length === held.length && got.every(([k, s], i) => held[i]?.[0] === k && Buffer.from(held[i]?.[1] ?? []).equals(Buffer.from(s)));
  return { names: got.map(([k]) => k), same };
}

describe('untouchedResourceStructs', () => {
  it.each([
    { reason: 'resources in the order they came', bytes: request(entries({ vpc: { resource: body('a') }, igw: { resource: body('b') } })), names: ['vpc', 'igw'] },
    { reason: 'a resource without a Struct is left out, as observedResources leaves it', bytes: request(entries({ vpc: { resource: body('a') }, none: { ready: 1 } })), names: ['vpc'] },
    { reason: 'connection details and ready states are passed over', bytes: request(entries({ db: { resource: body('a'), ready: 1, connectionDetails: { password: Buffer.from('x') } } })), names: ['db'] },
    { reason: 'the composite is passed over', bytes: request(State.encode(State.fromPartial({ composite: Resource.fromPartial({ resource: { kind: 'XR' } }), resources: { vpc: Resource.fromPartial({ resource: body('a') }) } })).finish()), names: ['vpc'] },
    { reason: 'an empty map', bytes: request(), names: [] },
  ])('$reason', ({ bytes, names }) => {
    expect(structs(bytes)).toEqual({ names, same: true });
  });

  it.each([
    { reason: 'a name twice (the decoders keep the last)', bytes: request(entries({ vpc: { resource: body('a') } }), entries({ vpc: { resource: body('b') } })) },
    { reason: 'a Resource with its Struct twice', bytes: request(entry('vpc', Buffer.concat([resourceBytes({ resource: body('a') }), resourceBytes({ resource: body('b') })]))) },
    { reason: 'a name not ASCII', bytes: request(entries({ 'vpc-é': { resource: body('a') } })) },
    { reason: 'the name __proto__', bytes: request(entry('__proto__', resourceBytes({ resource: body('a') }))) },
    { reason: 'a Resource field the SDK does not have', bytes: request(entry('vpc', Buffer.concat([resourceBytes({ resource: body('a') }), new BinaryWriter().uint32(32).uint32(1).finish()]))) },
  ])('$reason: undefined', ({ bytes }) => {
    expect(structs(bytes)).toBeUndefined();
    // The map reads as usual.
    expect(() => observedResources(decodeRequest(bytes, 'lazy'))).not.toThrow();
  });

  it('is undefined once the map is read or written, and for a request the SDK decoded', () => {
    const bytes = request(entries({ vpc: { resource: body('a') } }));
    const read = decodeRequest(bytes, 'lazy');
    void read.observed?.resources;
    const written = decodeRequest(bytes, 'lazy');
    (written.observed as State).resources = {};
    expect([read, written, decodeRequest(bytes, 'sdk')].map((r) => untouchedResourceStructs(r.observed as object))).toEqual([undefined, undefined, undefined]);
  });
});
