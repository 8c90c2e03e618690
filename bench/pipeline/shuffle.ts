/**
 * Part is a piece of an encoded RunFunctionRequest: bytes copied as they are,
 * a field whose message holds map entries somewhere below (its tag and length
 * copied, then its own parts), or the consecutive entries of one map field,
 * written in a new random order each time.
 */
type Part =
  | { kind: 'raw'; start: number; end: number }
  | { kind: 'field'; start: number; end: number; parts: Part[] }
  | { kind: 'map'; items: Part[] };

/** Kind is the message a byte range holds, as far as the shuffle needs to know. */
type Kind = 'request' | 'state' | 'entry' | 'resource' | 'struct' | 'field-entry' | 'value' | 'list';

/** CHILDREN says, per message, which field numbers hold a message to descend into, and which are map entries. */
const CHILDREN: Record<Kind, { into: Partial<Record<number, Kind>>; maps: readonly number[] }> = {
  request: { into: { 2: 'state', 3: 'state', 4: 'struct', 5: 'struct' }, maps: [6, 7, 8, 9] },
  state: { into: { 1: 'resource', 2: 'entry' }, maps: [2] },
  entry: { into: { 2: 'resource' }, maps: [] },
  resource: { into: { 1: 'struct' }, maps: [2] },
  struct: { into: { 1: 'field-entry' }, maps: [1] },
  'field-entry': { into: { 2: 'value' }, maps: [] },
  value: { into: { 5: 'struct', 6: 'list' }, maps: [] },
  list: { into: { 1: 'value' }, maps: [] },
};

/** Cursor reads varints and skips fields: all the shuffle needs of protobuf's wire format. */
class Cursor {
  constructor(readonly bytes: Uint8Array, public pos: number) {}

  varint(): number {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.bytes[this.pos++];
      if (b === undefined) throw new Error('cannot shuffle a request: it ends inside a varint');
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) {
      const len = this.varint();
      this.pos += len;
    }
    else if (wire === 5) this.pos += 4;
    else throw new Error(`cannot shuffle a request: wire type ${wire}`);
  }
}

function parse(bytes: Uint8Array, kind: Kind, start: number, end: number): Part[] {
  const r = new Cursor(bytes, start);
  const { into, maps } = CHILDREN[kind];
  const parts: Part[] = [];
  let group: { field: number; items: Part[] } | undefined;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    let part: Part;
    const child = into[field];
    if (child !== undefined && wire === 2) {
      const len = r.varint();
      const body = r.pos;
      r.pos += len;
      part = { kind: 'field', start: at, end: body, parts: parse(bytes, child, body, body + len) };
    } else {
      r.skip(wire);
      part = { kind: 'raw', start: at, end: r.pos };
    }
    if (maps.includes(field)) {
      if (group?.field !== field) parts.push({ kind: 'map', items: (group = { field, items: [] }).items });
      group.items.push(part);
    } else {
      group = undefined;
      parts.push(part);
    }
  }
  if (r.pos !== end) throw new Error('cannot shuffle a request: a field runs past its message');
  return parts;
}

/**
 * WireShuffler writes one encoded RunFunctionRequest again and again with the
 * entries of every map (google.protobuf.Struct fields, the composed resources,
 * connection details, extra and required resources, credentials) in a new
 * random order each time, as Go's proto.Marshal does without Deterministic:
 * each call carries the same message in different bytes, so that nothing
 * keyed on a request's raw bytes can serve it from a cache. Lists keep their
 * order. The request is parsed once; each write only copies its pieces.
 */
export class WireShuffler {
  readonly #bytes: Uint8Array;
  readonly #parts: Part[];
  readonly #random: () => number;

  constructor(bytes: Uint8Array, random: () => number = Math.random) {
    this.#bytes = bytes;
    this.#parts = parse(bytes, 'request', 0, bytes.length);
    this.#random = random;
  }

  /** next is the request with its map entries in a fresh random order: the same length, the same message. */
  next(): Buffer {
    const out = Buffer.allocUnsafe(this.#bytes.length);
    const pos = this.#write(out, this.#parts, 0);
    if (pos !== out.length) throw new Error(`cannot shuffle a request: wrote ${pos} of ${out.length} bytes`);
    return out;
  }

  #write(out: Buffer, parts: readonly Part[], pos: number): number {
    for (const part of parts) {
      if (part.kind === 'raw') {
        out.set(this.#bytes.subarray(part.start, part.end), pos);
        pos += part.end - part.start;
      } else if (part.kind === 'field') {
        out.set(this.#bytes.subarray(part.start, part.end), pos);
        pos = this.#write(out, part.parts, pos + part.end - part.start);
      } else {
        pos = this.#write(out, this.#shuffled(part.items), pos);
      }
    }
    return pos;
  }

  #shuffled(items: readonly Part[]): Part[] {
    const xs = [...items];
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [xs[i], xs[j]] = [xs[j] as Part, xs[i] as Part];
    }
    return xs;
  }
}

/**
 * ShuffledPool holds `size` encodings of one request, each with its map
 * entries in an order of its own (WireShuffler's), made before anything is
 * measured and handed out in turn. A shuffle costs the load generator about
 * as much CPU as a steady call costs a function, and the generator is one
 * thread sharing the machine's cores with the functions: made during a
 * window, shuffles would bound the runs/s measured and leave the functions
 * idle between calls. Handed out in turn, consecutive calls still come in
 * different orders, as Go's proto.Marshal writes each call afresh, and a
 * function sees one encoding again only `size` calls later.
 */
export class ShuffledPool {
  readonly #encodings: Buffer[];
  #next = 0;

  constructor(bytes: Uint8Array, size: number, random: () => number = Math.random) {
    if (!Number.isInteger(size) || size < 2) throw new Error(`cannot shuffle a request: a pool holds at least 2 encodings, not ${size}`);
    const shuffler = new WireShuffler(bytes, random);
    this.#encodings = Array.from({ length: size }, () => shuffler.next());
  }

  /** next is the pool's next encoding, the first again after the last. */
  next(): Buffer {
    const out = this.#encodings[this.#next] as Buffer;
    this.#next = (this.#next + 1) % this.#encodings.length;
    return out;
  }
}
