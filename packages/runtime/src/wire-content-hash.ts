import { LAST_ENTRY, innerOf, MAX_ENTRIES, MAX_NESTING, readEntry, readItem, varintEnd } from './wire-same.js';

/**
 * contentHash is a 32-bit hash of the JSON an encoded google.protobuf.Value
 * holds that does not depend on the order of any Struct's entries (each
 * entry's hash is added to its Struct's, a sum in any order): a memo's bucket
 * for many contents, KeptJson.same deciding on a hit. Two Values KeptJson
 * says are the same have the same hash; anything else may share one too.
 * A list's items count in order; any Value that is not exactly one Struct or
 * list is hashed as its bytes, as KeptJson compares it. Undefined for a
 * Struct or list it cannot follow (KeptJson would not keep it either), past
 * MAX_NESTING, or a Struct of more than MAX_ENTRIES entries.
 */
export function contentHash(value: Uint8Array): number | undefined {
  const h = valueHash(value, 0, value.length, 0);
  return h < 0 ? undefined : h;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** BAD is what the walkers answer for bytes they cannot follow; hashes are kept in [0, 2^31). */
const BAD = -1;

function bytesHash(b: Uint8Array, start: number, end: number, seed: number): number {
  let h = seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (b[i] as number), FNV_PRIME);
  return h;
}

/** finish mixes a running hash's bits (so that entry hashes add up without cancelling each other's patterns) into [0, 2^31). */
function finish(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

function valueHash(b: Uint8Array, start: number, end: number, nesting: number): number {
  const tag = b[start];
  if (tag === 42 || tag === 50) {
    const inner = innerOf(b, start, end);
    if (inner >= 0) return tag === 42 ? structHash(b, inner, end, nesting) : listHash(b, inner, end, nesting + 1);
  }
  return finish(bytesHash(b, start, end, FNV_OFFSET));
}

function structHash(b: Uint8Array, start: number, end: number, nesting: number): number {
  if (nesting >= MAX_NESTING) return BAD;
  let sum = 0x2a;
  let n = 0;
  for (let p = start; p < end; n++) {
    if (n === MAX_ENTRIES || !readEntry(b, p, end)) return BAD;
    const { keyStart, keyEnd, end: entryEnd } = LAST_ENTRY;
    const v = valueHash(b, LAST_ENTRY.valueStart, entryEnd, nesting + 1);
    if (v < 0) return BAD;
    sum = (sum + finish(bytesHash(b, keyStart, keyEnd, FNV_OFFSET ^ v))) | 0;
    p = entryEnd;
  }
  return finish(sum ^ Math.imul(n, FNV_PRIME));
}

function listHash(b: Uint8Array, start: number, end: number, nesting: number): number {
  if (nesting >= MAX_NESTING) return BAD;
  let h = 0x32;
  for (let p = start; p < end; ) {
    const itemEnd = readItem(b, p, end);
    if (itemEnd < 0) return BAD;
    const v = valueHash(b, varintEnd(), itemEnd, nesting + 1);
    if (v < 0) return BAD;
    h = Math.imul(h ^ v, FNV_PRIME);
    p = itemEnd;
  }
  return finish(h);
}
