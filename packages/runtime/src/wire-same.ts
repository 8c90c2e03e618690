/**
 * SCRATCH holds the entries of the Structs being compared, five numbers per
 * entry (key start, key end, Value start, Value end, a hash of the key, and
 * whether it is matched yet), as a stack: each Struct pushes its two lists and
 * pops them when done, so comparing allocates nothing.
 */
const WIDTH = 6;
const USED = 5;
let scratch = new Int32Array(WIDTH * 1024);
let top = 0;

/** MAX_ENTRIES bounds the entries of one Struct compared (matching keys costs their product): a larger Struct counts as different. */
export const MAX_ENTRIES = 256;
/** MAX_NESTING bounds how deep the comparison goes, past the decoders' own depth limit. */
export const MAX_NESTING = 128;

/**
 * sameStruct tells whether two google.protobuf.Struct encodings are the same
 * JSON object whatever order their map entries come in, at every depth (Go
 * writes map entries in a random order on every call): each Struct holds
 * the same keys, each once, with values that are the same byte for byte or,
 * for a Struct or list, the same in turn (a list's items in order). So
 * whatever decodes one, the SDK or the lazy decoder, reads the other as the
 * same value and refuses it for the same reasons. Bytes it cannot follow
 * strictly (a duplicate or non-ASCII key, an entry laid out other than key
 * then Value, a Struct of more than MAX_ENTRIES entries) count as different:
 * false means "read it afresh", never "it changed". A Struct entry's bytes
 * (tag and length included, as untouchedEntry returns them) are a Struct of
 * one entry, so two entries compare too.
 */
export function sameStruct(a: Uint8Array, b: Uint8Array): boolean {
  top = 0;
  return structs(a, 0, a.length, b, 0, b.length, 0);
}

/** sameValue tells whether two google.protobuf.Value encodings are the same JSON value, as sameStruct does for Structs. */
export function sameValue(a: Uint8Array, b: Uint8Array): boolean {
  top = 0;
  return values(a, 0, a.length, b, 0, b.length, 0);
}

/**
 * fieldAt returns the Value bytes at `path` in the Struct `struct` (each
 * step a field of the object the one before holds), null when some step's
 * object has no such field, or undefined when it cannot tell: a step's value
 * is not an object, or structField cannot tell for some step.
 */
export function fieldAt(struct: Uint8Array, path: readonly string[]): Uint8Array | null | undefined {
  let obj = struct;
  let value: Uint8Array | null | undefined = null;
  for (let i = 0; i < path.length; i++) {
    if (i > 0) {
      const inner = onlyStruct(value as Uint8Array);
      if (inner === undefined) return undefined;
      obj = inner;
    }
    value = structField(obj, path[i] as string);
    if (value === null || value === undefined) return value;
  }
  return value;
}

/** onlyStruct returns the Struct a Value holds when that is all it holds, else undefined. */
function onlyStruct(value: Uint8Array): Uint8Array | undefined {
  if (value[0] !== 42) return undefined;
  const len = varint(value, 1, value.length);
  return len >= 0 && at + len === value.length ? value.subarray(at) : undefined;
}

/**
 * structField returns the Value bytes of field `key` of the Struct `struct`
 * (the bytes of an object value the decoders read as that object), null when
 * it has no such field, or undefined when it cannot tell: the key twice (the
 * decoders keep the last), bytes it cannot follow strictly (an entry laid out
 * other than key then Value), or a Value it would read differently from them
 * (one with no field, or a field the decoders refuse before any they read).
 * It reads no value but the first tag of each: it allocates nothing.
 */
