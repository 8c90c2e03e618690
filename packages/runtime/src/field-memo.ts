import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { z } from 'zod';
import { parseAt, type Result } from '@scia/api';
import { untouchedEntry } from './lazy-fields.js';
import { warning } from './response.js';

/** MAX_DEPTH bounds how deep fieldIdentity walks; a deeper value has no identity (it is read). */
const MAX_DEPTH = 64;
/** MAX_ENTRIES bounds the entries of one Struct it sorts (by insertion); a larger Struct has no identity. */
const MAX_ENTRIES = 256;

/** PLAIN is thrown inside the walk when bytes are not in the one form it puts in order: made once, caught at once. */
const PLAIN = new Error('cannot put a value in order: not in the plain form');

/** next is where the last varint read ends: module scratch, read right after each call. */
let next = 0;

function varint(b: Uint8Array, pos: number, end: number): number {
  let value = 0;
  for (let shift = 0; shift <= 28; shift += 7) {
    if (pos >= end) throw PLAIN;
    const byte = b[pos++] as number;
    value += (byte & 0x7f) * 2 ** shift;
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

function copy(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number): void {
  if (to - from > 64) dst.set(src.subarray(from, to), at);
  else for (let i = from; i < to; i++) dst[at++] = src[i] as number;
}

/**
 * value copies the google.protobuf.Value at src[start, end) to dst at `at`,
 * each Struct in it with its entries sorted by key. A Value is taken with
 * exactly one of its fields, a Struct entry as key then value, and a Struct
 * without a repeated key: anything else throws PLAIN.
 */
function value(src: Uint8Array, start: number, end: number, dst: Uint8Array, at: number, depth: number): void {
  if (depth > MAX_DEPTH || start >= end) throw PLAIN;
  const tag = src[start] as number;
  if (tag === 42 || tag === 50) {
    const to = delimited(src, start + 1, end);
    const from = next;
    if (to !== end) throw PLAIN;
    copy(src, start, from, dst, at);
    if (tag === 42) struct(src, from, to, dst, at + (from - start), depth + 1);
    else list(src, from, to, dst, at + (from - start), depth + 1);
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
  copy(src, start, end, dst, at);
}

function list(src: Uint8Array, start: number, end: number, dst: Uint8Array, at: number, depth: number): void {
  let pos = start;
  while (pos < end) {
    if (src[pos] !== 10) throw PLAIN;
    const to = delimited(src, pos + 1, end);
    const from = next;
    copy(src, pos, from, dst, at + (pos - start));
    value(src, from, to, dst, at + (from - start), depth);
    pos = to;
  }
}

/** ENTRIES holds the entries of the Structs being sorted, five numbers each (see struct), the innermost last. */
let ENTRIES = new Int32Array(1024);
let top = 0;

/** keyOrder compares the keys of the entries at e and f of ENTRIES, byte by byte. */
function keyOrder(src: Uint8Array, e: number, f: number): number {
  const a = ENTRIES[e + 1] as number;
  const b = ENTRIES[f + 1] as number;
  const la = (ENTRIES[e + 2] as number) - a;
  const lb = (ENTRIES[f + 2] as number) - b;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const d = (src[a + i] as number) - (src[b + i] as number);
    if (d !== 0) return d;
  }
  return la - lb;
}

/** swap exchanges the entries at e and f of ENTRIES. */
function swap(e: number, f: number): void {
  for (let i = 0; i < 5; i++) {
    const t = ENTRIES[e + i] as number;
    ENTRIES[e + i] = ENTRIES[f + i] as number;
    ENTRIES[f + i] = t;
  }
}

/**
 * struct copies the Struct at src[start, end) to dst at `at`, its entries
 * (each `10 key 18 Value`, nothing else) sorted by key. Each entry is noted
 * in ENTRIES as where it starts, its key's bounds, where its Value starts
 * and where it ends.
 */
function struct(src: Uint8Array, start: number, end: number, dst: Uint8Array, at: number, depth: number): void {
  const base = top;
  let pos = start;
  while (pos < end) {
    if (src[pos] !== 10) throw PLAIN;
    const to = delimited(src, pos + 1, end);
    const from = next;
    if (src[from] !== 10) throw PLAIN;
    const keyEnd = delimited(src, from + 1, to);
    const keyStart = next;
    if (src[keyEnd] !== 18 || delimited(src, keyEnd + 1, to) !== to) throw PLAIN;
    if (top + 5 > ENTRIES.length) {
      if ((top - base) / 5 >= MAX_ENTRIES) throw PLAIN;
      const grown = new Int32Array(ENTRIES.length * 2);
      grown.set(ENTRIES);
      ENTRIES = grown;
    }
    ENTRIES[top] = pos;
    ENTRIES[top + 1] = keyStart;
    ENTRIES[top + 2] = keyEnd;
    ENTRIES[top + 3] = next;
    ENTRIES[top + 4] = to;
    top += 5;
    // Insertion: the entries before are in order; a repeated key has no order, so no identity.
    let e = top - 5;
    for (; e > base; e -= 5) {
      const order = keyOrder(src, e - 5, e);
      if (order === 0) throw PLAIN;
      if (order < 0) break;
      swap(e - 5, e);
    }
    if ((top - base) / 5 > MAX_ENTRIES) throw PLAIN;
    pos = to;
  }
  let out = at;
  for (let e = base; e < top; e += 5) {
    const from = ENTRIES[e] as number;
    const valueStart = ENTRIES[e + 3] as number;
    const to = ENTRIES[e + 4] as number;
    copy(src, from, valueStart, dst, out);
    value(src, valueStart, to, dst, out + (valueStart - from), depth);
    out += to - from;
  }
  top = base;
}

/** SCRATCH holds an identity's bytes while they are made into a string. */
let SCRATCH = Buffer.allocUnsafe(16 * 1024);

/**
 * fieldIdentity returns an identity of field `key` of a lazily decoded object
 * (the observed XR, its status, the request's context) while that field is
 * still undecoded: its Value's bytes with the entries of every Struct in it
 * sorted by key, so the same value with its map entries in another order (Go
 * marshals maps in random order) has the same identity, and two fields with
 * the same identity decode to equal values (up to the order of their keys).
 * Undefined when the field is absent, already read or written, not lazily
 * decoded, or in a form it does not put in order (a repeated key, a Value with
 * more than one field): the caller reads the field then.
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
    if (SCRATCH.length < length) SCRATCH = Buffer.allocUnsafe(2 * length);
    value(bytes, start, bytes.length, SCRATCH, 0, 0);
    return SCRATCH.toString('latin1', 0, length);
  } catch (err) {
    if (err === PLAIN) return undefined;
    throw err;
  }
}

/** plainFrozen returns a deep copy of `value` made of plain objects and arrays, frozen, sharing nothing with what a request decoded. */
function plainFrozen<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map((v: unknown) => plainFrozen(v))) as T;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = plainFrozen((value as Record<string, unknown>)[k]);
  return Object.freeze(out) as T;
}

