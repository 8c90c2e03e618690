/**
 * Reading a google.protobuf.Value's content from its bytes without decoding
 * it: for memo keys that name what a field holds whatever order its map
 * entries came in (Go marshals a Struct's fields in a new random order on
 * every call). Nothing here throws: bytes it cannot follow, or that hold
 * something a decoder would read in a way of its own (a repeated key, an
 * entry without a key or a value, a field a Value does not have), answer
 * undefined or false, and the caller decodes the value as usual. Lengths
 * and positions are module scratch: everything here is synchronous.
 */

/** next is where the last varint() stopped, -1 after bytes it could not read. */
let next = 0;

function varint(b: Uint8Array, pos: number, end: number): number {
  // Tags and most lengths are one byte.
  if (pos < end && (b[pos] as number) < 0x80) {
    next = pos + 1;
    return b[pos] as number;
  }
  let value = 0;
  for (let shift = 0; shift < 35 && pos < end; shift += 7) {
    const byte = b[pos++] as number;
    value += (byte & 0x7f) * 2 ** shift;
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

/** OUT is where canonical() writes; it grows as needed and is reused. */
let OUT = new Uint8Array(4096);
let o = 0;

function copy(b: Uint8Array, start: number, end: number): void {
  const n = end - start;
  if (o + n > OUT.length) {
    const grown = new Uint8Array(Math.max(OUT.length * 2, o + n));
    grown.set(OUT.subarray(0, o));
    OUT = grown;
  }
  if (n < 32) for (let i = 0; i < n; i++) OUT[o + i] = b[start + i] as number;
  else OUT.set(b.subarray(start, end), o);
  o += n;
}

/**
 * canonical writes the Value at `b[start, end)` with every Struct's entries
 * sorted by key, recursively, and returns those bytes (a view of a buffer
 * the next call reuses): two Values with the same canonical bytes decode to
 * the same JSON but for the order of object keys. Undefined for bytes it
 * cannot follow or would read otherwise than a decoder.
 */
export function canonical(b: Uint8Array, start: number, end: number): Uint8Array | undefined {
  o = 0;
  return value(b, start, end) ? OUT.subarray(0, o) : undefined;
}

function value(b: Uint8Array, start: number, end: number): boolean {
  let pos = start;
  while (pos < end) {
    const at = pos;
    const tag = varint(b, pos, end);
    if (next < 0) return false;
    pos = next;
    if (tag === 42 || tag === 50) {
      const stop = delimited(b, pos, end);
      if (stop < 0) return false;
      copy(b, at, next);
      if (!(tag === 42 ? struct(b, next, stop) : list(b, next, stop))) return false;
      pos = stop;
      continue;
    }
    // Scalars (null, number, string, bool) are their own bytes, tag included.
    if (tag === 8 || tag === 32) {
      varint(b, pos, end);
      pos = next;
    } else if (tag === 17) pos = pos + 8 <= end ? pos + 8 : -1;
    else if (tag === 26) pos = delimited(b, pos, end);
    else return false;
    if (pos < 0) return false;
    copy(b, at, pos);
  }
  return true;
}

function list(b: Uint8Array, start: number, end: number): boolean {
  let pos = start;
  while (pos < end) {
    const at = pos;
    if (varint(b, pos, end) !== 10 || next < 0) return false;
    const stop = delimited(b, next, end);
    if (stop < 0) return false;
    copy(b, at, next);
    if (!value(b, next, stop)) return false;
    pos = stop;
  }
  return true;
}

/** Entry bounds, as entry() finds them: key bytes, where the Value's bytes start, where the entry ends. */
let keyStart = 0;
let keyEnd = 0;
let valueStart = 0;

/** entry reads the Struct entry at `b[start, end)` (its content, after its tag and length): exactly a key, then a Value, as encoders write it. */
function entry(b: Uint8Array, start: number, end: number): boolean {
  if (varint(b, start, end) !== 10 || next < 0) return false;
  const kEnd = delimited(b, next, end);
  if (kEnd < 0) return false;
  keyStart = next;
  keyEnd = kEnd;
  if (varint(b, kEnd, end) !== 18 || next < 0) return false;
  if (delimited(b, next, end) !== end) return false;
  valueStart = next;
  return true;
}

/**
 * ENTRIES holds the entries of the Structs being put in order, the innermost
 * last, RECORD numbers each: where the entry starts (its tag), its key's
 * bounds, where its Value starts, where it ends, and its key's first three
 * bytes as one number (which orders most keys without reading further).
 * Module scratch, as everything here is synchronous: no array per Struct.
 */
const RECORD = 6;
let ENTRIES = new Int32Array(64 * RECORD);
let top = 0;

/** keyOrder compares the keys of the entries at x and y of ENTRIES, byte by byte. */
function keyOrder(b: Uint8Array, e: Int32Array, x: number, y: number): number {
  const prefix = (e[x + 5] as number) - (e[y + 5] as number);
  if (prefix !== 0) return prefix;
  const a0 = e[x + 1] as number;
  const b0 = e[y + 1] as number;
  const la = (e[x + 2] as number) - a0;
  const lb = (e[y + 2] as number) - b0;
  const n = la < lb ? la : lb;
  for (let i = 3; i < n; i++) {
    const d = (b[a0 + i] as number) - (b[b0 + i] as number);
    if (d !== 0) return d;
  }
  return la - lb;
}

/** MAX_SORTED bounds the entries of one Struct put in order (by insertion, as they are read); a larger Struct is left to the decoder. */
const MAX_SORTED = 256;

function struct(b: Uint8Array, start: number, end: number): boolean {
  const base = top;
  try {
    let e = ENTRIES;
    let pos = start;
    while (pos < end) {
      if (varint(b, pos, end) !== 10 || next < 0) return false;
      const stop = delimited(b, next, end);
      if (stop < 0 || !entry(b, next, stop)) return false;
      if (top - base >= MAX_SORTED * RECORD) return false;
      if (top + RECORD > e.length) {
        ENTRIES = new Int32Array(e.length * 2);
        ENTRIES.set(e);
        e = ENTRIES;
      }
      const n = keyEnd - keyStart;
      let x = top;
      e[x] = pos;
      e[x + 1] = keyStart;
      e[x + 2] = keyEnd;
      e[x + 3] = valueStart;
      e[x + 4] = stop;
      e[x + 5] = (n > 0 ? (b[keyStart] as number) << 16 : 0) | (n > 1 ? (b[keyStart + 1] as number) << 8 : 0) | (n > 2 ? (b[keyStart + 2] as number) : 0);
      top += RECORD;
      // Insertion: the entries before are in order; a repeated key is left to the decoder (its answer depends on the order).
      for (; x > base; x -= RECORD) {
        const d = keyOrder(b, e, x - RECORD, x);
        if (d === 0) return false;
        if (d < 0) break;
        for (let i = 0; i < RECORD; i++) {
          const t = e[x - RECORD + i] as number;
          e[x - RECORD + i] = e[x + i] as number;
          e[x + i] = t;
        }
      }
      pos = stop;
    }
    for (let x = base; x < top; x += RECORD) {
      // A Value below may have grown ENTRIES: read it afresh.
      const at = ENTRIES[x] as number;
      const valueAt = ENTRIES[x + 3] as number;
      const stop = ENTRIES[x + 4] as number;
      copy(b, at, valueAt);
      if (!value(b, valueAt, stop)) return false;
    }
    return true;
  } finally {
    top = base;
  }
}

/** Span is where a Value lies in a byte array. */
export interface Span {
  start: number;
  end: number;
}

/** entryValue returns where the Value of the Struct entry `bytes` (its tag and length included) lies in it. */
export function entryValue(bytes: Uint8Array): Span | undefined {
  if (varint(bytes, 0, bytes.length) !== 10 || next < 0) return undefined;
  const stop = delimited(bytes, next, bytes.length);
  if (stop !== bytes.length || !entry(bytes, next, stop)) return undefined;
  return { start: valueStart, end: stop };
}

/**
 * fieldOfValue finds field `key` (its UTF-8 bytes) of the object the Value
 * at `b[start, end)` holds: its Value's bounds, `absent` when the object has
 * no such field, or undefined when the Value is not just an object or the
 * object is not plain (a repeated key: the decoder's answer is left to it).
 */
export function fieldOfValue(b: Uint8Array, start: number, end: number, key: Uint8Array): Span | 'absent' | undefined {
  if (varint(b, start, end) !== 42 || next < 0) return undefined;
  const stop = delimited(b, next, end);
  if (stop !== end) return undefined;
  let found: Span | undefined;
  let pos = next;
  while (pos < stop) {
    if (varint(b, pos, stop) !== 10 || next < 0) return undefined;
    const entryEnd = delimited(b, next, stop);
    if (entryEnd < 0 || !entry(b, next, entryEnd)) return undefined;
    if (sameBytes(b, keyStart, keyEnd, key)) {
      if (found !== undefined) return undefined;
      found = { start: valueStart, end: entryEnd };
    }
    pos = entryEnd;
  }
  return found ?? 'absent';
}

function sameBytes(b: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (b[start + i] !== key[i]) return false;
  return true;
}

/** hashBytes is a 32-bit FNV-1a hash of `b`: a memo's bucket, the bytes themselves compared on a hit. */
export function hashBytes(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
  return h >>> 0;
}
