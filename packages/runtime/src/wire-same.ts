/*
 * Reading google.protobuf.Struct bytes without decoding them: fieldAt, and
 * the one varint reader KeptJson (wire-kept.ts), contentHash
 * (wire-content-hash.ts) and passBack (wire-state-raw.ts) share. Together they tell whether a field holds the
 * same JSON as before whatever order Go marshalled its map entries in:
 * fieldAt finds its bytes, contentHash buckets them, KeptJson compares.
 */

/** MAX_ENTRIES bounds the entries of one Struct compared (matching keys costs their product): a larger Struct is not kept. */
export const MAX_ENTRIES = 256;
/** MAX_NESTING bounds how deep the comparison goes, past the decoders' own depth limit. */
export const MAX_NESTING = 128;

/**
 * fieldAt returns the Value bytes at `path` in the Struct `struct` (each
 * step a field of the object the one before holds), null when some step's
 * object has no such field, or undefined when it cannot tell: a step's value
 * is not an object, a key is not ASCII, or structField cannot tell for
 * some step. It walks offsets: the only view it makes is the one it returns.
 */
export function fieldAt(struct: Uint8Array, path: readonly string[]): Uint8Array | null | undefined {
  let start = 0;
  let end = struct.length;
  for (let i = 0; i < path.length; i++) {
    if (i > 0) {
      // The Value must hold a Struct and nothing else.
      if (struct[start] !== 42) return undefined;
      start = innerOf(struct, start, end);
      if (start < 0) return undefined;
    }
    const key = path[i] as string;
    if (!ascii(key)) return undefined;
    const found = structField(struct, start, end, key);
    if (found !== 1) return found === 0 ? null : undefined;
    start = fieldStart;
    end = fieldEnd;
  }
  return struct.subarray(start, end);
}

/** fieldStart and fieldEnd bound the Value structField found last. */
let fieldStart = 0;
let fieldEnd = 0;

/**
 * structField finds the Value of field `key` of the Struct at [start, end)
 * (the bytes of an object value the decoders read as that object): 1, its
 * bounds in fieldStart and fieldEnd; 0 when it has no such field; -1 when it
 * cannot tell: the key twice (the decoders keep the last), bytes it cannot
 * follow strictly (an entry laid out other than key then Value), or a Value
 * it would read differently from them (one with no field, or a field the
 * decoders refuse before any they read). It reads no value but the first tag
 * of each, and allocates nothing.
 */
function structField(b: Uint8Array, start: number, end: number, key: string): number {
  let found = 0;
  let p = start;
  while (p < end) {
    if (!readEntry(b, p, end) || !plainValue(b, LAST_ENTRY.valueStart, LAST_ENTRY.end)) return -1;
    if (LAST_ENTRY.keyEnd - LAST_ENTRY.keyStart === key.length && keyIs(b, LAST_ENTRY.keyStart, key)) {
      if (found === 1) return -1;
      found = 1;
      fieldStart = LAST_ENTRY.valueStart;
      fieldEnd = LAST_ENTRY.end;
    }
    p = LAST_ENTRY.end;
  }
  return found;
}

function ascii(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) >= 0x80) return false;
  return true;
}

function keyIs(b: Uint8Array, start: number, key: string): boolean {
  for (let i = 0; i < key.length; i++) if (b[start + i] !== key.charCodeAt(i)) return false;
  return true;
}

/** plainValue tells whether a Value's first field is one the decoders read (null, number, string, bool, Struct or list), as every encoder writes one. */
function plainValue(b: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  const tag = b[start];
  return tag === 8 || tag === 17 || tag === 26 || tag === 32 || tag === 42 || tag === 50;
}

/** LAST_ENTRY bounds the Struct entry readEntry read last: its key's bytes, its Value's, and where it ends (the Value's end). */
export const LAST_ENTRY = { keyStart: 0, keyEnd: 0, valueStart: 0, end: 0 };

/**
 * readEntry reads the Struct entry at `p` of a Struct ending at `end` into
 * LAST_ENTRY: its tag and length, then exactly a key and a Value, as every encoder
 * writes one; false for bytes it cannot follow strictly.
 */
export function readEntry(b: Uint8Array, p: number, end: number): boolean {
  if (b[p] !== 10) return false;
  const entryLen = varint(b, p + 1, end);
  const entryEnd = at + entryLen;
  if (entryLen < 0 || entryEnd > end || b[at] !== 10) return false;
  const keyLen = varint(b, at + 1, entryEnd);
  const keyStart = at;
  const keyEnd = at + keyLen;
  if (keyLen < 0 || keyEnd >= entryEnd || b[keyEnd] !== 18) return false;
  const valueLen = varint(b, keyEnd + 1, entryEnd);
  if (valueLen < 0 || at + valueLen !== entryEnd) return false;
  LAST_ENTRY.keyStart = keyStart;
  LAST_ENTRY.keyEnd = keyEnd;
  LAST_ENTRY.valueStart = at;
  LAST_ENTRY.end = entryEnd;
  return true;
}

/** readItem reads the list item at `p` of a list ending at `end`: where its Value ends (varintEnd() is where it starts), or -1 for bytes it cannot follow. */
export function readItem(b: Uint8Array, p: number, end: number): number {
  if (b[p] !== 10) return -1;
  const len = varint(b, p + 1, end);
  return len < 0 || at + len > end ? -1 : at + len;
}

/** innerOf returns where the content of the Value at [start, end) starts when the Value is exactly one Struct or list field (its tag at `start`), or -1. */
export function innerOf(b: Uint8Array, start: number, end: number): number {
  const len = varint(b, start + 1, end);
  return len < 0 || at + len !== end ? -1 : at;
}

/** wellFormedUtf8 tells whether `b[start, end)` is UTF-8 as TextDecoder reads it without a U+FFFD: no overlong form, surrogate or code point past U+10FFFF. */
export function wellFormedUtf8(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; ) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= end) return false;
    const c1 = b[i + 1] as number;
    // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (c1 < lo || c1 > hi) return false;
    for (let k = 2; k <= n; k++) if (((b[i + k] as number) & 0xc0) !== 0x80) return false;
    i += n + 1;
  }
  return true;
}

export function equalBytes(a: Uint8Array, as: number, b: Uint8Array, bs: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}

/** at is where the last varint read ended; varint returns its value, -1 when it runs past `end` or is too long for a length. */
let at = 0;

export function varint(b: Uint8Array, from: number, end: number): number {
  if (from < end) {
    const first = b[from] as number;
    if (first < 0x80) {
      at = from + 1;
      return first;
    }
  }
  let value = 0;
  for (let shift = 0, i = from; shift < 28 && i < end; shift += 7) {
    const byte = b[i++] as number;
    value |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      at = i;
      return value;
    }
  }
  return -1;
}

/** varintEnd is where the last varint read ended. */
export function varintEnd(): number {
  return at;
}