/**
 * FieldMemo keeps what `parse` made of the last `max` distinct values of a
 * field (by fieldIdentity): a reconcile that sends the same value again, its
 * map entries in any order, gets the same result without the field being
 * decoded or parsed. Results are deep-frozen copies, the same object for the
 * same value: callers may key further memos on them, and must not change them.
 * `parse` must depend on the field's value alone.
 */
export class FieldMemo<T> {
  readonly #results = new Map<string, T>();

  constructor(readonly max = 64) {}

  /** read returns parse(obj[key]), parsed once per distinct value while the field is undecoded (see fieldIdentity). */
  read(obj: unknown, key: string, parse: (value: unknown) => T): T {
    const id = fieldIdentity(obj, key);
    if (id !== undefined) {
      const hit = this.#results.get(id);
      if (hit !== undefined || this.#results.has(id)) return hit as T;
    }
    const raw: unknown = typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
    const parsed = parse(raw);
    if (id === undefined) return parsed;
    const kept = plainFrozen(parsed);
    if (this.#results.size >= this.max) this.#results.delete(this.#results.keys().next().value as string);
    this.#results.set(id, kept);
    return kept;
  }

  /** size is how many results it keeps. */
  get size(): number {
    return this.#results.size;
  }
}

/**
 * readContextOnce is readContext (same results and Warning) with the parse
 * kept in `memo`: the context value at `key`, validated by `schema`, read and
 * validated once per distinct value. The value returned is deep-frozen.
 */
export function readContextOnce<S extends z.ZodType>(
  memo: FieldMemo<Result<z.output<S>> | undefined>,
  req: RunFunctionRequest,
  rsp: RunFunctionResponse,
  key: string,
  schema: S,
  then: string,
): z.output<S> | undefined {
  const parsed = memo.read(req.context, key, (value) => (value === undefined || value === null ? undefined : parseAt(schema, value, `context[${key}]`)));
  if (parsed === undefined) return undefined;
  if (parsed.ok) return parsed.value;
  warning(rsp, `cannot read ${parsed.error}; ${then}`, { reason: 'ContextInvalid', claim: true });
  return undefined;
}
