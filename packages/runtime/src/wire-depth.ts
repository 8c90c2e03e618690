import { DEPTH_LIMIT } from './wire-json.js';

/** Kind is the message a byte range holds while scanning a Struct: Struct, its field entry, Value, ListValue (plain numbers: an enum would be an object read on every header). */
type Kind = 0 | 1 | 2 | 3;
const STRUCT = 0;
const ENTRY = 1;
const VALUE = 2;
const LIST = 3;

/** childOf is the kind of the message a length-delimited field holds, by its parent's kind and tag (-1: not a message to descend into). */
function childOf(kind: Kind, tag: number): Kind | -1 {
  switch (kind) {
    case STRUCT: return tag === 10 ? ENTRY : -1;
    case ENTRY: return tag === 18 ? VALUE : -1;
    case VALUE: return tag === 42 ? STRUCT : tag === 50 ? LIST : -1;
    case LIST: return tag === 10 ? VALUE : -1;
  }
}

/**
 * nestsTooDeep tells whether reading the Struct `bytes`, entered `depth`
 * messages deep, would pass DEPTH_LIMIT, exactly where the SDK's codec would
 * refuse it. decodeRequestLazy asks it of the context and input at decoding,
 * and of a composed or composite resource when its `resource` is first read:
 * a resource read is refused whole (the deep part may lie in a field never
 * read), one never read costs nothing (see wire-decode.ts). It allocates
 * nothing and skips every sub-message too short to reach the limit (each
 * level costs at least a tag and a length byte), so a resource of ordinary
 * depth costs a few dozen headers. Bytes it cannot follow are left to the
 * decoder: false.
 */
export function nestsTooDeep(bytes: Uint8Array, depth: number): boolean {
  return scan(bytes, 0, bytes.length, depth, STRUCT) === true;
}

/** scan returns true past the limit, false within it, undefined for bytes it cannot follow. Varints are read inline: a call per header measured 3-4x slower. */
function scan(b: Uint8Array, start: number, end: number, depth: number, kind: Kind): boolean | undefined {
  if (depth >= DEPTH_LIMIT) return true;
  if (depth + ((end - start) >> 1) < DEPTH_LIMIT) return false;
  let pos = start;
  while (pos < end) {
    let tag = b[pos++];
    if (tag === undefined) return undefined;
    if (tag >= 0x80) {
      let value = tag & 0x7f;
      let byte: number | undefined;
      for (let shift = 7; ; shift += 7) {
        byte = b[pos++];
        // A value past 2^53 only loses precision: skipped, never used.
        if (byte === undefined || shift > 63) return undefined;
        value += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) break;
      }
      tag = value;
    }
    const wire = tag & 7;
    if (tag === 0 || wire === 4) return false;
    if (wire === 1) {
      pos += 8;
      continue;
    }
    if (wire === 5) {
      pos += 4;
      continue;
    }
    if (wire === 0) {
      let byte: number | undefined;
      do {
        byte = b[pos++];
        if (byte === undefined) return undefined;
      } while (byte >= 0x80);
      continue;
    }
    if (wire !== 2) return undefined;
    let len = b[pos++];
    if (len === undefined) return undefined;
    if (len >= 0x80) {
      let value = len & 0x7f;
      let byte: number | undefined;
      for (let shift = 7; ; shift += 7) {
        byte = b[pos++];
        if (byte === undefined || shift > 63) return undefined;
        value += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) break;
      }
      len = value;
    }
    if (pos + len > end) return undefined;
    // A child too short to reach the limit (each level costs at least a tag and a length byte) is not entered at all.
    if (depth + 1 + (len >> 1) >= DEPTH_LIMIT) {
      const child = childOf(kind, tag);
      if (child >= 0) {
        const deeper = scan(b, pos, pos + len, depth + 1, child as Kind);
        if (deeper !== false) return deeper;
      }
    }
    pos += len;
  }
  return false;
}
