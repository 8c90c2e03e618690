/** The HTTP/2 frame types this server reads or writes (RFC 9113 §6); any other type is ignored. */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

/** Flag bits (RFC 9113 §6). */
export const Flag = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;

/** H2Error holds the error codes of RST_STREAM and GOAWAY (RFC 9113 §7). */
export const H2Error = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  ENHANCE_YOUR_CALM: 0xb,
} as const;

/** Setting identifiers (RFC 9113 §6.5.2). */
export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** PREFACE is the client connection preface every HTTP/2 connection starts with. */
export const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export const FRAME_HEADER_BYTES = 9;
/** DEFAULT_FRAME_SIZE is SETTINGS_MAX_FRAME_SIZE's initial value, the largest frame either side takes until told otherwise. */
export const DEFAULT_FRAME_SIZE = 16_384;
/** DEFAULT_WINDOW is the initial flow-control window of a connection and of a stream (RFC 9113 §6.9.2). */
export const DEFAULT_WINDOW = 65_535;
export const MAX_WINDOW = 2 ** 31 - 1;

/** ConnectionError is a fault that ends the whole connection with GOAWAY and `code`. */
export class ConnectionError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** frameHeader is the 9 bytes before a frame's payload. */
export function frameHeader(length: number, type: number, flags: number, streamId: number): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  out.writeUIntBE(length, 0, 3);
  out[3] = type;
  out[4] = flags;
  out.writeUInt32BE(streamId, 5);
  return out;
}

/** frame is a whole frame, header and payload, in one buffer. */
export function frame(type: number, flags: number, streamId: number, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  out.writeUIntBE(payload.length, 0, 3);
  out[3] = type;
  out[4] = flags;
  out.writeUInt32BE(streamId, 5);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** settingsFrame announces `settings` (identifier, value pairs). */
export function settingsFrame(settings: readonly (readonly [number, number])[]): Buffer {
  const payload = Buffer.allocUnsafe(6 * settings.length);
  settings.forEach(([id, value], i) => {
    payload.writeUInt16BE(id, 6 * i);
    payload.writeUInt32BE(value, 6 * i + 2);
  });
  return frame(FrameType.SETTINGS, 0, 0, payload);
}

/** windowUpdateFrame grants the peer `increment` more bytes on `streamId` (0: the connection). */
export function windowUpdateFrame(streamId: number, increment: number): Buffer {
  const payload = Buffer.allocUnsafe(4);
  payload.writeUInt32BE(increment, 0);
  return frame(FrameType.WINDOW_UPDATE, 0, streamId, payload);
}

/** rstStreamFrame ends `streamId` with `code`. */
export function rstStreamFrame(streamId: number, code: number): Buffer {
  const payload = Buffer.allocUnsafe(4);
  payload.writeUInt32BE(code, 0);
  return frame(FrameType.RST_STREAM, 0, streamId, payload);
}

/** goawayFrame tells the peer that no stream past `lastStreamId` was or will be processed, with `code` and a reason as debug data. */
export function goawayFrame(lastStreamId: number, code: number, reason = ''): Buffer {
  const debug = Buffer.from(reason.slice(0, 256), 'utf8');
  const payload = Buffer.allocUnsafe(8 + debug.length);
  payload.writeUInt32BE(lastStreamId, 0);
  payload.writeUInt32BE(code, 4);
  debug.copy(payload, 8);
  return frame(FrameType.GOAWAY, 0, 0, payload);
}

/** FrameSink takes each whole frame: its type, flags, stream (reserved bit cleared) and payload (a view into the received bytes). */
export type FrameSink = (type: number, flags: number, streamId: number, payload: Buffer) => void;

/**
 * FrameReader cuts a connection's received bytes into frames: first the
 * client preface, then frames of at most `maxFrameSize` payload bytes. A
 * payload is a view into the chunk it came in when it came whole; a frame
 * split across chunks is copied once, into a buffer of its length allocated
 * when its header is read. It throws a ConnectionError for a wrong preface or
 * an oversized frame (FRAME_SIZE_ERROR), before buffering its payload.
 */
export class FrameReader {
  /** head holds a preface or frame header cut across chunks (headLength bytes of it so far). */
  readonly #head = Buffer.alloc(PREFACE.length);
  #headLength = 0;
  #preface = true;
  /** payload is the frame being filled across chunks: its header fields, and `filled` bytes of it so far. */
  #payload: { type: number; flags: number; streamId: number; bytes: Buffer; filled: number } | undefined;

  constructor(readonly maxFrameSize: number, readonly sink: FrameSink) {}

  /** push reads `chunk`, calling the sink for every frame it completes. */
  push(chunk: Buffer): void {
    let pos = 0;
    if (this.#preface) {
      pos = this.#fillHead(chunk, 0, PREFACE.length);
      if (this.#headLength < PREFACE.length) return;
      if (!this.#head.equals(PREFACE)) throw new ConnectionError(0x1, 'cannot read the connection: it does not start with the HTTP/2 preface');
      this.#preface = false;
      this.#headLength = 0;
    }
    while (pos < chunk.length) {
      const partial = this.#payload;
      if (partial !== undefined) {
        const take = Math.min(partial.bytes.length - partial.filled, chunk.length - pos);
        chunk.copy(partial.bytes, partial.filled, pos, pos + take);
        partial.filled += take;
        pos += take;
        if (partial.filled < partial.bytes.length) return;
        this.#payload = undefined;
        this.sink(partial.type, partial.flags, partial.streamId, partial.bytes);
        continue;
      }
      let header = chunk;
      let at = pos;
      if (this.#headLength > 0 || chunk.length - pos < FRAME_HEADER_BYTES) {
        pos = this.#fillHead(chunk, pos, FRAME_HEADER_BYTES);
        if (this.#headLength < FRAME_HEADER_BYTES) return;
        this.#headLength = 0;
        header = this.#head;
        at = 0;
      } else pos += FRAME_HEADER_BYTES;
      const length = header.readUIntBE(at, 3);
      if (length > this.maxFrameSize) throw new ConnectionError(0x6, `cannot read a frame of ${length} bytes: past the ${this.maxFrameSize} announced`);
      const type = header[at + 3] as number;
      const flags = header[at + 4] as number;
      const streamId = header.readUInt32BE(at + 5) & 0x7fffffff;
      if (chunk.length - pos >= length) {
        this.sink(type, flags, streamId, chunk.subarray(pos, pos + length));
        pos += length;
      } else this.#payload = { type, flags, streamId, bytes: Buffer.allocUnsafe(length), filled: 0 };
    }
  }

  /** fillHead copies from `chunk` at `pos` into head until it holds `size` bytes or the chunk ends; it returns the new position. */
  #fillHead(chunk: Buffer, pos: number, size: number): number {
    const take = Math.min(size - this.#headLength, chunk.length - pos);
    chunk.copy(this.#head, this.#headLength, pos, pos + take);
    this.#headLength += take;
    return pos + take;
  }
}
