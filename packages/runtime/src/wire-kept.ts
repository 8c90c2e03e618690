import { LAST_ENTRY, equalBytes, innerOf, MAX_ENTRIES, MAX_NESTING, readEntry, readItem, varintEnd, wellFormedUtf8 } from './wire-same.js';

const STRUCT = 1;
const LIST = 2;
/** ENTRY and ITEM are how many numbers describe a Struct entry (key start, key end, Value start, Value end, key hash, child) and a list item (Value start, Value end, child). */
const ENTRY = 6;
const ITEM = 3;

/**
 * KeptJson is an encoded google.protobuf.Struct or Value kept to be compared
 * with later encodings (Go writes map entries in a random order on every
 * call): a copy of its bytes, and where each entry and item lies in them,
 * read once, so that a comparison walks only the encoding it is given.
 * `same` is true when the other encoding holds the same JSON at every depth:
 * each Struct the same keys, each once, with values that are the same byte for
 * byte or, for a Struct or list, the same in turn (a list's items in order).
 * Whatever decodes one (the SDK or the lazy decoder) then reads the other as
 * the same value and refuses it for the same reasons. Bytes it cannot follow
 * strictly (a key twice or not UTF-8, an entry laid out other than key then
 * Value, a Struct of more than MAX_ENTRIES entries) are not kept, or are not
 * the same: false means "read it afresh", never "it changed". A Struct entry's
 * bytes (tag and length included, as untouchedEntry returns them) are a
 * Struct of one entry, so entries compare too.
 */
export class KeptJson {
  /** marks holds, per entry of the index, the comparison that matched it last (entries are matched once per comparison). */
  readonly #marks: Int32Array;
  #stamp = 0;

  private constructor(
    readonly bytes: Uint8Array,
    readonly root: 'struct' | 'value',
    readonly index: Int32Array,
    /** top is the index node of the whole: -1 for a Value that is neither a Struct nor a list (compared byte for byte). */
    readonly top: number,
  ) {
    this.#marks = new Int32Array(index.length);
  }

  /** keep indexes a copy of `bytes` (a Struct, or a Value), or returns undefined for bytes it cannot follow strictly. */
  static keep(bytes: Uint8Array, root: 'struct' | 'value'): KeptJson | undefined {
    // A copy of its own, whatever `bytes` is a view of: a Buffer's slice() is a view, which would keep (and follow any reuse of) the whole request.
    const copy = new Uint8Array(bytes);
    const out: number[] = [];
    const top = root === 'struct' ? indexStruct(copy, 0, copy.length, out, 0) : indexValue(copy, 0, copy.length, out, 0);
    if (top === undefined) return undefined;
    return new KeptJson(copy, root, Int32Array.from(out), top);
  }

  /** same tells whether `other` (of the same root) holds the same JSON as the bytes kept. */
  same(other: Uint8Array): boolean {
    this.#stamp = this.#stamp === 0x7fffffff ? 1 : this.#stamp + 1;
    if (this.top < 0) return other.length === this.bytes.length && equalBytes(this.bytes, 0, other, 0, other.length);
    if (this.root === 'struct') return this.#struct(this.top, other, 0, other.length);
    return this.#value(this.top, 0, this.bytes.length, other, 0, other.length);
  }

  /** #value compares a kept Value at [ks, ke) with `b`'s at [bs, be): the same bytes, or the same Struct or list as its child node. */
  #value(child: number, ks: number, ke: number, b: Uint8Array, bs: number, be: number): boolean {
    if (child < 0) return ke - ks === be - bs && equalBytes(this.bytes, ks, b, bs, be - bs);
    const kind = this.index[child];
    if (b[bs] !== (kind === STRUCT ? 42 : 50)) return false;
    const start = innerOf(b, bs, be);
    if (start < 0) return false;
    return kind === STRUCT ? this.#struct(child, b, start, be) : this.#list(child, b, start, be);
  }

  #struct(node: number, b: Uint8Array, bs: number, be: number): boolean {
    const ix = this.index;
    const n = ix[node + 1] as number;
    let count = 0;
    for (let p = bs; p < be; count++) {
      if (count === n || !readEntry(b, p, be)) return false;
      const valueStart = LAST_ENTRY.valueStart;
      const entryEnd = LAST_ENTRY.end;
      const e = this.#find(node, n, b, LAST_ENTRY.keyStart, LAST_ENTRY.keyEnd - LAST_ENTRY.keyStart);
      if (e < 0) return false;
      if (!this.#value(ix[e + 5] as number, ix[e + 2] as number, ix[e + 3] as number, b, valueStart, entryEnd)) return false;
      p = entryEnd;
    }
    return count === n;
  }

  /** #find returns the entry of `node` whose key is `b`'s at [keyStart, keyStart + keyLen), marking it matched; -1 when none is, or it was matched already (a key twice). */
  #find(node: number, n: number, b: Uint8Array, keyStart: number, keyLen: number): number {
    const ix = this.index;
    const hash = keyHash(b, keyStart, keyLen);
    for (let e = node + 2, i = 0; i < n; i++, e += ENTRY) {
      if (ix[e + 4] !== hash || (ix[e + 1] as number) - (ix[e] as number) !== keyLen || !equalBytes(this.bytes, ix[e] as number, b, keyStart, keyLen)) continue;
      if (this.#marks[e] === this.#stamp) return -1;
      this.#marks[e] = this.#stamp;
      return e;
    }
    return -1;
  }

  #list(node: number, b: Uint8Array, bs: number, be: number): boolean {
    const ix = this.index;
    const n = ix[node + 1] as number;
    let k = 0;
    for (let p = bs, e = node + 2; p < be; k++, e += ITEM) {
      const itemEnd = k === n ? -1 : readItem(b, p, be);
      if (itemEnd < 0) return false;
      if (!this.#value(ix[e + 2] as number, ix[e] as number, ix[e + 1] as number, b, varintEnd(), itemEnd)) return false;
      p = itemEnd;
    }
    return k === n;
  }
}

