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

/**
 * MessageReader collects one unary call's length-prefixed message (a
 * compressed-flag byte, a 4-byte big-endian length, the bytes) from DATA
 * chunks, refusing a message past `maxBytes` as soon as its prefix arrives.
 */
export class MessageReader {
  readonly #chunks: Buffer[] = [];
  #received = 0;
  #checked = false;

  constructor(readonly maxBytes: number) {}

  /** push adds a chunk; it throws a StatusError once the declared length, or all that came, exceeds maxBytes. */
  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#received += chunk.length;
    if (!this.#checked && this.#received >= 5) {
      this.#checked = true;
      const length = Buffer.concat(this.#chunks, 5).readUInt32BE(1);
      if (length > this.maxBytes) throw tooLarge(`its message is ${length} bytes`, this.maxBytes);
    }
    if (this.#received > this.maxBytes + 10) throw tooLarge(`${this.#received} bytes came`, this.maxBytes);
  }

  /** message returns the one message received; it throws a StatusError for none, a compressed one, a short one or more than one. */
  message(): Buffer {
    const all = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks, this.#received);
    if (all.length === 0) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: no message received');
    if (all.length < 5) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: its message prefix is cut short');
    if (all[0] !== 0) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: it is compressed, and this server takes identity encoding only');
    const length = all.readUInt32BE(1);
    if (all.length < 5 + length) throw new StatusError(GrpcStatus.INTERNAL, 'cannot read the request: its message is shorter than its prefix says');
    if (all.length > 5 + length) throw new StatusError(GrpcStatus.UNIMPLEMENTED, 'cannot read the request: a unary call takes one message, and more came');
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
