import { isObject } from '@scia/api';
import { untouchedEntry } from './lazy-fields.js';
import { canonical, entryValue, fieldOfValue, hashBytes, type Span } from './wire-canonical.js';

/** Remembered is a content a memo has seen (its canonical bytes) and what was derived from it. */
interface Remembered<T> {
  bytes: Uint8Array;
  value: T;
}

const utf8 = new TextEncoder();
/** KEYS caches the UTF-8 bytes of path keys (a handful of names in code). */
const KEYS = new Map<string, Uint8Array>();

function keyBytes(key: string): Uint8Array {
  let bytes = KEYS.get(key);
  if (bytes === undefined) {
    bytes = utf8.encode(key);
    if (KEYS.size < 256) KEYS.set(key, bytes);
  }
  return bytes;
}

/**
 * FieldMemo remembers what `derive` made of the value at a path in a
 * resource decoded lazily (the XR's `status.analysis`), by that value's
 * content: a step that parses a large field on every call parses it again
 * only when it changed. The content is read from the request's bytes without
 * decoding them, whatever order Go marshalled its map entries in (each
 * object's entries sorted by key, then compared byte for byte); a value
 * already read or changed, or bytes a decoder would read in a way of its own,
 * is derived afresh each time. `derive` must depend on the value alone and
 * its result must not be changed by the caller (a memo hit returns the same
 * result again; freezeJson it). Object keys in a remembered result keep the
 * order of the call that derived it.
 */
export class FieldMemo<T> {
  readonly #memo = new Map<number, Remembered<T>>();

  /** max bounds how many contents are remembered; the least recently used goes first. */
  constructor(private readonly derive: (value: unknown) => T, private readonly max = 128) {}

  /** at returns derive() of the value at `path` in `obj` (undefined past a missing field or a non-object). */
  at(obj: unknown, ...path: string[]): T {
    const span = valueBytes(obj, path);
    const content = span === undefined ? undefined : canonical(span.b, span.start, span.end);
    if (content === undefined) return this.derive(read(obj, path));
    const hash = hashBytes(content);
    const seen = this.#memo.get(hash);
    if (seen !== undefined && Buffer.from(seen.bytes.buffer, seen.bytes.byteOffset, seen.bytes.length).equals(content)) {
      this.#memo.delete(hash);
      this.#memo.set(hash, seen);
      return seen.value;
    }
    const bytes = content.slice();
    const value = this.derive(read(obj, path));
    this.#memo.delete(hash);
    this.#memo.set(hash, { bytes, value });
    if (this.#memo.size > this.max) this.#memo.delete(this.#memo.keys().next().value as number);
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
function valueBytes(obj: unknown, path: readonly string[]): (Span & { b: Uint8Array }) | undefined {
  let cur = obj;
  let b: Uint8Array | undefined;
  let at: Span | undefined;
  for (const key of path) {
    if (b !== undefined && at !== undefined) {
      const field = fieldOfValue(b, at.start, at.end, keyBytes(key));
      if (field === undefined || field === 'absent') return undefined;
      at = field;
      continue;
    }
    if (!isObject(cur)) return undefined;
    const entry = untouchedEntry(cur, key);
    if (entry === undefined) {
      cur = cur[key];
      continue;
    }
    at = entryValue(entry);
    if (at === undefined) return undefined;
    b = entry;
  }
  return b === undefined || at === undefined ? undefined : { b, ...at };
}
