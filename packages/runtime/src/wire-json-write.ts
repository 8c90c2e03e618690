import { isLazyObject, untouchedEntry } from './lazy-fields.js';
import { frozenStruct } from './wire-frozen.js';
import { utf8Size, type WireWriter } from './wire-writer.js';

/**
 * sizeStruct is the sizing pass of writeStruct: the length of `obj` encoded
 * as a google.protobuf.Struct, recording every nested length in `w`. Both
 * walk a value exactly as the SDK's Struct.wrap + encode do: own enumerable
 * keys in order, undefined fields skipped, an undefined list element as an
 * empty Value, and anything but JSON, undefined and objects refused with the
 * SDK's message. A field of a lazily decoded object (at any depth, also
 * inside a plain object) that no one has read or written is its original
 * entry, written as it came and never decoded; an object from freezeJson is
 * the bytes it was first encoded as (wire-frozen.ts).
 */
export function sizeStruct(w: WireWriter, obj: object): number {
  let size = 0;
  const rec = obj as Record<string, unknown>;
  if (isLazyObject(obj)) {
    for (const key of Object.keys(obj)) size += untouchedEntry(obj, key)?.length ?? sizeEntry(w, key, rec[key]);
    return size;
  }
  for (const key of Object.keys(obj)) size += sizeEntry(w, key, rec[key]);
  return size;
}

/** sizeEntry sizes one Struct field (nothing for an undefined value), as sizeStruct does for each. */
function sizeEntry(w: WireWriter, key: string, v: unknown): number {
  if (v === undefined) return 0;
  const entry = w.reserve();
  let body = key === '' ? 0 : 1 + sizeString(w, key);
  const value = w.reserve();
  body += 1 + w.fill(value, sizeValue(w, v));
  return 1 + w.fill(entry, body);
}

function sizeString(w: WireWriter, s: string): number {
  return w.fill(w.reserve(), utf8Size(s));
}

function sizeValue(w: WireWriter, v: unknown): number {
  if (v === null) return 2;
  switch (typeof v) {
    case 'boolean': return 2;
    case 'number': return 9;
    case 'string': return 1 + sizeString(w, v);
    case 'undefined': return 0;
    case 'object': {
      const slot = w.reserve();
      if (!Array.isArray(v)) return 1 + w.fill(slot, frozenStruct(v)?.length ?? sizeStruct(w, v));
      let body = 0;
      for (const el of v as unknown[]) {
        const value = w.reserve();
        body += 1 + w.fill(value, sizeValue(w, el));
      }
      return 1 + w.fill(slot, body);
    }
    default: throw new Error(`Unsupported any value type: ${typeof v}`);
  }
}

/**
 * writeStruct is the writing pass of sizeStruct, in the same order; no step
 * code runs between the passes, so a field untouched when sized is untouched now.
 */
export function writeStruct(w: WireWriter, obj: object): void {
  const rec = obj as Record<string, unknown>;
  if (isLazyObject(obj)) {
    for (const key of Object.keys(obj)) {
      const raw = untouchedEntry(obj, key);
      if (raw === undefined) writeEntry(w, key, rec[key]);
      else w.bytes(raw);
    }
    return;
  }
  for (const key of Object.keys(obj)) writeEntry(w, key, rec[key]);
}

/** writeEntry is the writing pass of sizeEntry. */
function writeEntry(w: WireWriter, key: string, v: unknown): void {
  if (v === undefined) return;
  w.buf[w.pos++] = 10;
  w.next();
  if (key !== '') {
    w.buf[w.pos++] = 10;
    w.string(key, w.next());
  }
  w.buf[w.pos++] = 18;
  w.next();
  writeValue(w, v);
}

function writeValue(w: WireWriter, v: unknown): void {
  if (v === null) {
    w.buf[w.pos++] = 8;
    w.buf[w.pos++] = 0;
    return;
  }
  switch (typeof v) {
    case 'boolean':
      w.buf[w.pos++] = 32;
      w.buf[w.pos++] = v ? 1 : 0;
      return;
    case 'number':
      w.buf[w.pos++] = 17;
      w.double(v);
      return;
    case 'string':
      w.buf[w.pos++] = 26;
      w.string(v, w.next());
      return;
    case 'object':
      if (!Array.isArray(v)) {
        w.buf[w.pos++] = 42;
        w.next();
        const frozen = frozenStruct(v);
        if (frozen === undefined) writeStruct(w, v);
        else w.bytes(frozen);
        return;
      }
      w.buf[w.pos++] = 50;
      w.next();
      for (const el of v as unknown[]) {
        w.buf[w.pos++] = 10;
        w.next();
        writeValue(w, el);
      }
      return;
    default:
      return;
  }
}
