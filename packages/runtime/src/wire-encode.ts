import { Ready, RunFunctionResponse, type Resource, type State } from '@crossplane-org/function-sdk-typescript';
import { untouchedStruct } from './wire-lazy-resource.js';
import { untouchedResources } from './wire-state.js';
import { sizeStruct, writeStruct } from './wire-json-write.js';
import { frozenStruct } from './wire-frozen.js';
import { int32Size, utf8Size, varintSize, WireWriter } from './wire-writer.js';
import { plainMeta, plainResults, sizeMeta, sizeResults, writeMeta, writeResults } from './wire-encode-meta.js';

const w = new WireWriter();
/** blobs are the bytes the sizing pass settled on (fields the SDK encodes, untouched Structs), taken in the same order by the writing pass. */
let blobs: Uint8Array[] = [];
let nextBlob = 0;

function blob(b: Uint8Array): number {
  blobs.push(b);
  return b.length;
}

function takeBlob(): Uint8Array {
  const b = blobs[nextBlob++];
  if (b === undefined) throw new Error('cannot encode a response: the writing pass outran the sizing pass');
  return b;
}

/** metaByHand and resultsByHand are the sizing pass's choice, read back by the writing pass: written here (wire-encode-meta.ts), or by the SDK. */
let metaByHand = false;
let resultsByHand = false;

/** NOTHING is what the SDK writes for an empty list of results or conditions and no requirements: no bytes (no SDK encode per call for them). */
const NOTHING = new Uint8Array(0);

function isEmptyList(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}

/** sdkFields encodes some fields of a response with the SDK: the exact bytes (tags included) it would write for them. */
function sdkFields(part: Partial<RunFunctionResponse>): Uint8Array {
  return RunFunctionResponse.encode({ results: [], conditions: [], ...part } as RunFunctionResponse).finish();
}

/**
 * encodeResponse writes a RunFunctionResponse as the SDK's encoder does, byte
 * for byte, in one buffer and without Struct or Value messages in between;
 * the `resource` of a Resource that decodeRequestLazy decoded and no one has
 * read or written since is written as the bytes it came in, and so is every
 * field of such a `resource` or of the request's context not read since. Meta
 * and results are written here too when they hold what their types say
 * (wire-encode-meta.ts); requirements and conditions, rare and small, and any
 * meta or result of another shape are encoded by the SDK itself.
 */
export function encodeResponse(rsp: RunFunctionResponse): Buffer {
  w.reset();
  blobs = [];
  nextBlob = 0;
  try {
    w.start(sizeResponse(rsp));
    writeResponse(rsp);
    return w.finish();
  } finally {
    blobs = [];
  }
}

function sizeResponse(rsp: RunFunctionResponse): number {
  let size = 0;
  metaByHand = rsp.meta !== undefined && plainMeta(rsp.meta);
  if (rsp.meta !== undefined) size += metaByHand ? 1 + w.fill(w.reserve(), sizeMeta(w, rsp.meta)) : blob(sdkFields({ meta: rsp.meta }));
  if (rsp.desired !== undefined) size += 1 + w.fill(w.reserve(), sizeState(rsp.desired));
  resultsByHand = plainResults(rsp.results);
  size += resultsByHand ? sizeResults(w, rsp.results) : blob(isEmptyList(rsp.results) ? NOTHING : sdkFields({ results: rsp.results }));
  if (rsp.context !== undefined) size += 1 + w.fill(w.reserve(), sizeBody(rsp.context));
  size += blob(rsp.requirements === undefined && isEmptyList(rsp.conditions) ? NOTHING : sdkFields({ requirements: rsp.requirements, conditions: rsp.conditions }));
  if (rsp.output !== undefined) size += 1 + w.fill(w.reserve(), sizeStruct(w, rsp.output));
  return size;
}

