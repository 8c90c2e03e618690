import { GrpcStatus, StatusError } from './h2-wire.js';

/**
 * RequestMessage collects one unary call's length-prefixed message from its
 * DATA payloads with one copy at most: once the 5-byte prefix is read, the
 * message's bytes go into one buffer of the length it declares. A message
 * that comes whole in one payload is kept as a view of it, not copied. It
 * answers as the lean server's MessageReader does: RESOURCE_EXHAUSTED once the
 * declared length, or all that came, is past `maxBytes`; INTERNAL for no
 * message, a cut prefix, a compressed or short message; UNIMPLEMENTED for
 * more than one message.
 */
export class RequestMessage {
  /** flag and declared are the prefix's compressed-flag byte and length, read as its bytes come. */
  #flag = 0;
  #declared = 0;
  #received = 0;
  /** length is the declared message length, once the prefix is whole. */
  #length = -1;
  #bytes: Buffer | undefined;

  constructor(readonly maxBytes: number) {}

  /** push adds a DATA payload; it throws a StatusError once the declared length, or all that came, exceeds maxBytes. */
  push(payload: Buffer): void {
    const start = this.#received; // where payload[0] falls in the call's bytes, prefix included
    this.#received += payload.length;
    for (let at = start; at < 5 && at - start < payload.length; at++) {
      const byte = payload[at - start] as number;
      if (at === 0) this.#flag = byte;
      else this.#declared = this.#declared * 256 + byte;
    }
    if (this.#received > this.maxBytes + 10) throw tooLarge(`${this.#received} bytes came`, this.maxBytes);
    if (this.#length < 0) {
      if (this.#received < 5) return;
      this.#length = this.#declared;
      if (this.#length > this.maxBytes) throw tooLarge(`its message is ${this.#length} bytes`, this.maxBytes);
      if (this.#flag !== 0) return; // compressed: refused at the end, so nothing is kept
      if (start === 0 && payload.length >= 5 + this.#length) {
        this.#bytes = payload.subarray(5, 5 + this.#length);
        return;
      }
      this.#bytes = Buffer.allocUnsafe(this.#length);
    }
    // The message's bytes [from, to) that this payload holds; bytes past the message only count (more than one message).
    const bytes = this.#bytes;
    if (bytes === undefined) return;
    const from = Math.max(start, 5) - 5;
    const to = Math.min(this.#received, 5 + this.#length) - 5;
    if (to > from) payload.copy(bytes, from, from + 5 - start, to + 5 - start);
  }

  /** message returns the one message received; it throws a StatusError for none, a compressed one, a short one or more than one. */
  message(): Buffer {
    if (this.#received === 0) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: no message received');
    if (this.#received < 5) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: its message prefix is cut short');
    if (this.#flag !== 0) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: it is compressed, and this server takes identity encoding only');
    if (this.#received < 5 + this.#length) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: its message is shorter than its prefix says');
    if (this.#received > 5 + this.#length) throw new StatusError(GrpcStatus.UNIMPLEMENTED, 'cannot read the request: a unary call takes one message, and more came');
    return this.#bytes as Buffer;
  }
}

function tooLarge(what: string, max: number): StatusError {
  return new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, `cannot read the request: ${what}, more than the ${max} this server takes`);
}
