/**
 * WireWriter writes protobuf in two passes over the same walk: a sizing pass
 * that records, in walk order, the length of every length-delimited field
 * (`reserve` then `fill`), and a writing pass into one buffer of exactly the
 * summed size that reads those lengths back in the same order (`next`). No
 * per-message chunks, forks or copies: one allocation per message encoded.
 */
export class WireWriter {
  #sizes: number[] = [];
  #next = 0;
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  #view = new DataView(this.buf.buffer);

  /** reset starts a new message: the writer is reused, encoding being synchronous. */
  reset(): void {
    this.#sizes = [];
    this.#next = 0;
  }

  /** reserve starts a length-delimited field in the sizing pass and returns its slot. */
  reserve(): number {
    this.#sizes.push(0);
    return this.#sizes.length - 1;
  }

  /** fill records the length of the field reserved at `slot` and returns the bytes it takes with its length prefix. */
  fill(slot: number, len: number): number {
    this.#sizes[slot] = len;
    return varintSize(len) + len;
  }

  /** start ends the sizing pass: `total` bytes are allocated and the lengths are read back from the first. */
  start(total: number): void {
    this.buf = Buffer.allocUnsafe(total);
    this.#view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = 0;
    this.#next = 0;
  }

  /** next writes the length recorded for the next length-delimited field, in walk order. */
  next(): number {
    const len = this.#sizes[this.#next++] ?? 0;
    this.varint(len);
    return len;
  }

  /** finish checks that the writing pass filled the buffer exactly and returns it. */
  finish(): Buffer {
    if (this.pos !== this.buf.length || this.#next !== this.#sizes.length) throw new Error(`cannot encode a response: wrote ${this.pos} of ${this.buf.length} bytes`);
    return this.buf;
  }

  varint(v: number): void {
    const buf = this.buf;
    while (v > 0x7f) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v = v >>> 7;
    }
    buf[this.pos++] = v;
  }

  /** int32 writes an enum or int32 as protobuf does: a negative value as ten bytes. */
  int32(v: number): void {
    if (v >= 0) {
      this.varint(v);
      return;
    }
    // Sign-extended to 64 bits: four groups of the low bits, the fifth with ones above bit 31, four of ones, then bit 63.
    const lo = v >>> 0;
    const buf = this.buf;
    for (let i = 0; i < 4; i++) buf[this.pos++] = ((lo >>> (7 * i)) & 0x7f) | 0x80;
    buf[this.pos++] = ((lo >>> 28) & 0x0f) | 0xf0;
    for (let i = 0; i < 4; i++) buf[this.pos++] = 0xff;
    buf[this.pos++] = 0x01;
  }

  double(v: number): void {
    this.#view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** string writes `s`, whose UTF-8 length `len` the sizing pass found (utf8Size). */
  string(s: string, len: number): void {
    if (len === s.length && len < 64) {
      const buf = this.buf;
      for (let i = 0; i < len; i++) buf[this.pos + i] = s.charCodeAt(i);
      this.pos += len;
      return;
    }
    this.pos += this.buf.write(s, this.pos, len, 'utf8');
  }
}

/** varintSize is how many bytes `v` (0 to 2^32-1) takes as a varint. */
export function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

/** int32Size is how many bytes an int32 takes: ten when negative. */
export function int32Size(v: number): number {
  if (!Number.isInteger(v) || v > 0x7fffffff || v < -0x80000000) throw new Error(`invalid int32: ${v}`);
  return v < 0 ? 10 : varintSize(v);
}

/** utf8Size is the UTF-8 length of `s` as TextEncoder writes it (a lone surrogate as U+FFFD). */
export function utf8Size(s: string): number {
  const n = s.length;
  if (n < 64) {
    let i = 0;
    while (i < n && s.charCodeAt(i) < 0x80) i++;
    if (i === n) return n;
  }
  return Buffer.byteLength(s, 'utf8');
}
