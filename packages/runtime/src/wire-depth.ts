import { DEPTH_LIMIT } from './wire-json.js';

/** Kind is the message a byte range holds while scanning a Struct: Struct, its field entry, Value, ListValue. */
const enum Kind {
  Struct,
  Entry,
  Value,
  List,
}

/** childOf is the kind of the message a length-delimited field holds, by its parent's kind and tag (undefined: not a message to descend into). */
function childOf(kind: Kind, tag: number): Kind | undefined {
  switch (kind) {
    case Kind.Struct: return tag === 10 ? Kind.Entry : undefined;
    case Kind.Entry: return tag === 18 ? Kind.Value : undefined;
    case Kind.Value: return tag === 42 ? Kind.Struct : tag === 50 ? Kind.List : undefined;
    case Kind.List: return tag === 10 ? Kind.Value : undefined;
  }
}

/**
 * nestsTooDeep tells whether reading the Struct `bytes`, entered `depth`
 * messages deep, would pass DEPTH_LIMIT: the check decodeRequestLazy makes
 * for a resource it leaves undecoded, so that a request is refused for its
 * depth whether or not a step reads it (as the SDK's codec refuses it), and
 * nothing too deep for the next reader is passed back. It allocates nothing
 * and skips every sub-message too short to reach the limit (each level costs
 * at least a tag and a length byte), so a resource of ordinary depth costs a
 * few dozen headers. Bytes it cannot follow are left to the decoder: false.
 */
export function nestsTooDeep(bytes: Uint8Array, depth: number): boolean {
  return scan(bytes, 0, bytes.length, depth, Kind.Struct) === true;
}

/** scan returns true past the limit, false within it, undefined for bytes it cannot follow. */
function scan(b: Uint8Array, start: number, end: number, depth: number, kind: Kind): boolean | undefined {
  if (depth >= DEPTH_LIMIT) return true;
  if (depth + ((end - start) >> 1) < DEPTH_LIMIT) return false;
  let pos = start;
  while (pos < end) {
    const tag = varint(b, pos);
    if (tag < 0) return undefined;
    pos = next;
    const wire = tag & 7;
    if (tag === 0 || wire === 4) return false;
    if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      continue;
    }
    if (wire === 0) {
      if (varint(b, pos) < 0) return undefined;
      pos = next;
      continue;
    }
    if (wire !== 2) return undefined;
    const len = varint(b, pos);
    if (len < 0 || next + len > end) return undefined;
    pos = next;
    const child = childOf(kind, tag);
    if (child !== undefined) {
      const deeper = scan(b, pos, pos + len, depth + 1, child);
      if (deeper !== false) return deeper;
    }
    pos += len;
  }
  return false;
}

/** next is where the last varint read ended: varint's second result, kept here so that reading one allocates nothing. */
let next = 0;

/** varint reads one base-128 varint at `pos` and sets `next` past it (a value past 2^53 only loses precision: skipped, never used); -1 when it runs off the end. */
function varint(b: Uint8Array, pos: number): number {
  const first = b[pos];
  if (first !== undefined && first < 0x80) {
    next = pos + 1;
    return first;
  }
  let value = 0;
  for (let shift = 0, i = pos; i < b.length && shift < 70; shift += 7, i++) {
    const byte = b[i] as number;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) {
      next = i + 1;
      return value;
    }
  }
  return -1;
}
