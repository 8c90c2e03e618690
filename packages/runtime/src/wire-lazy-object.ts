import { BinaryReader } from '@bufbuild/protobuf/wire';
import type { JsonObject } from '@scia/api';
import { enter, readValue } from './wire-json.js';

/** LazyField is one top-level field of a resource not decoded yet: its whole Struct entry, its Value's bytes, and the getter that decodes it. */
interface LazyField {
  entry: Uint8Array;
  value: Uint8Array;
  get: () => unknown;
}

const lazyObjects = new WeakMap<object, Map<string, LazyField>>();

/** SHORT is why a Struct or Value whose bytes stop before their length is refused: no encoder writes one, and the SDK would misread what follows. */
const SHORT = 'cannot decode a resource: a Struct or Value ends before its length';


/** KNOWN are the tags of a Value's fields: a Value with none of them is empty, and the SDK drops its entry. */
const KNOWN = new Set([8, 17, 26, 32, 42, 50]);

function hasKnownField(bytes: Uint8Array): boolean {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (KNOWN.has(tag)) return true;
    if ((tag & 7) === 4 || tag === 0) throw new Error(SHORT);
    r.skip(tag & 7);
  }
  return false;
}

function decodeValue(bytes: Uint8Array, depth: number): unknown {
  const r = new BinaryReader(bytes);
  const value = readValue(r, bytes.length, depth);
  if (r.pos !== bytes.length) throw new Error(SHORT);
  return value;
}

/**
 * onlyStruct returns the Struct bytes of a Value that holds a Struct and no
 * other known field (one the SDK unwraps to that object), else undefined,
 * also for bytes it cannot walk (decodeValue then answers for them).
 */
function onlyStruct(bytes: Uint8Array): Uint8Array | undefined {
  try {
    const r = new BinaryReader(bytes);
    let struct: Uint8Array | undefined;
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag === 42 && struct === undefined) struct = r.bytes();
      else if (KNOWN.has(tag) || (tag & 7) === 4 || tag === 0) return undefined;
      else r.skip(tag & 7);
    }
    return struct;
  } catch {
    return undefined;
  }
}

/**
 * decodeField decodes a top-level field's Value; one that is an object
 * becomes a lazy object itself (one level, no further), so a step reading a
 * composed resource's `status.conditions` does not decode its
 * `status.atProvider`. Bytes a lazy object cannot read are decoded as before.
 */
function decodeField(bytes: Uint8Array, depth: number): unknown {
  const struct = onlyStruct(bytes);
  if (struct !== undefined) {
    enter(depth);
    try {
      return lazyObject(struct, depth + 1, false);
    } catch {
      // Not a Struct lazyObject takes: decodeValue reads or refuses it as the SDK would.
    }
  }
  return decodeValue(bytes, depth);
}

/** readField reads one Struct entry as the SDK's Struct_FieldsEntry does, keeping its Value's bytes (the last, an earlier one read through). */
function readField(r: BinaryReader, end: number, depth: number): { key: string; value: Uint8Array | undefined } {
  enter(depth);
  let key = '';
  let value: Uint8Array | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) key = r.string();
    else if (tag === 18) {
      if (value !== undefined) decodeValue(value, depth + 1);
      value = r.bytes();
    } else if ((tag & 7) === 4 || tag === 0) throw new Error(SHORT);
    else r.skip(tag & 7);
  }
  if (r.pos !== end) throw new Error(SHORT);
  return { key, value };
}

/**
 * lazyObject reads the keys of a resource's Struct and returns an object
 * whose every field is an accessor decoding its value on first read (then a
 * plain property): a step that reads a resource's kind and status does not
 * pay for its spec. With `nest`, a field whose value is an object decodes to
 * a lazy object in turn (see decodeField). Keys, their order and the values
 * read are the SDK's.
 */
export function lazyObject(bytes: Uint8Array, depth: number, nest = true): JsonObject {
  enter(depth);
  const obj: JsonObject = {};
  const lazy = new Map<string, LazyField>();
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const at = r.pos;
    const tag = r.uint32();
    if (tag === 10) {
      const len = r.uint32();
      const end = r.pos + len;
      if (end > r.len) throw new RangeError('premature EOF');
      const { key, value } = readField(r, end, depth + 1);
      if (value === undefined || key === '__proto__' || !hasKnownField(value)) continue;
      const earlier = lazy.get(key);
      // A key seen before keeps its place and takes the later value, as in the SDK; the earlier value is read through, to refuse what the SDK refuses.
      if (earlier !== undefined) decodeValue(earlier.value, depth + 2);
      const field: LazyField = earlier ?? { entry: bytes, value, get: () => settle(obj, lazy, key, nest ? decodeField(field.value, depth + 2) : decodeValue(field.value, depth + 2)) };
      field.entry = bytes.subarray(at, end);
      field.value = value;
      if (earlier === undefined) {
        lazy.set(key, field);
        Object.defineProperty(obj, key, { get: field.get, set: (v: unknown) => settle(obj, lazy, key, v), enumerable: true, configurable: true });
      }
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) throw new Error(SHORT);
    r.skip(tag & 7);
  }
  lazyObjects.set(obj, lazy);
  return obj;
}

function settle(obj: object, lazy: Map<string, LazyField>, key: string, value: unknown): unknown {
  // A frozen object keeps its accessors: each read decodes again, and stays right.
  if (Object.isFrozen(obj)) return value;
  lazy.delete(key);
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/**
 * untouchedEntry returns the original Struct entry bytes of field `key` of an
 * object lazyObject returned, while that field has not been read, written or
 * deleted: the encoder writes them as they came. Undefined otherwise.
 */
export function untouchedEntry(obj: object, key: string): Uint8Array | undefined {
  const field = lazyObjects.get(obj)?.get(key);
  if (field === undefined) return undefined;
  return Object.getOwnPropertyDescriptor(obj, key)?.get === field.get ? field.entry : undefined;
}

/** isLazyObject tells whether `obj` came from lazyObject (some fields may still be undecoded). */
export function isLazyObject(obj: unknown): obj is object {
  return typeof obj === 'object' && obj !== null && lazyObjects.has(obj);
}
