import { equalBytes, varint, varintEnd } from './wire-same.js';

/**
 * passBack tells which bytes of a State's map of composed resources the
 * encoder may write back as they came when no one reads the map: those it
 * would write itself for the map decoded. Go's encoder writes a map entry
 * as a key then a value, a Resource's fields in order, nothing for a zero
 * field; the encoder writes the same, so the bytes qualify when the entries
 * lie one after another (after the composite, if any) and each is a
 * non-empty ASCII key of its own (not `__proto__`, which an object does not keep)
 * then a Resource of at most its Struct (written back as it came: see
 * untouchedStruct) and a ready state, without connection details (a map of
 * its own, read in full). Anything else is read and encoded as usual.
 */

/** delimited reads a length at `pos` and returns where the field it prefixes ends (varintEnd(): where it starts), or -1 past `end`. */
function delimited(b: Uint8Array, pos: number, end: number): number {
  const len = varint(b, pos, end);
  if (len < 0 || varintEnd() + len > end) return -1;
  return varintEnd() + len;
}

const PROTO = [0x5f, 0x5f, 0x70, 0x72, 0x6f, 0x74, 0x6f, 0x5f, 0x5f];

/** plainKey tells whether a key is one the encoder writes back as it came: not empty, ASCII (bytes a decoder would replace are not), not `__proto__`. */
function plainKey(b: Uint8Array, start: number, end: number): boolean {
  if (end === start || isProto(b, start, end)) return false;
  for (let i = start; i < end; i++) if ((b[i] as number) >= 0x80) return false;
  return true;
}

function isProto(b: Uint8Array, start: number, end: number): boolean {
  if (end - start !== PROTO.length) return false;
  for (let i = 0; i < PROTO.length; i++) if (b[start + i] !== PROTO[i]) return false;
  return true;
}

/** resourceQualifies tells whether the Resource at `b[start, end)` is at most a Struct, then a ready state of one byte. */
function resourceQualifies(b: Uint8Array, start: number, end: number): boolean {
  let pos = start;
  if (pos < end && b[pos] === 10) {
    pos = delimited(b, pos + 1, end);
    if (pos < 0) return false;
  }
  if (pos < end && b[pos] === 24) {
    const ready = b[pos + 1];
    if (ready === undefined || ready === 0 || ready >= 0x80) return false;
    pos += 2;
  }
  return pos === end;
}

/** passBack returns the bytes of the map entries of the State `b` when the encoder may write them as they came (see above), else undefined. */
export function passBack(b: Uint8Array): Uint8Array | undefined {
  const keys: number[] = [];
  let first = -1;
  let pos = 0;
  while (pos < b.length) {
    const at = pos;
    const tag = varint(b, pos, b.length);
    if (tag < 0) return undefined;
    const stop = tag === 10 || tag === 18 ? delimited(b, varintEnd(), b.length) : -1;
    if (stop < 0) return undefined;
    if (tag === 10) {
      // The composite, written first: before any entry.
      if (first >= 0) return undefined;
      pos = stop;
      continue;
    }
    if (first < 0) first = at;
    if (varint(b, varintEnd(), stop) !== 10) return undefined;
    const keyEnd = delimited(b, varintEnd(), stop);
    if (keyEnd < 0 || !plainKey(b, varintEnd(), keyEnd)) return undefined;
    const keyStart = varintEnd();
    if (varint(b, keyEnd, stop) !== 18 || delimited(b, varintEnd(), stop) !== stop) return undefined;
    if (!resourceQualifies(b, varintEnd(), stop)) return undefined;
    for (let i = 0; i < keys.length; i += 2) {
      const from = keys[i] as number;
      const to = keys[i + 1] as number;
      if (to - from === keyEnd - keyStart && equalBytes(b, from, b, keyStart, to - from)) return undefined;
    }
    keys.push(keyStart, keyEnd);
    pos = stop;
  }
  return first < 0 ? undefined : b.subarray(first, pos);
}
