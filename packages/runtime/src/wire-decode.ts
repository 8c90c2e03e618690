import { BinaryReader } from '@bufbuild/protobuf/wire';
import { RunFunctionRequest, type Resource, type State } from '@crossplane-org/function-sdk-typescript';
import type { JsonObject } from '@scia/api';
import { DeepReader } from './deep-reader.js';
import { enter, readStruct, RECURSION_LIMIT } from './wire-json.js';
import { nestsTooDeep } from './wire-depth.js';
import { lazyObject } from './wire-lazy-object.js';

/** Lazy is a composed or composite resource's Struct not decoded yet: its bytes, how deep it sits, and the getter that decodes it. */
interface Lazy {
  bytes: Uint8Array;
  depth: number;
  get: () => JsonObject;
}

const pending = new WeakMap<object, Lazy>();

/**
 * untouchedStruct returns the original Struct bytes of a Resource decoded by
 * decodeRequestLazy whose `resource` no one has read, written or deleted
 * since: those bytes are its value, and encodeResponse writes them back as
 * they came. Undefined for any other object.
 */
export function untouchedStruct(res: object): Uint8Array | undefined {
  const lazy = pending.get(res);
  if (lazy === undefined) return undefined;
  if (Object.getOwnPropertyDescriptor(res, 'resource')?.get !== lazy.get) {
    pending.delete(res);
    return undefined;
  }
  return lazy.bytes;
}

/** settle makes `resource` a plain property holding `value`: from then on the Resource is encoded from its JSON. */
function settle(res: object, value: unknown): void {
  pending.delete(res);
  Object.defineProperty(res, 'resource', { value, writable: true, enumerable: true, configurable: true });
}

/** lazyResource makes `res.resource` read `bytes` on first read (its keys; each value on its own first read, see lazyObject); a write before any read replaces it undecoded. Bytes nested past the limit throw at once (nestsTooDeep). */
function lazyResource(res: Resource, bytes: Uint8Array, depth: number): void {
  // Refused whole, read or not, as the SDK's codec refuses it: nothing too deep is passed back for the next reader to choke on.
  if (nestsTooDeep(bytes, depth)) throw new Error(RECURSION_LIMIT);
  const get = (): JsonObject => {
    const value = lazyObject(bytes, depth);
    settle(res, value);
    return value;
  };
  pending.set(res, { bytes, depth, get });
  Object.defineProperty(res, 'resource', { get, set: (v: unknown) => settle(res, v), enumerable: true, configurable: true });
}

/** isDepthError tells whether `err` is a decoder's refusal of JSON nested past the limit, thrown when a lazy resource is read. */
export function isDepthError(err: unknown): boolean {
  return err instanceof Error && err.message === RECURSION_LIMIT;
}


/**
 * decodeRequestLazy reads a RunFunctionRequest with the SDK's exact result,
 * except that the `resource` of the observed and desired composite and of
 * every observed and desired composed resource is decoded on first read
 * (then kept), straight to JSON; a Struct never read costs nothing and is
 * written back as it came (encodeResponse). Its loops mirror the SDK's
 * (ts-proto) decoders tag for tag; the fields SCIA does not read on the hot
 * path (meta, extra and required resources, credentials, schemas) are handed
 * to the SDK's own decoder, field by field, at the same depth.
 */
export function decodeRequestLazy(bytes: Uint8Array): RunFunctionRequest {
  const r = new DeepReader(bytes);
  const req: RunFunctionRequest = {
    meta: undefined, observed: undefined, desired: undefined, input: undefined, context: undefined,
    extraResources: {}, credentials: {}, requiredResources: {}, requiredSchemas: {},
  };
  while (r.pos < r.len) {
    const start = r.pos;
    const tag = r.uint32();
    switch (tag) {
      case 18: req.observed = readState(r, r.uint32(), 1); continue;
      case 26: req.desired = readState(r, r.uint32(), 1); continue;
      case 34: req.input = readStruct(r, r.uint32() + r.pos, 1); continue;
      case 42: req.context = readStruct(r, r.uint32() + r.pos, 1); continue;
      case 10: case 50: case 58: case 66: case 74: bySdk(req, r, bytes, start); continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  return req;
}

/** bySdk decodes the one field starting at `start` with the SDK's decoder and sets it on `req` as the SDK would. */
function bySdk(req: RunFunctionRequest, r: DeepReader, bytes: Uint8Array, start: number): void {
  r.skip(2);
  const one = RunFunctionRequest.decode(new DeepReader(bytes.subarray(start, r.pos)));
  if (one.meta !== undefined) req.meta = one.meta;
  for (const [k, v] of Object.entries(one.extraResources)) req.extraResources[k] = v;
  for (const [k, v] of Object.entries(one.credentials)) req.credentials[k] = v;
  for (const [k, v] of Object.entries(one.requiredResources)) req.requiredResources[k] = v;
  for (const [k, v] of Object.entries(one.requiredSchemas)) req.requiredSchemas[k] = v;
}

function readState(r: BinaryReader, len: number, depth: number): State {
  enter(depth);
  const end = r.pos + len;
  const state: State = { composite: undefined, resources: {} };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) {
      state.composite = readResource(r, r.uint32(), depth + 1);
      continue;
    }
    if (tag === 18) {
      const entry = readResourcesEntry(r, r.uint32(), depth + 1);
      if (entry.value !== undefined) state.resources[entry.key] = entry.value;
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  return state;
}

function readResourcesEntry(r: BinaryReader, len: number, depth: number): { key: string; value: Resource | undefined } {
  enter(depth);
  const end = r.pos + len;
  const entry: { key: string; value: Resource | undefined } = { key: '', value: undefined };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) {
      entry.key = r.string();
      continue;
    }
    if (tag === 18) {
      entry.value = readResource(r, r.uint32(), depth + 1);
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  return entry;
}

function readResource(r: BinaryReader, len: number, depth: number): Resource {
  enter(depth);
  const end = r.pos + len;
  const res: Resource = { resource: undefined, connectionDetails: {}, ready: 0 };
  let struct: Uint8Array | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) {
      // An earlier Struct for the same field is still read through, so that bytes the SDK refuses are refused here too.
      if (struct !== undefined) readStruct(new BinaryReader(struct), struct.length, depth + 1);
      struct = r.bytes();
      continue;
    }
    if (tag === 18) {
      readConnectionDetail(r, r.uint32(), depth + 1, res.connectionDetails);
      continue;
    }
    if (tag === 24) {
      res.ready = r.int32();
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  if (struct !== undefined) lazyResource(res, struct, depth + 1);
  return res;
}

function readConnectionDetail(r: BinaryReader, len: number, depth: number, into: Record<string, Buffer>): void {
  enter(depth);
  const end = r.pos + len;
  let key = '';
  let value = Buffer.alloc(0);
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) {
      key = r.string();
      continue;
    }
    if (tag === 18) {
      value = Buffer.from(r.bytes());
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  into[key] = value;
}
