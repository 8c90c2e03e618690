import type { UnaryHandler } from './h2-server.js';
import { H2Error } from './h2-frames.js';
import { OutboundStream, type StreamHost } from './h2-frames-stream.js';
import { GrpcStatus, isGrpcContentType, MessageReader, parseTimeout, StatusError } from './h2-wire.js';

/**
 * WatchHandler serves a server-streaming call: it starts with the request's
 * bytes, sends each response message with `send`, and returns what stops it
 * (called once, when the client cancels or the connection goes). It throws a
 * StatusError to refuse the call.
 */
export type WatchHandler = (request: Buffer, send: (message: Uint8Array) => void) => () => void;

/** CallRoutes are the methods a frames server serves: unary ones, and server-streaming ones such as health Watch. */
export interface CallRoutes {
  readonly maxReceiveBytes: number;
  readonly methods: ReadonlyMap<string, UnaryHandler>;
  readonly watches?: ReadonlyMap<string, WatchHandler> | undefined;
}

/** CallHost is a stream's host that also grants receive window back and hears when a call has nothing left running. */
export interface CallHost extends StreamHost {
  /** grant sends WINDOW_UPDATE for `bytes` on `streamId`. */
  grant(streamId: number, bytes: number): void;
  /** settled says that the call on `streamId` has no handler running any more. */
  settled(streamId: number): void;
}

/** RequestHead is what a call reads of its request headers. */
interface RequestHead {
  method: string;
  path: string;
  contentType: string | undefined;
  encoding: string | undefined;
  timeout: string | undefined;
}

const UPPER_CASE = /[A-Z]/;
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/**
 * requestHead reads a request's header list, or undefined when it is
 * malformed (RFC 9113 §8.1.1): a pseudo-header after a regular one, an unknown
 * or repeated pseudo-header, no :method, :path or :scheme, an upper-case
 * name, a connection-specific field, or `te` other than `trailers`.
 */
export function requestHead(fields: readonly string[]): RequestHead | undefined {
  let method: string | undefined;
  let path: string | undefined;
  let scheme: string | undefined;
  let contentType: string | undefined;
  let encoding: string | undefined;
  let timeout: string | undefined;
  let regular = false;
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    const value = fields[i + 1] as string;
    if (name.startsWith(':')) {
      if (regular) return undefined;
      if (name === ':method' && method === undefined) method = value;
      else if (name === ':path' && path === undefined) path = value;
      else if (name === ':scheme' && scheme === undefined) scheme = value;
      else if (name !== ':authority') return undefined;
      continue;
    }
    regular = true;
    if (UPPER_CASE.test(name) || CONNECTION_HEADERS.has(name) || (name === 'te' && value !== 'trailers')) return undefined;
    if (name === 'content-type') contentType = value;
    else if (name === 'grpc-encoding') encoding = value;
    else if (name === 'grpc-timeout') timeout = value;
  }
  if (method === undefined || path === undefined || path === '' || scheme === undefined) return undefined;
  return { method, path, contentType, encoding, timeout };
}

/**
 * FrameCall is one gRPC call on a frames connection: it checks the request
 * headers as the lean server does (405, 415, UNIMPLEMENTED, grpc-timeout),
 * collects the request message from DATA within its receive window, runs the
 * handler, and answers through its OutboundStream.
 */
export class FrameCall {
  readonly out: OutboundStream;
  /** recvWindow is what DATA the peer may still send on this stream. */
  recvWindow: number;
  /** running is true while a handler works on the call (it still holds its memory, even after a reset). */
  running = false;
  #unacked = 0;
  #reader: MessageReader | undefined;
  #answered = false;
  #timer: NodeJS.Timeout | undefined;
  #stop: (() => void) | undefined;
  #serve: ((request: Buffer) => void) | undefined;

  constructor(id: number, readonly host: CallHost, readonly routes: CallRoutes, sendWindow: number, readonly window: number) {
    this.out = new OutboundStream(id, host, sendWindow);
    this.recvWindow = window;
  }

