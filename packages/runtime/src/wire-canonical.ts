/**
 * Reading a google.protobuf.Value's content from its bytes without decoding
 * it: for memo keys that name what a field holds whatever order its map
 * entries came in (Go marshals a Struct's fields in a new random order on
 * every call). Nothing here throws: bytes it cannot follow, or that hold
 * something a decoder would read in a way of its own (a repeated key, an
 * entry without a value, a field it does not know), answer undefined, and
 * the caller decodes the value as usual.
 */

/** Cursor reads varints from `b`; a read past `end` sets `bad`. */
class Cursor {
  pos: number;
  bad = false;

  constructor(readonly b: Uint8Array, start: number, readonly end: number) {
    this.pos = start;
  }

  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.b[this.pos++];
      if (byte === undefined || this.pos > this.end) break;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    this.bad = true;
    return 0;
  }

  /** field reads a length-delimited field's length and returns where it ends (after checking it fits). */
  delimited(): number {
    const len = this.varint();
    const stop = this.pos + len;
    if (stop > this.end) this.bad = true;
    return stop;
  }
}

const latin1 = (b: Uint8Array, start: number, end: number): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', start, end);

/**
 * canonicalValue returns a string that names the content of the Value at
 * `b[start, end)`: two Values with the same string decode to the same JSON,
 * but for the order of object keys (each Struct's entries are sorted by key).
 */
export function canonicalValue(b: Uint8Array, start: number, end: number): string | undefined {
  const c = new Cursor(b, start, end);
  let out = 'V';
  while (c.pos < end) {
    const at = c.pos;
    const tag = c.varint();
    if (tag === 42 || tag === 50) {
      const stop = c.delimited();
      if (c.bad) return undefined;
      const inner = tag === 42 ? canonicalStruct(b, c.pos, stop) : canonicalList(b, c.pos, stop);
      if (inner === undefined) return undefined;
      out += `${inner.length}${tag === 42 ? 'S' : 'L'}${inner}`;
      c.pos = stop;
      continue;
    }
    // Scalars (null, number, string, bool) are their own bytes, tag included.
    if (tag === 8 || tag === 32) c.varint();
    else if (tag === 17) c.pos += 8;
    else if (tag === 26) c.pos = c.delimited();
    else return undefined;
    if (c.bad || c.pos > end) return undefined;
    out += `${c.pos - at}B${latin1(b, at, c.pos)}`;
  }
  return out;
}

function canonicalList(b: Uint8Array, start: number, end: number): string | undefined {
  const c = new Cursor(b, start, end);
  let out = '';
  while (c.pos < end) {
    if (c.varint() !== 10) return undefined;
    const stop = c.delimited();
    if (c.bad) return undefined;
    const item = canonicalValue(b, c.pos, stop);
    if (item === undefined) return undefined;
    out += `${item.length}:${item}`;
    c.pos = stop;
  }
  return out;
}

function canonicalStruct(b: Uint8Array, start: number, end: number): string | undefined {
  const entries: string[] = [];
  const seen = new Set<string>();
  const c = new Cursor(b, start, end);
  while (c.pos < end) {
    if (c.varint() !== 10) return undefined;
    const stop = c.delimited();
    if (c.bad) return undefined;
    const entry = structEntry(b, c.pos, stop);
    if (entry === undefined || seen.has(entry.key)) return undefined;
    seen.add(entry.key);
    const value = canonicalValue(b, entry.valueStart, entry.valueEnd);
    if (value === undefined) return undefined;
    entries.push(`${entry.key.length}:${entry.key}${value.length}:${value}`);
    c.pos = stop;
  }
  return entries.sort().join('');
}

/** Entry is a Struct entry read by structEntry: its key (as latin1 of its UTF-8 bytes) and where its Value lies. */
interface Entry {
  key: string;
  valueStart: number;
  valueEnd: number;
}

/** structEntry reads a Struct entry holding exactly a key, then a Value, as every encoder writes it. */
function structEntry(b: Uint8Array, start: number, end: number): Entry | undefined {
  const c = new Cursor(b, start, end);
  if (c.varint() !== 10) return undefined;
  const keyEnd = c.delimited();
  if (c.bad) return undefined;
  const key = latin1(b, c.pos, keyEnd);
  c.pos = keyEnd;
  if (c.pos >= end || c.varint() !== 18) return undefined;
  const valueEnd = c.delimited();
  if (c.bad || valueEnd !== end) return undefined;
  return { key, valueStart: c.pos, valueEnd };
}

/** entryValue returns where the Value of the Struct entry `entry` (its tag and length included) lies in it. */
export function entryValue(entry: Uint8Array): { start: number; end: number } | undefined {
  const c = new Cursor(entry, 0, entry.length);
  if (c.varint() !== 10) return undefined;
  const stop = c.delimited();
  if (c.bad || stop !== entry.length) return undefined;
  const read = structEntry(entry, c.pos, stop);
  return read === undefined ? undefined : { start: read.valueStart, end: read.valueEnd };
}

/**
 * fieldOfValue finds field `key` of the object the Value at `b[start, end)`
 * holds: its Value's bounds, `absent` when the object has no such field, or
 * undefined when the Value is not just an object or the object is not plain
 * (a repeated key: the decoder's answer is left to it).
 */
export function fieldOfValue(b: Uint8Array, start: number, end: number, key: string): { start: number; end: number } | 'absent' | undefined {
  const c = new Cursor(b, start, end);
  if (c.varint() !== 42) return undefined;
  const stop = c.delimited();
  if (c.bad || stop !== end) return undefined;
  const want = Buffer.from(key, 'utf8').toString('latin1');
  let found: { start: number; end: number } | undefined;
  while (c.pos < stop) {
    if (c.varint() !== 10) return undefined;
    const entryEnd = c.delimited();
    if (c.bad) return undefined;
    const entry = structEntry(b, c.pos, entryEnd);
    if (entry === undefined) return undefined;
    if (entry.key === want) {
      if (found !== undefined) return undefined;
      found = { start: entry.valueStart, end: entry.valueEnd };
    }
    c.pos = entryEnd;
  }
  return found ?? 'absent';
}
