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

/** OUT is where canonical() writes; it grows as needed and is reused. */
let OUT = new Uint8Array(4096);
let o = 0;

/** The bytes copy() was asked for last and has not written yet: adjacent ranges of the same bytes are written at once (a Struct already in order, a list of scalars). */
let from = 0;
let to = 0;
let src: Uint8Array | undefined;

function copy(b: Uint8Array, start: number, end: number): void {
  if (b === src && start === to) {
    to = end;
    return;
  }
  flush();
  src = b;
  from = start;
  to = end;
}

function flush(): void {
  const n = to - from;
  if (src === undefined || n === 0) return;
  if (o + n > OUT.length) {
    const grown = new Uint8Array(Math.max(OUT.length * 2, o + n));
    grown.set(OUT.subarray(0, o));
    OUT = grown;
  }
  if (n < 16) for (let i = 0; i < n; i++) OUT[o + i] = src[from + i] as number;
  else OUT.set(src.subarray(from, to), o);
  o += n;
  from = to;
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
  src = undefined;
  const ok = value(b, start, end);
  flush();
  src = undefined;
  return ok ? OUT.subarray(0, o) : undefined;
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

function compareKeys(b: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let i = 0; i < n; i++) {
    const d = (b[a0 + i] as number) - (b[b0 + i] as number);
    if (d !== 0) return d;
  }
  return (a1 - a0) - (b1 - b0);
}

/** E is a stack of five numbers per entry of the Structs being walked (a nested Struct's above its parent's): where it starts (its tag), its key's bounds, where its Value starts, where it ends. */
let E = new Int32Array(1024);
let top = 0;

/** struct writes a Struct's entries in the order of their keys' bytes (sorted as they are read: a Struct has few). */
function struct(b: Uint8Array, start: number, end: number): boolean {
  const base = top;
  const ok = sortEntries(b, start, end, base) && writeEntries(b, base);
  top = base;
  return ok;
}

function sortEntries(b: Uint8Array, start: number, end: number, base: number): boolean {
  let pos = start;
  while (pos < end) {
    if (varint(b, pos, end) !== 10 || next < 0) return false;
    const stop = delimited(b, next, end);
    if (stop < 0 || !entry(b, next, stop)) return false;
    if (top + 5 > E.length) {
      const grown = new Int32Array(E.length * 2);
      grown.set(E);
      E = grown;
    }
    let j = top;
    top += 5;
    // Insertion: entries before j are sorted; those with a greater key move up one place.
    while (j > base) {
      const d = compareKeys(b, E[j - 4] as number, E[j - 3] as number, keyStart, keyEnd);
      if (d === 0) return false;
      if (d < 0) break;
      for (let k = 0; k < 5; k++) E[j + k] = E[j - 5 + k] as number;
      j -= 5;
    }
    E[j] = pos;
    E[j + 1] = keyStart;
    E[j + 2] = keyEnd;
    E[j + 3] = valueStart;
    E[j + 4] = stop;
    pos = stop;
  }
  return true;
}

function writeEntries(b: Uint8Array, base: number): boolean {
  const end = top;
  for (let i = base; i < end; i += 5) {
    copy(b, E[i] as number, E[i + 3] as number);
    if (!value(b, E[i + 3] as number, E[i + 4] as number)) return false;
  }
  return true;
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
