import { encodeHeaders } from './h2-hpack.js';
import { Flag, frame, frameHeader, FrameType, H2Error, rstStreamFrame } from './h2-frames.js';
import { percentEncode, prefix } from './h2-wire.js';

/** StreamHost is what a stream needs of its connection: the peer's frame size and connection window, and a way to write and to report. */
export interface StreamHost {
  readonly peerMaxFrameSize: number;
  /** sendWindow is the connection's flow-control window: what DATA the peer takes now on all streams together. */
  sendWindow: number;
  /** write sends frames in one socket write (corked). */
  write(buffers: Buffer[]): void;
  /** blocked says that `stream` has DATA waiting for window. */
  blocked(stream: OutboundStream): void;
  /** ended says that `stream` sent its last frame (END_STREAM or RST_STREAM): it no longer takes or sends anything. */
  ended(stream: OutboundStream): void;
}

const OK_HEADERS = encodeHeaders([[':status', '200'], ['content-type', 'application/grpc+proto'], ['grpc-accept-encoding', 'identity']]);
const OK_TRAILERS = encodeHeaders([['grpc-status', '0']]);
// A grpc-message longer than this is cut, so that a trailers-only answer always fits in one HEADERS frame.
const MAX_MESSAGE_CHARS = 1024;

/**
 * OutboundStream is the sending half of one call's stream: response HEADERS,
 * length-prefixed messages as DATA within the peer's connection and stream
 * windows (split at its SETTINGS_MAX_FRAME_SIZE), then trailers. Whatever
 * does not fit waits, queued, until flush() is called after a WINDOW_UPDATE.
 * Once its last frame is sent it tells its host, and sends nothing more.
 */
export class OutboundStream {
  /** sendWindow is this stream's flow-control window, changed by WINDOW_UPDATE and SETTINGS_INITIAL_WINDOW_SIZE. */
  sendWindow: number;
  /** remoteOpen is true until the peer ends its half of the stream (END_STREAM) or resets it. */
  remoteOpen = true;
  #headersSent = false;
  #ended = false;
  #resetSent = false;
  readonly #queue: Uint8Array[] = [];
  #queued = 0;
  #trailers: Buffer | undefined;

  constructor(readonly id: number, readonly host: StreamHost, initialWindow: number) {
    this.sendWindow = initialWindow;
  }

  /** ended is true once the stream sent END_STREAM or RST_STREAM. */
  get ended(): boolean {
    return this.#ended;
  }

  /** resetSent is true once this side sent RST_STREAM: the peer may still send what it sent before it knew. */
  get resetSent(): boolean {
    return this.#resetSent;
  }

  get headersSent(): boolean {
    return this.#headersSent;
  }

  /** sendMessage queues one message (after the response headers, sent first if not yet) and sends what the windows allow. */
  sendMessage(message: Uint8Array): void {
    if (this.#ended || this.#trailers !== undefined) return;
    const out: Buffer[] = [];
    if (!this.#headersSent) out.push(this.#headers(OK_HEADERS, false));
    this.#queue.push(prefix(message.length), message);
    this.#queued += 5 + message.length;
    this.#drain(out);
  }

  /** finish ends the call with OK trailers once every queued message is sent. */
  finish(): void {
    if (this.#ended || this.#trailers !== undefined) return;
    this.#trailers = frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, this.id, OK_TRAILERS);
    this.#drain([]);
  }

  /**
   * answerStatus ends the call with a gRPC status and no message: a
   * trailers-only response, or trailers after headers already sent (queued
   * messages are dropped). It resets the stream with `reset` when the peer
   * has not ended its half, so it stops sending.
   */
  answerStatus(code: number, message: string, reset: number = H2Error.NO_ERROR): void {
    if (this.#ended) return;
    const status = encodeHeaders([['grpc-status', String(code)], ['grpc-message', percentEncode(message.slice(0, MAX_MESSAGE_CHARS))]]);
    const block = this.#headersSent ? status : Buffer.concat([OK_HEADERS, status]);
    this.#queue.length = 0;
    this.#queued = 0;
    this.#last([frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, this.id, block)], reset);
  }

  /** answerHttp ends a request that is not gRPC with an HTTP status alone. */
  answerHttp(status: number): void {
    if (this.#ended || this.#headersSent) return;
    this.#last([frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, this.id, encodeHeaders([[':status', String(status)]]))], H2Error.NO_ERROR);
  }

  /** reset ends the stream at once with RST_STREAM `code`. */
  reset(code: number): void {
    if (this.#ended) return;
    this.#resetSent = true;
    this.#end();
    this.host.write([rstStreamFrame(this.id, code)]);
  }

  /** closed marks the stream ended by the peer (RST_STREAM, or the connection gone): nothing more is sent. */
  closed(): void {
    if (!this.#ended) this.#end();
  }

  /** flush sends what the windows allow of the queued DATA, then the trailers when all is sent. */
  flush(): void {
    if (!this.#ended) this.#drain([]);
  }

  #headers(block: Buffer, end: boolean): Buffer {
    this.#headersSent = true;
    return frame(FrameType.HEADERS, Flag.END_HEADERS | (end ? Flag.END_STREAM : 0), this.id, block);
  }

  #drain(out: Buffer[]): void {
    const host = this.host;
    while (this.#queued > 0) {
      const room = Math.min(this.#queued, this.sendWindow, host.sendWindow, host.peerMaxFrameSize);
      if (room <= 0) break;
      out.push(frameHeader(room, FrameType.DATA, 0, this.id));
      this.#take(room, out);
      this.sendWindow -= room;
      host.sendWindow -= room;
    }
    if (this.#queued === 0 && this.#trailers !== undefined) return this.#last([...out, this.#trailers], H2Error.NO_ERROR);
    if (out.length > 0) host.write(out);
    if (this.#queued > 0) host.blocked(this);
  }

  /** take moves `bytes` of the queue's head into `out`, as views. */
  #take(bytes: number, out: Buffer[]): void {
    this.#queued -= bytes;
    while (bytes > 0) {
      const head = this.#queue[0] as Uint8Array;
      if (head.length <= bytes) {
        out.push(toBuffer(head));
        bytes -= head.length;
        this.#queue.shift();
      } else {
        out.push(toBuffer(head.subarray(0, bytes)));
        this.#queue[0] = head.subarray(bytes);
        bytes = 0;
      }
    }
  }

  /** last sends a stream's final frames, and RST_STREAM `reset` after them when the peer is still sending. */
  #last(out: Buffer[], reset: number): void {
    this.#headersSent = true;
    if (this.remoteOpen) {
      out.push(rstStreamFrame(this.id, reset));
      this.#resetSent = true;
    }
    this.#end();
    this.host.write(out);
  }

  #end(): void {
    this.#ended = true;
    this.#queue.length = 0;
    this.#queued = 0;
    this.host.ended(this);
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