/** keyHash is a cheap hash of a key's length and its first and last bytes: equal keys have equal hashes; keys are compared byte for byte after. */
function keyHash(b: Uint8Array, start: number, len: number): number {
  return len === 0 ? 0 : (len << 16) ^ ((b[start] as number) << 8) ^ (b[start + len - 1] as number);
}

/** indexStruct appends the node of the Struct at [start, end) to `out` and returns where it starts, or undefined for bytes it cannot follow strictly. */
function indexStruct(b: Uint8Array, start: number, end: number, out: number[], nesting: number): number | undefined {
  if (nesting >= MAX_NESTING) return undefined;
  const node = out.length;
  out.push(STRUCT, 0);
  const keys = new Set<string>();
  for (let p = start; p < end; ) {
    if (out[node + 1] === MAX_ENTRIES || !readEntry(b, p, end)) return undefined;
    const { keyStart, keyEnd, valueStart, end: entryEnd } = LAST_ENTRY;
    // Bytes that are not UTF-8 all read as U+FFFD: two such keys may read as one. Distinct UTF-8 keys read as distinct strings.
    if (!wellFormedUtf8(b, keyStart, keyEnd)) return undefined;
    let key = '';
    for (let i = keyStart; i < keyEnd; i++) key += String.fromCharCode(b[i] as number);
    // A key twice: the decoders keep the last, which depends on order.
    if (keys.has(key)) return undefined;
    keys.add(key);
    out.push(keyStart, keyEnd, valueStart, entryEnd, keyHash(b, keyStart, keyEnd - keyStart), -1);
    out[node + 1] = (out[node + 1] as number) + 1;
    p = entryEnd;
  }
  // The entries lie together, then their children: #find walks the entries in a row.
  for (let i = 0, e = node + 2; i < (out[node + 1] as number); i++, e += ENTRY) {
    const child = indexValue(b, out[e + 2] as number, out[e + 3] as number, out, nesting + 1);
    if (child === undefined) return undefined;
    out[e + 5] = child;
  }
  return node;
}

/** indexValue appends the node of the Value at [start, end) when it is exactly one Struct or list, and returns it; -1 for any other Value (compared byte for byte); undefined for a Struct or list it could not follow. */
function indexValue(b: Uint8Array, start: number, end: number, out: number[], nesting: number): number | undefined {
  const tag = b[start];
  if (tag !== 42 && tag !== 50) return -1;
  const inner = innerOf(b, start, end);
  if (inner < 0) return -1;
  return tag === 42 ? indexStruct(b, inner, end, out, nesting) : indexList(b, inner, end, out, nesting + 1);
}

function indexList(b: Uint8Array, start: number, end: number, out: number[], nesting: number): number | undefined {
  if (nesting >= MAX_NESTING) return undefined;
  const node = out.length;
  out.push(LIST, 0);
  for (let p = start; p < end; ) {
    const itemEnd = readItem(b, p, end);
    if (itemEnd < 0) return undefined;
    out.push(varintEnd(), itemEnd, -1);
    out[node + 1] = (out[node + 1] as number) + 1;
    p = itemEnd;
  }
  for (let i = 0, e = node + 2; i < (out[node + 1] as number); i++, e += ITEM) {
    const child = indexValue(b, out[e] as number, out[e + 1] as number, out, nesting + 1);
    if (child === undefined) return undefined;
    out[e + 2] = child;
  }
  return node;
}
