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

/** next is where the last varint() stopped, -1 after bytes it could not read (module scratch). */
let next = 0;

function varint(b: Uint8Array, pos: number, end: number): number {
  let value = 0;
  // Up to four bytes in 32-bit arithmetic (every tag and length here); a longer varint by multiplication.
  for (let shift = 0; pos < end; shift += 7) {
    const byte = b[pos++] as number;
    if (shift < 28) value |= (byte & 0x7f) << shift;
    else if (shift < 35) value += (byte & 0x7f) * 2 ** shift;
    else break;
    if (byte < 0x80) {
      next = pos;
      return value;
    }
  }
  next = -1;
  return 0;
}

/** delimited reads a length at `pos` and returns where the field it prefixes ends (next: where it starts), or -1 past `end`. */
function delimited(b: Uint8Array, pos: number, end: number): number {
  const len = varint(b, pos, end);
  if (next < 0 || next + len > end) return -1;
  return next + len;
}

const PROTO = [0x5f, 0x5f, 0x70, 0x72, 0x6f, 0x74, 0x6f, 0x5f, 0x5f];

function sameBytes(b: Uint8Array, a0: number, a1: number, b0: number, b1: number): boolean {
  if (a1 - a0 !== b1 - b0) return false;
  for (let i = 0; i < a1 - a0; i++) if (b[a0 + i] !== b[b0 + i]) return false;
  return true;
}

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
    if (next < 0) return undefined;
    const stop = tag === 10 || tag === 18 ? delimited(b, next, b.length) : -1;
    if (stop < 0) return undefined;
    if (tag === 10) {
      // The composite, written first: before any entry.
      if (first >= 0) return undefined;
      pos = stop;
      continue;
    }
    if (first < 0) first = at;
    if (varint(b, next, stop) !== 10 || next < 0) return undefined;
    const keyEnd = delimited(b, next, stop);
    if (keyEnd < 0 || !plainKey(b, next, keyEnd)) return undefined;
    const keyStart = next;
    if (varint(b, keyEnd, stop) !== 18 || next < 0 || delimited(b, next, stop) !== stop) return undefined;
    if (!resourceQualifies(b, next, stop)) return undefined;
    for (let i = 0; i < keys.length; i += 2) if (sameBytes(b, keys[i] as number, keys[i + 1] as number, keyStart, keyEnd)) return undefined;
    keys.push(keyStart, keyEnd);
    pos = stop;
  }
  return first < 0 ? undefined : b.subarray(first, pos);
}