function structField(struct: Uint8Array, key: string): Uint8Array | null | undefined {
  let found: Uint8Array | null = null;
  let p = 0;
  const end = struct.length;
  while (p < end) {
    if (struct[p] !== 10) return undefined;
    const entryLen = varint(struct, p + 1, end);
    const entryEnd = at + entryLen;
    if (entryLen < 0 || entryEnd > end || struct[at] !== 10) return undefined;
    const keyLen = varint(struct, at + 1, entryEnd);
    const keyStart = at;
    const keyEnd = at + keyLen;
    if (keyLen < 0 || keyEnd >= entryEnd || struct[keyEnd] !== 18) return undefined;
    const valueLen = varint(struct, keyEnd + 1, entryEnd);
    const valueStart = at;
    if (valueLen < 0 || valueStart + valueLen !== entryEnd || !plainValue(struct, valueStart, entryEnd)) return undefined;
    if (keyLen === key.length && keyIs(struct, keyStart, key)) {
      if (found !== null) return undefined;
      found = struct.subarray(valueStart, entryEnd);
    }
    p = entryEnd;
  }
  return found;
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

function grow(): void {
  const more = new Int32Array(scratch.length * 2);
  more.set(scratch);
  scratch = more;
}

/** entries pushes the entries of the Struct at [start, end) onto SCRATCH and returns how many, or -1 when it cannot follow them strictly. */
function entries(b: Uint8Array, start: number, end: number): number {
  let n = 0;
  let p = start;
  while (p < end) {
    if (b[p] !== 10 || n === MAX_ENTRIES) return -1;
    const entryLen = varint(b, p + 1, end);
    const entryEnd = at + entryLen;
    // The entry: field 1 the key, then field 2 the Value, and nothing else.
    if (entryLen < 0 || entryEnd > end || b[at] !== 10) return -1;
    const keyLen = varint(b, at + 1, entryEnd);
    const keyStart = at;
    const keyEnd = at + keyLen;
    if (keyLen < 0 || keyEnd >= entryEnd || b[keyEnd] !== 18) return -1;
    let hash = keyLen;
    for (let i = keyStart; i < keyEnd; i++) {
      const c = b[i] as number;
      if (c >= 0x80) return -1;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    const valueLen = varint(b, keyEnd + 1, entryEnd);
    if (valueLen < 0 || at + valueLen !== entryEnd) return -1;
    if (top + WIDTH > scratch.length) grow();
    scratch[top] = keyStart;
    scratch[top + 1] = keyEnd;
    scratch[top + 2] = at;
    scratch[top + 3] = entryEnd;
    scratch[top + 4] = hash;
    scratch[top + USED] = 0;
    top += WIDTH;
    n++;
    p = entryEnd;
  }
  return n;
}

function structs(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number, nesting: number): boolean {
  // Not compared byte for byte first: a nested difference would have each level read the same bytes again.
  if (ae - as !== be - bs || nesting >= MAX_NESTING) return false;
  const base = top;
  const n = entries(a, as, ae);
  const same = n >= 0 && entries(b, bs, be) === n && matchEntries(a, base, b, base + WIDTH * n, n, nesting);
  top = base;
  return same;
}

/** matchEntries pairs each entry of `b` with the one entry of `a` of the same key, each used once, and compares their values. */
function matchEntries(a: Uint8Array, aBase: number, b: Uint8Array, bBase: number, n: number, nesting: number): boolean {
  for (let j = bBase; j < bBase + WIDTH * n; j += WIDTH) {
    const bKey = scratch[j] as number;
    const keyLen = (scratch[j + 1] as number) - bKey;
    const hash = scratch[j + 4];
    let found = -1;
    for (let i = aBase; i < bBase; i += WIDTH) {
      if (scratch[i + 4] !== hash) continue;
      const aKey = scratch[i] as number;
      if ((scratch[i + 1] as number) - aKey !== keyLen || !equalBytes(a, aKey, b, bKey, keyLen)) continue;
      // A key twice in `a`, or an entry of `a` matched twice (a key twice in `b`): the decoder keeps the last, which depends on order.
      if (found >= 0 || scratch[i + USED] === 1) return false;
      found = i;
    }
    if (found < 0) return false;
    scratch[found + USED] = 1;
    if (!values(a, scratch[found + 2] as number, scratch[found + 3] as number, b, scratch[j + 2] as number, scratch[j + 3] as number, nesting)) return false;
  }
  return true;
}

/** values compares two google.protobuf.Value encodings: the same bytes, or both exactly one Struct, or one list, that are the same. */
function values(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number, nesting: number): boolean {
  const len = ae - as;
  if (len !== be - bs) return false;
  const tag = a[as];
  if ((tag !== 42 && tag !== 50) || b[bs] !== tag) return equalBytes(a, as, b, bs, len);
  const aLen = varint(a, as + 1, ae);
  if (aLen < 0 || at + aLen !== ae) return false;
  const aStart = at;
  const bLen = varint(b, bs + 1, be);
  if (bLen < 0 || at + bLen !== be) return false;
  return tag === 42 ? structs(a, aStart, ae, b, at, be, nesting + 1) : lists(a, aStart, ae, b, at, be, nesting + 1);
}

/** lists compares two google.protobuf.ListValue encodings item by item, in order. */
function lists(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number, nesting: number): boolean {
  if (nesting >= MAX_NESTING) return false;
  let p = as;
  let q = bs;
  while (p < ae && q < be) {
    if (a[p] !== 10 || b[q] !== 10) return false;
    const aLen = varint(a, p + 1, ae);
    const aStart = at;
    if (aLen < 0 || aStart + aLen > ae) return false;
    const bLen = varint(b, q + 1, be);
    const bStart = at;
    if (bLen < 0 || bStart + bLen > be) return false;
    if (!values(a, aStart, aStart + aLen, b, bStart, bStart + bLen, nesting)) return false;
    p = aStart + aLen;
    q = bStart + bLen;
  }
  return p === ae && q === be;
}