  /** start reads the request headers; `endStream` when they end the request. */
  start(fields: readonly string[], endStream: boolean): void {
    const head = requestHead(fields);
    if (head === undefined) return this.out.reset(H2Error.PROTOCOL_ERROR);
    if (endStream) this.out.remoteOpen = false;
    if (head.method !== 'POST') return this.out.answerHttp(405);
    if (!isGrpcContentType(head.contentType)) return this.out.answerHttp(415);
    const unary = this.routes.methods.get(head.path);
    const watch = this.routes.watches?.get(head.path);
    if (unary === undefined && watch === undefined) return this.#fail(new StatusError(GrpcStatus.UNIMPLEMENTED, `unknown method ${head.path}`));
    if (head.encoding !== undefined && head.encoding !== 'identity') return this.#fail(new StatusError(GrpcStatus.UNIMPLEMENTED, `cannot read a request in encoding ${head.encoding}: this server takes identity only`));
    const timeoutMs = parseTimeout(head.timeout);
    if (timeoutMs !== undefined && Number.isNaN(timeoutMs)) return this.#fail(new StatusError(GrpcStatus.INTERNAL, `invalid grpc-timeout value ${JSON.stringify(head.timeout)}`));
    if (timeoutMs !== undefined) this.#timer = setTimeout(() => this.#expire(), Math.max(0, timeoutMs));
    this.#reader = new MessageReader(this.routes.maxReceiveBytes);
    this.#serve = unary !== undefined ? (request) => this.#unary(unary, request) : (request) => this.#watch(watch as WatchHandler, request);
    if (endStream) this.#request();
  }

  /**
   * data takes a DATA frame's payload; `length` counts its padding too, for
   * flow control. A peer past the stream's window gets RST_STREAM
   * FLOW_CONTROL_ERROR; DATA after the call is answered is dropped.
   */
  data(payload: Buffer, length: number, endStream: boolean): void {
    this.recvWindow -= length;
    if (this.recvWindow < 0) return this.out.reset(H2Error.FLOW_CONTROL_ERROR);
    if (endStream) this.out.remoteOpen = false;
    if (this.#reader === undefined || this.#answered) return;
    try {
      this.#reader.push(payload);
    } catch (err) {
      return this.#fail(err);
    }
    if (endStream) return this.#request();
    this.#unacked += length;
    if (this.#unacked >= this.window / 2) {
      this.host.grant(this.out.id, this.#unacked);
      this.recvWindow += this.#unacked;
      this.#unacked = 0;
    }
  }

  /** end takes the request's trailers (HEADERS with END_STREAM): the request is whole. */
  end(): void {
    this.out.remoteOpen = false;
    if (this.#reader !== undefined && !this.#answered) this.#request();
  }

  /** cancel stops the call: the peer reset the stream, or the connection went. */
  cancel(): void {
    this.#answered = true;
    this.#clear();
    this.out.closed();
  }

  /** dispose drops the call's deadline once its stream is over. */
  dispose(): void {
    this.#clear();
  }

  /** shutdown ends a streaming call that would never end by itself (a Watch) with UNAVAILABLE. */
  shutdown(): void {
    if (this.#stop === undefined) return;
    this.#clear();
    this.out.answerStatus(GrpcStatus.UNAVAILABLE, 'the server is shutting down');
  }

  #request(): void {
    let request: Buffer;
    try {
      request = (this.#reader as MessageReader).message();
    } catch (err) {
      return this.#fail(err);
    }
    this.#reader = undefined;
    (this.#serve as (request: Buffer) => void)(request);
  }

  #unary(handler: UnaryHandler, request: Buffer): void {
    this.running = true;
    Promise.resolve()
      .then(() => handler(request))
      .then((bytes) => {
        if (this.#answer()) {
          this.out.sendMessage(bytes);
          this.out.finish();
        }
      }, (err: unknown) => this.#fail(err))
      .finally(() => {
        this.running = false;
        this.host.settled(this.out.id);
      });
  }

  #watch(handler: WatchHandler, request: Buffer): void {
    if (this.out.ended) return;
    try {
      this.#stop = handler(request, (message) => this.out.sendMessage(message));
    } catch (err) {
      this.#fail(err);
    }
  }

  /** expire ends a call at its deadline: answered DEADLINE_EXCEEDED, or reset (CANCEL) when its answer still waits for the peer's window. */
  #expire(): void {
    this.#timer = undefined;
    if (this.#answer()) this.out.answerStatus(GrpcStatus.DEADLINE_EXCEEDED, 'deadline exceeded', H2Error.CANCEL);
    else this.out.reset(H2Error.CANCEL);
    this.#clear();
  }

  #fail(err: unknown): void {
    if (!this.#answer()) return;
    if (err instanceof StatusError) this.out.answerStatus(err.code, err.message);
    else this.out.answerStatus(GrpcStatus.INTERNAL, err instanceof Error ? err.message : String(err));
  }

  /** answer claims the call's one answer: false when it was answered (or cancelled) already. */
  #answer(): boolean {
    if (this.#answered || this.out.ended) return false;
    this.#answered = true;
    return true;
  }

  #clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const stop = this.#stop;
    this.#stop = undefined;
    stop?.();
  }
}
