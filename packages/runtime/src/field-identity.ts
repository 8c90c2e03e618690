import { untouchedEntry } from './lazy-fields.js';

/** MAX_DEPTH bounds how deep fieldIdentity walks; a deeper value has no identity (it is read). */
const MAX_DEPTH = 64;
/** MAX_ENTRIES bounds the entries of one Struct it sorts (by insertion); a larger Struct has no identity. */
const MAX_ENTRIES = 256;

/** PLAIN is thrown inside the walk when bytes are not in the one form it puts in order: made once, caught at once. */
const PLAIN = new Error('cannot put a value in order: not in the plain form');

/** next is where the last varint read ends: module scratch, read right after each call. */
let next = 0;

function varint(b: Uint8Array, pos: number, end: number): number {
  if (pos >= end) throw PLAIN;
  const first = b[pos] as number;
  if (first < 0x80) {
    next = pos + 1;
    return first;
  }
  let value = first & 0x7f;
  pos++;
  for (let shift = 7; shift <= 28; shift += 7) {
    if (pos >= end) throw PLAIN;
    const byte = b[pos++] as number;
    value += (byte & 0x7f) * (1 << shift);
    if (byte < 0x80) {
      next = pos;
      return value;
    }
  }
  throw PLAIN;
}

/** delimited reads a length at `pos` and returns where the bytes it counts end (next: where they start), refusing a length past `end`. */
function delimited(b: Uint8Array, pos: number, end: number): number {
  const stop = varint(b, pos, end) + next;
  if (stop > end) throw PLAIN;
  return stop;
}

/** OUT holds an identity's bytes as they are put in order; TEXT reads them as a string. */
let OUT = new Uint8Array(16 * 1024);
let TEXT = Buffer.from(OUT.buffer);

function copy(src: Uint8Array, from: number, to: number, at: number): void {
  if (to - from > 32) {
    OUT.set(src.subarray(from, to), at);
    return;
  }
  const out = OUT;
  for (let i = from; i < to; i++) out[at++] = src[i] as number;
}

/**
 * value copies the google.protobuf.Value at src[start, end) to OUT at `at`,
 * each Struct in it with its entries sorted by key. A Value is taken with
 * exactly one of its fields, a Struct entry as key then value, and a Struct
 * without a repeated key: anything else throws PLAIN.
 */
function value(src: Uint8Array, start: number, end: number, at: number, depth: number): void {
  if (depth > MAX_DEPTH || start >= end) throw PLAIN;
  const tag = src[start] as number;
  if (tag === 42 || tag === 50) {
    const to = delimited(src, start + 1, end);
    const from = next;
    if (to !== end) throw PLAIN;
    copy(src, start, from, at);
    if (tag === 42) struct(src, from, to, at + (from - start), depth + 1);
    else list(src, from, to, at + (from - start), depth + 1);
    return;
  }
  let pos: number;
  if (tag === 8 || tag === 32) {
    varint(src, start + 1, end);
    pos = next;
  } else if (tag === 17) pos = start + 9;
  else if (tag === 26) pos = delimited(src, start + 1, end);
  else throw PLAIN;
  if (pos !== end) throw PLAIN;
  copy(src, start, end, at);
}

function list(src: Uint8Array, start: number, end: number, at: number, depth: number): void {
  let pos = start;
  while (pos < end) {
    if (src[pos] !== 10) throw PLAIN;
    const to = delimited(src, pos + 1, end);
    const from = next;
    copy(src, pos, from, at + (pos - start));
    value(src, from, to, at + (from - start), depth);
    pos = to;
  }
}

/**
 * ENTRIES holds the entries of the Structs being put in order, the innermost
 * last, RECORD numbers each: where the entry starts, its key's bounds, where
 * its Value starts, where it ends, and its key's first three bytes as one
 * number (which orders most keys without reading them further).
 */
const RECORD = 6;
let ENTRIES = new Int32Array(256 * RECORD);
let top = 0;

/** keyOrder compares the keys of the entries at e and f of `entries`, byte by byte. */
function keyOrder(src: Uint8Array, entries: Int32Array, e: number, f: number): number {
  const prefix = (entries[e + 5] as number) - (entries[f + 5] as number);
  if (prefix !== 0) return prefix;
  const a = entries[e + 1] as number;
  const b = entries[f + 1] as number;
  const la = (entries[e + 2] as number) - a;
  const lb = (entries[f + 2] as number) - b;
  const n = la < lb ? la : lb;
  for (let i = 3; i < n; i++) {
    const d = (src[a + i] as number) - (src[b + i] as number);
    if (d !== 0) return d;
  }
  return la - lb;
}

