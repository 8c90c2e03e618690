import { isObject } from '@scia/api';
import { untouchedEntry } from './lazy-fields.js';
import { contentHash } from './wire-content-hash.js';
import { KeptJson } from './wire-kept.js';
import { fieldAt } from './wire-same.js';

/** Remembered is a content a memo has seen (its bytes, kept to compare) and what was derived from it. */
interface Remembered<T> {
  kept: KeptJson;
  value: T;
}

/**
 * FieldMemo remembers what `derive` made of the value at a path in a
 * resource decoded lazily (the XR's `status.analysis`), by that value's
 * content: a step that parses a large field on every call parses it again
 * only when it changed. The content is read from the request's bytes without
 * decoding them, whatever order Go marshalled its map entries in (hashed
 * whatever the order, then compared with KeptJson); a value
 * already read or changed, or bytes a decoder would read in a way of its own,
 * is derived afresh each time. `derive` must depend on the value alone and
 * its result must not be changed by the caller (a memo hit returns the same
 * result again; freezeJson it). Object keys in a remembered result keep the
 * order of the call that derived it.
 */
export class FieldMemo<T> {
  readonly #memo = new Map<number, Remembered<T>>();
  /** #slots holds, per slot a caller named (see atSlot), what it remembered for it last. */
  readonly #slots = new Map<string, Remembered<T>>();

  /** max bounds how many contents are remembered, the least recently used going first, and how many slots, the one set longest ago going first. */
  constructor(private readonly derive: (value: unknown) => T, private readonly max = 128) {}

  /** at returns derive() of the value at `path` in `obj` (undefined past a missing field or a non-object). */
  at(obj: unknown, ...path: string[]): T {
    const bytes = valueBytes(obj, path);
    if (bytes === null) return this.derive(undefined);
    if (bytes === undefined) return this.derive(read(obj, path));
    const seen = this.#remembered(bytes, obj, path);
    return seen === undefined ? this.derive(read(obj, path)) : seen.value;
  }

  /**
   * atSlot is at(obj, ...path), first comparing the value with the one this
   * memo returned for `slot` last (a key the caller picks for the resource
   * it reads, such as the XR's uid): a value the same as that call's is
   * compared once and not hashed. A slot is only a place to look first; the
   * value is always compared, so two resources sharing a slot read right.
   */
  atSlot(slot: string, obj: unknown, ...path: string[]): T {
    const bytes = valueBytes(obj, path);
    if (bytes === null) return this.derive(undefined);
    if (bytes === undefined) return this.derive(read(obj, path));
    const last = this.#slots.get(slot);
    if (last !== undefined && last.kept.same(bytes)) return last.value;
    const seen = this.#remembered(bytes, obj, path);
    if (seen === undefined) return this.derive(read(obj, path));
    lru(this.#slots, slot, seen, this.max);
    return seen.value;
  }

  /** #remembered finds the content of `bytes` among those remembered, or derives and remembers it; undefined for bytes it cannot key (derive then). */
  #remembered(bytes: Uint8Array, obj: unknown, path: readonly string[]): Remembered<T> | undefined {
    const hash = contentHash(bytes);
    if (hash === undefined) return undefined;
    const seen = this.#memo.get(hash);
    if (seen !== undefined && seen.kept.same(bytes)) {
      lru(this.#memo, hash, seen, this.max);
      return seen;
    }
    const kept = KeptJson.keep(bytes, 'value');
    if (kept === undefined) return undefined;
    const fresh = { kept, value: this.derive(read(obj, path)) };
    lru(this.#memo, hash, fresh, this.max);
    return fresh;
  }

  /** size is how many contents are remembered. */
  get size(): number {
    return this.#memo.size;
  }
}

/** lru sets `key` as the most recently used entry of `map`, dropping the least recently used past `max`. */
function lru<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
}

function read(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/**
 * valueBytes finds the undecoded bytes of the Value at `path`: through fields
 * read, then in the bytes of the first one not read; null when those bytes
 * tell that the field is absent (the value is undefined, nothing to read),
 * undefined when there are none or they cannot tell.
 */
function valueBytes(obj: unknown, path: readonly string[]): Uint8Array | null | undefined {
  let cur = obj;
  for (let i = 0; i < path.length; i++) {
    if (!isObject(cur)) return undefined;
    const key = path[i] as string;
    const entry = untouchedEntry(cur, key);
    // A Struct entry's bytes are a Struct of one entry: the rest of the path is found in them.
    if (entry !== undefined) return fieldAt(entry, i === 0 ? path : path.slice(i));
    cur = cur[key];
  }
  return undefined;
}
