import type { BinaryReader } from '@bufbuild/protobuf/wire';
import type { JsonObject } from '@scia/api';
import { DEPTH_SCALE } from './deep-reader.js';

/**
 * DEPTH_LIMIT is how many messages deep a request may nest: the SDK's decoders
 * refuse a message entered 100 deep, and decode.ts's reader counts one for
 * every four levels (DEPTH_SCALE). Each JSON object level is three messages
 * (Struct, field entry, Value) and each list level two (ListValue, Value).
 */
export const DEPTH_LIMIT = 100 * DEPTH_SCALE;

/** RECURSION_LIMIT is the message the SDK's decoders throw past their depth, which decodeRequest recognises. */
export const RECURSION_LIMIT = 'protobuf decode recursion limit exceeded';

/** enter refuses a message entered `depth` messages deep past DEPTH_LIMIT, as the SDK's decoders do. */
export function enter(depth: number): void {
  if (depth >= DEPTH_LIMIT) throw new Error(RECURSION_LIMIT);
}

/**
 * readStruct reads a google.protobuf.Struct straight to a JSON object, ending
 * at `end`, entered `depth` messages deep. It walks the bytes exactly as the
 * SDK's Struct.decode + unwrap do (same reader primitives, same tag checks,
 * same early stop on a zero or end-group tag), so it returns the same JSON and
 * throws on the same bytes, without building Struct and Value messages.
 */
export function readStruct(r: BinaryReader, end: number, depth: number): JsonObject {
  enter(depth);
  const out: JsonObject = {};
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) {
      const len = r.uint32();
      readEntry(r, r.pos + len, depth + 1, out);
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  return out;
}

/** readEntry reads one Struct field into `out`; an entry without a value is dropped, and so is `__proto__` (the SDK's own map loses it). */
function readEntry(r: BinaryReader, end: number, depth: number, out: JsonObject): void {
  enter(depth);
  let key = '';
  let value: unknown;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) {
      key = r.string();
      continue;
    }
    if (tag === 18) {
      const len = r.uint32();
      value = readValue(r, r.pos + len, depth + 1);
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  if (value !== undefined && key !== '__proto__') out[key] = value;
}

/** readValue reads a google.protobuf.Value as the SDK unwraps it: string, number, bool, struct, list, null in that order of precedence; an empty Value is undefined. */
export function readValue(r: BinaryReader, end: number, depth: number): unknown {
  enter(depth);
  let str: string | undefined;
  let num: number | undefined;
  let bool: boolean | undefined;
  let struct: JsonObject | undefined;
  let list: unknown[] | undefined;
  let isNull = false;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case 8: r.int32(); isNull = true; continue;
      case 17: num = r.double(); continue;
      case 26: str = r.string(); continue;
      case 32: bool = r.bool(); continue;
      case 42: { const len = r.uint32(); struct = readStruct(r, r.pos + len, depth + 1); continue; }
      case 50: { const len = r.uint32(); list = readList(r, r.pos + len, depth + 1); continue; }
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  if (str !== undefined) return str;
  if (num !== undefined) return num;
  if (bool !== undefined) return bool;
  if (struct !== undefined) return struct;
  if (list !== undefined) return list;
  return isNull ? null : undefined;
}

/** readList reads a google.protobuf.ListValue; an empty Value in it stays an undefined element, as in the SDK. */
function readList(r: BinaryReader, end: number, depth: number): unknown[] {
  enter(depth);
  const out: unknown[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) {
      const len = r.uint32();
      out.push(readValue(r, r.pos + len, depth + 1));
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  return out;
}
