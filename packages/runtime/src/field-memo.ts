import { isObject } from '@scia/api';
import { untouchedEntry } from './lazy-fields.js';
import { canonicalValue, entryValue, fieldOfValue } from './wire-canonical.js';

/** MemoBytes are the bytes of a Value found for a path, not decoded. */
interface MemoBytes {
  b: Uint8Array;
  start: number;
  end: number;
}

/**
 * FieldMemo remembers what `derive` made of the value at a path in a
 * resource decoded lazily (the XR's `status.analysis`), by that value's
 * content: a step that parses a large field on every call parses it again
 * only when it changed. The content is read from the request's bytes without
 * decoding them, whatever order Go marshalled its map entries in; a value
 * already read or changed, or bytes a decoder would read in a way of its own,
 * is derived afresh each time. `derive` must depend on the value alone and
 * its result must not be changed by the caller (a memo hit returns the same
 * result again; freezeJson it). Object keys in a remembered result keep the
 * order of the first call that derived it.
 */
export class FieldMemo<T> {
  readonly #memo = new Map<string, T>();

  /** max bounds how many contents are remembered; the least recently used goes first. */
  constructor(private readonly derive: (value: unknown) => T, private readonly max = 128) {}

  /** at returns derive() of the value at `path` in `obj` (undefined past a missing field or a non-object). */
  at(obj: unknown, ...path: string[]): T {
    const bytes = valueBytes(obj, path);
    const key = bytes === undefined ? undefined : canonicalValue(bytes.b, bytes.start, bytes.end);
    if (key === undefined) return this.derive(read(obj, path));
    const hit = this.#memo.get(key);
    if (hit !== undefined || this.#memo.has(key)) {
      this.#memo.delete(key);
      this.#memo.set(key, hit as T);
      return hit as T;
    }
    const value = this.derive(read(obj, path));
    this.#memo.set(key, value);
    if (this.#memo.size > this.max) this.#memo.delete(this.#memo.keys().next().value as string);
    return value;
  }

  /** size is how many contents are remembered. */
  get size(): number {
    return this.#memo.size;
  }
}

function read(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** valueBytes finds the undecoded bytes of the value at `path`: through fields read, then into the bytes of the first one not read. */
function valueBytes(obj: unknown, path: readonly string[]): MemoBytes | undefined {
  let cur = obj;
  let at: MemoBytes | undefined;
  for (const key of path) {
    if (at !== undefined) {
      const field = fieldOfValue(at.b, at.start, at.end, key);
      if (field === undefined || field === 'absent') return undefined;
      at = { b: at.b, ...field };
      continue;
    }
    if (!isObject(cur)) return undefined;
    const entry = untouchedEntry(cur, key);
    if (entry === undefined) {
      cur = cur[key];
      continue;
    }
    const value = entryValue(entry);
    if (value === undefined) return undefined;
    at = { b: entry, ...value };
  }
  return at;
}
