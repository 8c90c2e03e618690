import { equalBytes, varint, varintEnd } from './wire-same.js';
import { unreadStateFields } from './wire-state.js';

/** delimited reads a length at `pos` and returns where the field it prefixes ends (varintEnd(): where it starts), or -1 past `end`. */
function delimited(b: Uint8Array, pos: number, end: number): number {
  const len = varint(b, pos, end);
  if (len < 0 || varintEnd() + len > end) return -1;
  return varintEnd() + len;
}

const PROTO = '__proto__';

/** asciiKey is the key at `b[start, end)` when it is ASCII and not `__proto__`, else undefined. */
function asciiKey(b: Uint8Array, start: number, end: number): string | undefined {
  let key = '';
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c >= 0x80) return undefined;
    key += String.fromCharCode(c);
  }
  return key === PROTO ? undefined : key;
}

/** seenBefore tells whether the key at `b[start, end)` is one of `keys` (start and end of each, in `b`). */
function seenBefore(b: Uint8Array, start: number, end: number, keys: number[]): boolean {
  for (let i = 0; i < keys.length; i += 2) {
    const from = keys[i] as number;
    if ((keys[i + 1] as number) - from === end - start && equalBytes(b, from, b, start, end - start)) return true;
  }
  return false;
}

/** structOf returns the Struct of the Resource at `b[start, end)`: its bytes, null when it has none, or undefined for a Resource it cannot follow (a Struct twice, a field a Resource does not have). */
function structOf(b: Uint8Array, start: number, end: number): Uint8Array | null | undefined {
  let struct: Uint8Array | null = null;
  for (let pos = start; pos < end; ) {
    const tag = varint(b, pos, end);
    if (tag === 10 || tag === 18) {
      const stop = delimited(b, varintEnd(), end);
      if (stop < 0 || (tag === 10 && struct !== null)) return undefined;
      if (tag === 10) struct = b.subarray(varintEnd(), stop);
      pos = stop;
      continue;
    }
    if (tag !== 24 || varint(b, varintEnd(), end) < 0) return undefined;
    pos = varintEnd();
  }
  return struct;
}

/**
 * untouchedResourceStructs returns the composed resources of a State decoded
 * by decodeRequestLazy whose map no one has read or written (see
 * unreadStateFields): each one's name and the bytes of its Struct, in the
 * order they came, as the map would hold them (a resource without a Struct
 * left out, as observedResources leaves it), without building the map or
 * decoding a Struct. Undefined for any other object, or for entries it
 * cannot tell the decoders' reading of: a name twice (they keep the last),
 * one not ASCII or `__proto__`, an entry other than a name then a Resource,
 * a Resource with a Struct twice or a field the SDK's does not have.
 */
export function untouchedResourceStructs(state: object): Array<[string, Uint8Array]> | undefined {
  const b = unreadStateFields(state);
  if (b === undefined) return undefined;
  const out: Array<[string, Uint8Array]> = [];
  const keys: number[] = [];
  for (let pos = 0; pos < b.length; ) {
    const tag = varint(b, pos, b.length);
    const stop = tag === 10 || tag === 18 ? delimited(b, varintEnd(), b.length) : -1;
    if (stop < 0) return undefined;
    if (tag === 18) {
      // A map entry: its name, then its Resource, exactly.
      if (varint(b, varintEnd(), stop) !== 10) return undefined;
      const keyEnd = delimited(b, varintEnd(), stop);
      if (keyEnd < 0) return undefined;
      const keyStart = varintEnd();
      if (seenBefore(b, keyStart, keyEnd, keys)) return undefined;
      keys.push(keyStart, keyEnd);
      const name = asciiKey(b, keyStart, keyEnd);
      if (name === undefined || varint(b, keyEnd, stop) !== 18 || delimited(b, varintEnd(), stop) !== stop) return undefined;
      const struct = structOf(b, varintEnd(), stop);
      if (struct === undefined) return undefined;
      if (struct !== null) out.push([name, struct]);
    }
    pos = stop;
  }
  return out;
}
