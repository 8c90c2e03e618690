/* Reading google.protobuf.Struct bytes without decoding them: fieldAt, and the helpers KeptJson (wire-kept.ts) shares. */

/** MAX_ENTRIES bounds the entries of one Struct compared (matching keys costs their product): a larger Struct is not kept. */
export const MAX_ENTRIES = 256;
/** MAX_NESTING bounds how deep the comparison goes, past the decoders' own depth limit. */
export const MAX_NESTING = 128;

/**
 * fieldAt returns the Value bytes at `path` in the Struct `struct` (each
 * step a field of the object the one before holds), null when some step's
 * object has no such field, or undefined when it cannot tell: a step's value
 * is not an object, or structField cannot tell for some step. It walks
 * offsets: the only view it makes is the one it returns.
 */
export function fieldAt(struct: Uint8Array, path: readonly string[]): Uint8Array | null | undefined {
  let start = 0;
  let end = struct.length;
  for (let i = 0; i < path.length; i++) {
    if (i > 0) {
      // The Value must hold a Struct and nothing else.
      if (struct[start] !== 42) return undefined;
      const len = varint(struct, start + 1, end);
      if (len < 0 || at + len !== end) return undefined;
      start = at;
    }
    const found = structField(struct, start, end, path[i] as string);
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
    if (b[p] !== 10) return -1;
    const entryLen = varint(b, p + 1, end);
    const entryEnd = at + entryLen;
    if (entryLen < 0 || entryEnd > end || b[at] !== 10) return -1;
    const keyLen = varint(b, at + 1, entryEnd);
    const keyStart = at;
    const keyEnd = at + keyLen;
    if (keyLen < 0 || keyEnd >= entryEnd || b[keyEnd] !== 18) return -1;
    const valueLen = varint(b, keyEnd + 1, entryEnd);
    const valueStart = at;
    if (valueLen < 0 || valueStart + valueLen !== entryEnd || !plainValue(b, valueStart, entryEnd)) return -1;
    if (keyLen === key.length && keyIs(b, keyStart, key)) {
      if (found === 1) return -1;
      found = 1;
      fieldStart = valueStart;
      fieldEnd = entryEnd;
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
