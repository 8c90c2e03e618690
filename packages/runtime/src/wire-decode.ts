import type { BinaryReader } from '@bufbuild/protobuf/wire';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import type { JsonObject } from '@scia/api';
import { DeepReader } from './deep-reader.js';
import { enter, readStruct, RECURSION_LIMIT } from './wire-json.js';
import { nestsTooDeep } from './wire-depth.js';
import { lazyObject } from './wire-lazy-object.js';
import { readState } from './wire-state.js';

export { untouchedStruct } from './wire-lazy-resource.js';

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
 * path (extra and required resources, credentials, schemas) are handed to
 * the SDK's own decoder, field by field, at the same depth; meta, in every
 * request, is read here as the SDK reads it.
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
      case 18: req.observed = readState(r, bytes, r.uint32(), 1, 'observed'); continue;
      case 26: req.desired = readState(r, bytes, r.uint32(), 1, 'desired'); continue;
      case 34: req.input = lazyStruct(r, bytes, 1); continue;
      case 42: req.context = lazyStruct(r, bytes, 1); continue;
      case 10: req.meta = readMeta(r, r.uint32()); continue;
      case 50: case 58: case 66: case 74: bySdk(req, r, bytes, start); continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  return req;
}

/** readMeta reads a RequestMeta (tag = 1, capabilities = 2, packed or not) of `length` bytes as the SDK's decoder does, tag for tag. */
function readMeta(r: DeepReader, length: number): NonNullable<RunFunctionRequest['meta']> {
  const end = r.pos + length;
  const meta: NonNullable<RunFunctionRequest['meta']> = { tag: '', capabilities: [] };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) {
      meta.tag = r.string();
      continue;
    }
    if (tag === 16) {
      meta.capabilities.push(r.int32());
      continue;
    }
    if (tag === 18) {
      const packedEnd = r.uint32() + r.pos;
      while (r.pos < packedEnd) meta.capabilities.push(r.int32());
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  return meta;
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
