import { BinaryReader } from '@bufbuild/protobuf/wire';
import type { JsonObject } from '@scia/api';
import { LazyObjectBuilder, untouchedField, withFields, type LazyField } from './lazy-fields.js';
import { enter, readValue } from './wire-json.js';

export { isLazyObject, untouchedEntry } from './lazy-fields.js';

/** SHORT is why a Struct or Value whose bytes stop before their length is refused: no encoder writes one, and the SDK would misread what follows. */
const SHORT = 'cannot decode a resource: a Struct or Value ends before its length';


/** KNOWN are the tags of a Value's fields: a Value with none of them is empty, and the SDK drops its entry. */
const KNOWN = new Set([8, 17, 26, 32, 42, 50]);

/**
 * hasKnownField tells whether the Value at `bytes[start, end)` holds a field
 * the SDK reads; it allocates nothing. Bytes it cannot walk count as holding
 * one: the field is kept, and decoding it on read refuses them as the SDK does.
 */
function hasKnownField(bytes: Uint8Array, start: number, end: number): boolean {
  let pos = start;
  while (pos < end) {
    const tag = bytes[pos++] as number;
    if (tag >= 0x80) return true;
    if (KNOWN.has(tag)) return true;
    if ((tag & 7) === 4 || tag === 0) throw new Error(SHORT);
    switch (tag & 7) {
      case 0: while (pos < end && (bytes[pos] as number) >= 0x80) pos++; pos++; break;
      case 1: pos += 8; break;
      case 5: pos += 4; break;
      case 2: {
        let len = 0;
        for (let shift = 0; ; shift += 7) {
          if (pos >= end || shift > 28) return true;
          const b = bytes[pos++] as number;
          len += (b & 0x7f) * 2 ** shift;
          if (b < 0x80) break;
        }
        pos += len;
        break;
      }
      default: return true;
    }
  }
  return pos !== end;
}

function decodeValue(bytes: Uint8Array, depth: number): unknown {
  const r = new BinaryReader(bytes);
  const value = readValue(r, bytes.length, depth);
  if (r.pos !== bytes.length) throw new Error(SHORT);
  return value;
}

/**
 * decodeValueAt decodes the Value at [start, end) of the bytes `r` reads (the
 * lazy object's reader, shared by its fields: no reader per field). A Value
 * whose lengths run past `end` is refused (SHORT), as one that stops short.
 */
function decodeValueAt(r: BinaryReader, start: number, end: number, depth: number): unknown {
  r.pos = start;
  const value = readValue(r, end, depth);
  if (r.pos !== end) throw new Error(SHORT);
  return value;
}

/**
 * onlyStruct returns the Struct bytes of the Value at [start, end) when it
 * holds a Struct and no other known field (one the SDK unwraps to that
 * object), else undefined, also for bytes it cannot walk (decodeValueAt then
 * answers for them).
 */
function onlyStruct(r: BinaryReader, start: number, end: number): Uint8Array | undefined {
  try {
    r.pos = start;
    let struct: Uint8Array | undefined;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 42 && struct === undefined) struct = r.bytes();
      else if (KNOWN.has(tag) || (tag & 7) === 4 || tag === 0) return undefined;
      else r.skip(tag & 7);
    }
    return r.pos === end ? struct : undefined;
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
function decodeField(field: LazyField): unknown {
  const { reader: r, valueStart, valueEnd, depth } = field;
  const struct = onlyStruct(r, valueStart, valueEnd);
  if (struct !== undefined) {
    enter(depth);
    try {
      return lazyObject(struct, depth + 1, false);
    } catch {
      // Not a Struct lazyObject takes: decodeValueAt reads or refuses it as the SDK would.
    }
  }
  return decodeValueAt(r, valueStart, valueEnd, depth);
}

/** Field is where readField found an entry's key and last Value: module scratch, read right after each call. */
let fieldKey = '';
let valueStart = -1;
let valueEnd = -1;