/**
 * struct copies the Struct at src[start, end) to OUT at `at`, its entries
 * (each `10 key 18 Value`, nothing else) sorted by key, by insertion as they
 * are read.
 */
function struct(src: Uint8Array, start: number, end: number, at: number, depth: number): void {
  const base = top;
  let entries = ENTRIES;
  let pos = start;
  while (pos < end) {
    if (src[pos] !== 10) throw PLAIN;
    const to = delimited(src, pos + 1, end);
    const from = next;
    if (src[from] !== 10) throw PLAIN;
    const keyEnd = delimited(src, from + 1, to);
    const keyStart = next;
    if (src[keyEnd] !== 18 || delimited(src, keyEnd + 1, to) !== to) throw PLAIN;
    if ((top - base) / RECORD >= MAX_ENTRIES) throw PLAIN;
    if (top + RECORD > entries.length) {
      ENTRIES = new Int32Array(entries.length * 2);
      ENTRIES.set(entries);
      entries = ENTRIES;
    }
    const length = keyEnd - keyStart;
    const prefix = (length > 0 ? (src[keyStart] as number) << 16 : 0) | (length > 1 ? (src[keyStart + 1] as number) << 8 : 0) | (length > 2 ? (src[keyStart + 2] as number) : 0);
    let e = top;
    entries[e] = pos;
    entries[e + 1] = keyStart;
    entries[e + 2] = keyEnd;
    entries[e + 3] = next;
    entries[e + 4] = to;
    entries[e + 5] = prefix;
    top += RECORD;
    // Insertion: the entries before are in order; a repeated key has no order (which value counts depends on it), so no identity.
    for (; e > base; e -= RECORD) {
      const order = keyOrder(src, entries, e - RECORD, e);
      if (order === 0) throw PLAIN;
      if (order < 0) break;
      for (let i = 0; i < RECORD; i++) {
        const t = entries[e - RECORD + i] as number;
        entries[e - RECORD + i] = entries[e + i] as number;
        entries[e + i] = t;
      }
    }
    pos = to;
  }
  let out = at;
  for (let e = base; e < top; e += RECORD) {
    // A Value below may have grown ENTRIES: read it afresh.
    const from = ENTRIES[e] as number;
    const valueStart = ENTRIES[e + 3] as number;
    const to = ENTRIES[e + 4] as number;
    copy(src, from, valueStart, out);
    value(src, valueStart, to, out + (valueStart - from), depth);
    out += to - from;
  }
  top = base;
}

/**
 * fieldIdentity returns an identity of field `key` of a lazily decoded object
 * (the observed XR, its status, the request's context) while that field is
 * still undecoded: its Value's bytes with the entries of every Struct in it
 * sorted by key, so the same value with its map entries in another order (Go
 * marshals maps in random order) has the same identity, and two fields with
 * the same identity decode to equal values (up to the order of their keys).
 * Undefined when the field is absent, already read or written, not lazily
 * decoded, or in a form it does not put in order (a repeated key, a Value with
 * more than one field, a Struct of more than MAX_ENTRIES entries): the caller
 * reads the field then.
 */
export function fieldIdentity(obj: unknown, key: string): string | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const bytes = untouchedEntry(obj, key);
  if (bytes === undefined) return undefined;
  top = 0;
  try {
    if (bytes[0] !== 10 || delimited(bytes, 1, bytes.length) !== bytes.length || bytes[next] !== 10) return undefined;
    const keyEnd = delimited(bytes, next + 1, bytes.length);
    if (bytes[keyEnd] !== 18 || delimited(bytes, keyEnd + 1, bytes.length) !== bytes.length) return undefined;
    const start = next;
    const length = bytes.length - start;
    if (OUT.length < length) {
      OUT = new Uint8Array(2 * length);
      TEXT = Buffer.from(OUT.buffer);
    }
    value(bytes, start, bytes.length, 0, 0);
    return TEXT.toString('latin1', 0, length);
  } catch (err) {
    if (err === PLAIN) return undefined;
    throw err;
  }
}
