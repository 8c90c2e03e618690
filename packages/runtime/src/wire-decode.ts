import { BinaryReader } from '@bufbuild/protobuf/wire';
import { RunFunctionRequest, type Resource, type State } from '@crossplane-org/function-sdk-typescript';
import type { JsonObject } from '@scia/api';
import { DeepReader } from './deep-reader.js';
import { enter, readStruct, RECURSION_LIMIT } from './wire-json.js';
import { nestsTooDeep } from './wire-depth.js';
import { lazyObject } from './wire-lazy-object.js';
import { dictionaryObject, Stamp } from './lazy-fields.js';

/** LazyStruct stamps a Resource whose `resource` Struct is not decoded yet with its bytes and how deep they sit (see Stamp); the Resource stays a plain object, so its methods are static. */
class LazyStruct extends Stamp {
  #bytes: Uint8Array;
  #depth: number;
  /** #value is the Struct decoded, kept here only when the Resource cannot take it as a plain property (frozen or sealed). */
  #value: JsonObject | undefined;

  constructor(res: Resource, bytes: Uint8Array, depth: number) {
    super(res);
    this.#bytes = bytes;
    this.#depth = depth;
    this.#value = undefined;
  }

  /** holder finds the Resource whose own lazy `resource` is read through `receiver` (itself, or a prototype of it). */
  static holder(receiver: object): LazyStruct {
    for (let o: object | null = receiver; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      if (#bytes in o && Object.prototype.hasOwnProperty.call(o, 'resource')) return o;
    }
    throw new TypeError('cannot read resource: its accessor was moved off the Resource that decoded it');
  }

  /** untouched returns the Struct bytes of `res` while its `resource` is the lazy accessor, unread. */
  static untouched(res: object): Uint8Array | undefined {
    if (!(#bytes in res) || res.#value !== undefined) return undefined;
    return Object.getOwnPropertyDescriptor(res, 'resource')?.get === RESOURCE.get ? res.#bytes : undefined;
  }

  /** read decodes the `resource` of `res` (a Resource holder returned) and makes it a plain property. */
  static read(res: LazyStruct): JsonObject {
    if (res.#value !== undefined) return res.#value;
    // Refused whole on first read, as the SDK's codec refuses the request, even when the deep part lies in a field never read.
    if (nestsTooDeep(res.#bytes, res.#depth)) throw new Error(RECURSION_LIMIT);
    const value = lazyObject(res.#bytes, res.#depth);
    // A frozen or sealed Resource keeps its accessor: the value is decoded once and kept here.
    if (!Reflect.defineProperty(res, 'resource', { value, writable: true, enumerable: true, configurable: true })) res.#value = value;
    return value;
  }
}

/** RESOURCE is the accessor every lazily decoded Resource shares: no closure per Resource, and one shape for all. */
const RESOURCE: PropertyDescriptor = {
  get(this: object): JsonObject {
    return LazyStruct.read(LazyStruct.holder(this));
  },
  set(this: object, value: unknown): void {
    // As assigning to a frozen object's field throws in strict code.
    if (!Reflect.defineProperty(LazyStruct.holder(this), 'resource', { value, writable: true, enumerable: true, configurable: true })) throw new TypeError('cannot assign to resource: the Resource is frozen or sealed');
  },
  enumerable: true,
  configurable: true,
};

/**
 * untouchedStruct returns the original Struct bytes of a Resource decoded by
 * decodeRequestLazy whose `resource` no one has read, written or deleted
 * since: those bytes are its value, and encodeResponse writes them back as
 * they came. Undefined for any other object.
 */
export function untouchedStruct(res: object): Uint8Array | undefined {
  return LazyStruct.untouched(res);
}

/**
 * lazyResource is a Resource whose `resource` reads `bytes` on first read
 * (its keys; each value on its own first read, see lazyObject); a write
 * before any read replaces it undecoded. Bytes nested past the limit throw on
 * that first read (nestsTooDeep), which the server answers as it answers a
 * request refused at decoding. A resource no one reads is never walked: an
 * observed one is not written back, a desired one goes back as the bytes
 * Crossplane sent (its Go codec reads far deeper than the SDK's), so nothing
 * deeper than what came in is passed on, and no stack is at risk.
 */
function lazyResource(bytes: Uint8Array, depth: number, connectionDetails: Record<string, Buffer>, ready: number): Resource {
  const res = {} as Resource;
  Object.defineProperty(res, 'resource', RESOURCE);
  res.connectionDetails = connectionDetails;
  res.ready = ready;
  new LazyStruct(res, bytes, depth);
  return res;
}

/**
 * lazyStruct reads a request's context or input: its keys now, each value on
 * first read; an untouched key is written back as it came. A Struct whose
 * keys a lazy object does not take is read whole by readStruct, from where
 * the SDK's decoder would read it (which may stop short of its end).
 */
function lazyStruct(r: BinaryReader, bytes: Uint8Array, depth: number): JsonObject {
  const len = r.uint32();
  const start = r.pos;
  const end = start + len;
  if (end <= r.len) {
    const struct = bytes.subarray(start, end);
    enter(depth);
    if (nestsTooDeep(struct, depth)) throw new Error(RECURSION_LIMIT);
    try {
      const obj = lazyObject(struct, depth, false);
      r.pos = end;
      return obj;
    } catch {
      // readStruct reads or refuses it as the SDK does.
    }
  }
  return readStruct(r, end, depth);
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
export function decodeRequestLazy(message: Uint8Array): RunFunctionRequest {
  // A plain Uint8Array over the bytes (a Buffer's too): its subarrays (one per Struct and field kept undecoded) are V8's, not Buffer's slower ones.
  const bytes = new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
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
      case 34: req.input = lazyStruct(r, bytes, 1); continue;
      case 42: req.context = lazyStruct(r, bytes, 1); continue;
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
  const state: State = { composite: undefined, resources: dictionaryObject<Resource>() };
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
  const connectionDetails: Record<string, Buffer> = {};
  let ready = 0;
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
      readConnectionDetail(r, r.uint32(), depth + 1, connectionDetails);
      continue;
    }
    if (tag === 24) {
      ready = r.int32();
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  if (struct !== undefined) return lazyResource(struct, depth + 1, connectionDetails, ready);
  return { resource: undefined, connectionDetails, ready };
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