/** readField reads one Struct entry as the SDK's Struct_FieldsEntry does, noting its key and the bounds of its Value (the last; an earlier one is read through). */
function readField(r: BinaryReader, bytes: Uint8Array, end: number, depth: number): void {
  enter(depth);
  let key = '';
  let start = -1;
  let stop = -1;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) key = r.string();
    else if (tag === 18) {
      const len = r.uint32();
      if (start >= 0) decodeValue(bytes.subarray(start, stop), depth + 1);
      start = r.pos;
      stop = start + len;
      if (stop > r.len) throw new RangeError('premature EOF');
      r.pos = stop;
    } else if ((tag & 7) === 4 || tag === 0) throw new Error(SHORT);
    else r.skip(tag & 7);
  }
  if (r.pos !== end) throw new Error(SHORT);
  fieldKey = key;
  valueStart = start;
  valueEnd = stop;
}

/** decodeLazyField decodes a field's Value: a nested lazy object for a field with `nest`, else whole. */
function decodeLazyField(field: LazyField): unknown {
  return field.nest ? decodeField(field) : decodeValueAt(field.reader, field.valueStart, field.valueEnd, field.depth);
}

/**
 * lazyObject reads the keys of a resource's Struct and returns an object
 * whose every field is an accessor decoding its value on first read (then a
 * plain property): a step that reads a resource's kind and status does not
 * pay for its spec. With `nest`, a field whose value is an object decodes to
 * a lazy object in turn (see decodeField). Keys, their order and the values
 * read are the SDK's.
 */
export function lazyObject(bytes: Uint8Array, depth: number, nest = true, given?: JsonObject): JsonObject {
  enter(depth);
  const out = new LazyObjectBuilder(decodeLazyField);
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const at = r.pos;
    const tag = r.uint32();
    if (tag === 10) {
      const len = r.uint32();
      const end = r.pos + len;
      if (end > r.len) throw new RangeError('premature EOF');
      readField(r, bytes, end, depth + 1);
      const key = fieldKey;
      if (valueStart < 0 || key === '__proto__' || !hasKnownField(bytes, valueStart, valueEnd)) continue;
      const earlier = out.get(key);
      // A key seen before keeps its place and takes the later value, as in the SDK; the earlier value is read through, to refuse what the SDK refuses.
      if (earlier !== undefined) decodeValue(bytes.subarray(earlier.valueStart, earlier.valueEnd), depth + 2);
      // A key given takes the place of the field (as a spread over the object would), its bytes never read.
      if (given !== undefined && Object.prototype.hasOwnProperty.call(given, key)) {
        if (!out.has(key)) out.set(key, given[key]);
        continue;
      }
      out.add(key, { bytes, reader: r, at, valueStart, valueEnd, end, depth: depth + 2, nest });
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) throw new Error(SHORT);
    r.skip(tag & 7);
  }
  if (given !== undefined) for (const key of Object.keys(given)) if (!out.has(key)) out.set(key, given[key]);
  return out.done();
}

/**
 * mergedField returns `{ ...obj[key], ...fields }` (an empty object for a
 * value that is not one) as withFields makes it, without decoding
 * `obj[key]` when it is a field of a lazily decoded object not read yet: its
 * keys are read from its bytes once, straight into the new object.
 */
export function mergedField(obj: JsonObject, key: string, fields: JsonObject): JsonObject {
  const field = untouchedField(obj, key);
  const struct = field === undefined ? undefined : onlyStruct(field.reader, field.valueStart, field.valueEnd);
  if (field !== undefined && struct !== undefined) {
    try {
      enter(field.depth);
      return lazyObject(struct, field.depth + 1, false, fields);
    } catch {
      // Read as usual below: decoding the field refuses what the SDK refuses.
    }
  }
  const current = obj[key];
  return withFields(typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as JsonObject) : {}, fields);
}