function writeResponse(rsp: RunFunctionResponse): void {
  if (rsp.meta !== undefined) {
    if (metaByHand) {
      w.buf[w.pos++] = 10;
      w.next();
      writeMeta(w, rsp.meta);
    } else w.bytes(takeBlob());
  }
  if (rsp.desired !== undefined) {
    w.buf[w.pos++] = 18;
    w.next();
    writeState(rsp.desired);
  }
  if (resultsByHand) writeResults(w, rsp.results);
  else w.bytes(takeBlob());
  if (rsp.context !== undefined) {
    w.buf[w.pos++] = 34;
    w.next();
    writeBody(rsp.context);
  }
  w.bytes(takeBlob());
  if (rsp.output !== undefined) {
    w.buf[w.pos++] = 58;
    w.next();
    writeStruct(w, rsp.output);
  }
}

function sizeState(state: State): number {
  let size = 0;
  if (state.composite !== undefined) size += 1 + w.fill(w.reserve(), sizeResource(state.composite));
  const raw = untouchedResources(state);
  if (raw !== undefined) return size + blob(raw);
  const resources = state.resources;
  for (const key of Object.keys(resources)) {
    const value = resources[key];
    const entry = w.reserve();
    let body = key === '' ? 0 : 1 + w.fill(w.reserve(), utf8Size(key));
    if (value !== undefined) body += 1 + w.fill(w.reserve(), sizeResource(value));
    size += 1 + w.fill(entry, body);
  }
  return size;
}

function writeState(state: State): void {
  if (state.composite !== undefined) {
    w.buf[w.pos++] = 10;
    w.next();
    writeResource(state.composite);
  }
  // The sizing pass decided raw or not; no step code runs in between.
  if (untouchedResources(state) !== undefined) {
    w.bytes(takeBlob());
    return;
  }
  const resources = state.resources;
  for (const key of Object.keys(resources)) {
    const value = resources[key];
    w.buf[w.pos++] = 18;
    w.next();
    if (key !== '') {
      w.buf[w.pos++] = 10;
      w.string(key, w.next());
    }
    if (value !== undefined) {
      w.buf[w.pos++] = 18;
      w.next();
      writeResource(value);
    }
  }
}

/**
 * sizeBody sizes a resource's JSON or the context: an object from freezeJson
 * is the bytes it was first encoded as, and a field of a lazily read object
 * that no one has read or written is its original entry (sizeStruct).
 */
function sizeBody(body: object): number {
  const frozen = frozenStruct(body);
  return frozen === undefined ? sizeStruct(w, body) : blob(frozen);
}

function writeBody(body: object): void {
  if (frozenStruct(body) === undefined) writeStruct(w, body);
  else w.bytes(takeBlob());
}

function sizeResource(res: Resource): number {
  let size = 0;
  const raw = untouchedStruct(res);
  if (raw !== undefined) size += 1 + w.fill(w.reserve(), blob(raw));
  else if (res.resource !== undefined) size += 1 + w.fill(w.reserve(), sizeBody(res.resource));
  const details = res.connectionDetails;
  for (const key of Object.keys(details)) {
    const value = details[key] as Buffer;
    const entry = w.reserve();
    let body = key === '' ? 0 : 1 + w.fill(w.reserve(), utf8Size(key));
    if (value.length !== 0) body += 1 + varintSize(value.length) + value.length;
    size += 1 + w.fill(entry, body);
  }
  if (res.ready !== Ready.READY_UNSPECIFIED) size += 1 + int32Size(res.ready);
  return size;
}

function writeResource(res: Resource): void {
  // The sizing pass decided raw or not; untouchedStruct cannot change its answer in between (no step code runs).
  if (untouchedStruct(res) !== undefined) {
    w.buf[w.pos++] = 10;
    w.next();
    w.bytes(takeBlob());
  } else if (res.resource !== undefined) {
    w.buf[w.pos++] = 10;
    w.next();
    writeBody(res.resource);
  }
  const details = res.connectionDetails;
  for (const key of Object.keys(details)) {
    const value = details[key] as Buffer;
    w.buf[w.pos++] = 18;
    w.next();
    if (key !== '') {
      w.buf[w.pos++] = 10;
      w.string(key, w.next());
    }
    if (value.length !== 0) {
      w.buf[w.pos++] = 18;
      w.varint(value.length);
      w.bytes(value);
    }
  }
  if (res.ready !== Ready.READY_UNSPECIFIED) {
    w.buf[w.pos++] = 24;
    w.int32(res.ready);
  }
}
