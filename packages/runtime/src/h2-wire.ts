/** GrpcStatus holds the gRPC status codes the lean transport answers with. */
export const GrpcStatus = {
  OK: 0,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** StatusError is a call's failure as a gRPC status: what a unary handler throws to answer with `code`. */
export class StatusError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

const UNITS_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };

/**
 * parseTimeout reads a `grpc-timeout` header (1 to 8 digits and a unit,
 * H M S m u n) as milliseconds: undefined when absent, NaN when malformed.
 */
export function parseTimeout(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = typeof value === 'string' ? /^(\d{1,8})([HMSmun])$/.exec(value) : null;
  if (m === null) return Number.NaN;
  return Number(m[1]) * (UNITS_MS[m[2] as string] as number);
}

/**
 * percentEncode is a `grpc-message` value: the UTF-8 bytes of `message`, each
 * outside printable ASCII (0x20-0x7E) or a `%` written as %XX, as the gRPC
 * HTTP/2 protocol requires.
 */
export function percentEncode(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** isGrpcContentType accepts `application/grpc` and `application/grpc+proto`, with or without parameters. */
export function isGrpcContentType(value: string | undefined): boolean {
  return value !== undefined && /^application\/grpc(\+proto)?(\s*;.*)?$/i.test(value);
}

// A message up to this size is copied into one buffer sized from its prefix as
// its chunks arrive; a larger one (rare) is kept as chunks and joined once at
// the end, so that a prefix alone never makes the server allocate its length.
const ASSEMBLE_BYTES = 4 * 1024 * 1024;

/**
 * MessageReader collects one unary call's length-prefixed message (a
 * compressed-flag byte, a 4-byte big-endian length, the bytes) from DATA
 * chunks, refusing a message past `maxBytes` as soon as its prefix arrives.
 * It copies each byte once: a message that comes in one chunk is not copied,
 * one in several is copied into a buffer sized from its prefix.
 */
export class MessageReader {
  #chunks: Buffer[] = [];
  #received = 0;
  /** #flag and #length are the prefix's, once 5 bytes came (-1 before). */
  #flag = -1;
  #length = -1;
  #whole: Buffer | undefined;

  constructor(readonly maxBytes: number) {}

  /** push adds a chunk; it throws a StatusError once the declared length, or all that came, exceeds maxBytes. */
  push(chunk: Buffer): void {
    const at = this.#received;
    this.#received += chunk.length;
    const whole = this.#whole;
    if (whole !== undefined) {
      if (at < whole.length) chunk.copy(whole, at, 0, Math.min(chunk.length, whole.length - at));
    } else {
      this.#chunks.push(chunk);
      if (this.#length < 0 && this.#received >= 5) this.#readPrefix();
    }
    if (this.#received > this.maxBytes + 10) throw tooLarge(`${this.#received} bytes came`, this.maxBytes);
  }

  #readPrefix(): void {
    const first = this.#chunks[0] as Buffer;
    const head = first.length >= 5 ? first : Buffer.concat(this.#chunks, 5);
    this.#flag = head[0] as number;
    this.#length = head.readUInt32BE(1);
    if (this.#length > this.maxBytes) throw tooLarge(`its message is ${this.#length} bytes`, this.maxBytes);
    const size = 5 + this.#length;
    if (size > ASSEMBLE_BYTES || (this.#chunks.length === 1 && this.#received >= size)) return;
    const whole = Buffer.allocUnsafe(size);
    let at = 0;
    for (const c of this.#chunks) at += c.copy(whole, at, 0, Math.min(c.length, size - at));
    this.#whole = whole;
    this.#chunks = [];
  }

  /** message returns the one message received; it throws a StatusError for none, a compressed one, a short one or more than one. */
  message(): Buffer {
    const received = this.#received;
    if (received === 0) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: no message received');
    if (received < 5) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: its message prefix is cut short');
    if (this.#flag !== 0) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: it is compressed, and this server takes identity encoding only');
    if (received < 5 + this.#length) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: its message is shorter than its prefix says');
    if (received > 5 + this.#length) throw new StatusError(GrpcStatus.UNIMPLEMENTED, 'cannot read the request: a unary call takes one message, and more came');
    if (this.#whole !== undefined) return this.#whole.subarray(5);
    const all = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks, received);
    return all.subarray(5);
  }
}

function tooLarge(what: string, max: number): StatusError {
  return new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, `cannot read the request: ${what}, more than the ${max} this server takes`);
}

/** prefix is the 5 bytes before an uncompressed message of `length` bytes: its flag and length. */
export function prefix(length: number): Buffer {
  const out = Buffer.allocUnsafe(5);
  out[0] = 0;
  out.writeUInt32BE(length, 1);
  return out;
}
