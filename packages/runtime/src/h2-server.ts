import * as http2 from 'node:http2';
import type * as net from 'node:net';
import type { TlsFiles } from './tls.js';
import { CallDeadlines, type Deadline } from './call-deadlines.js';
import { GrpcStatus, isGrpcContentType, MessageReader, parseTimeout, percentEncode, prefix, StatusError } from './h2-wire.js';

/** UnaryHandler answers one call's request bytes with response bytes, or throws a StatusError (any other error is INTERNAL). */
export type UnaryHandler = (request: Buffer) => Promise<Uint8Array> | Uint8Array;

export interface LeanServerOptions {
  /** address is host:port ([v6]:port too); port 0 binds an ephemeral port. */
  address: string;
  /** tls serves TLS requiring a client certificate signed by its CA; plaintext (h2c) without it. */
  tls?: TlsFiles | undefined;
  maxReceiveBytes: number;
  /** maxConcurrentStreams is the HTTP/2 setting: calls one connection may have in flight; a client queues the rest. */
  maxConcurrentStreams: number;
  /** methods maps each served path (/package.Service/Method) to its handler; any other path is UNIMPLEMENTED. */
  methods: ReadonlyMap<string, UnaryHandler>;
}

export interface LeanServer {
  readonly port: number;
  /** close sends GOAWAY on every connection and refuses new ones, lets calls in flight finish for up to graceMs, then cuts the rest. */
  close(graceMs: number): Promise<void>;
}

const RESPONSE_HEADERS = { ':status': 200, 'content-type': 'application/grpc+proto', 'grpc-accept-encoding': 'identity' };
const RESPOND_WITH_TRAILERS = { waitForTrailers: true };
const OK_TRAILERS = { 'grpc-status': '0' };
const ignore = (): void => undefined;
// A window wide enough that a 100 KB request arrives without waiting for a WINDOW_UPDATE.
const WINDOW_BYTES = 4 * 1024 * 1024;

/**
 * startLeanServer serves unary gRPC calls on node:http2 directly: the gRPC
 * HTTP/2 protocol for one request message and one response message, no
 * interceptors, no per-call metadata objects. It answers a `grpc-timeout`
 * past with DEADLINE_EXCEEDED, a compressed message or an encoding other
 * than identity as grpc-js does (INTERNAL, UNIMPLEMENTED), a message past
 * maxReceiveBytes with RESOURCE_EXHAUSTED as soon as its prefix arrives, a
 * request without a gRPC content type with HTTP 415. HTTP/2 PINGs (client
 * keepalive) are answered by node's HTTP/2 session itself.
 */
export async function startLeanServer(opts: LeanServerOptions): Promise<LeanServer> {
  const settings = { initialWindowSize: WINDOW_BYTES, maxConcurrentStreams: opts.maxConcurrentStreams };
  // As grpc-js does: no cap on a connection's buffered data beside node's 10 MB default; each call is bounded by maxReceiveBytes.
  const maxSessionMemory = Number.MAX_SAFE_INTEGER;
  const server = opts.tls === undefined
    ? http2.createServer({ settings, maxSessionMemory })
    : http2.createSecureServer({ settings, maxSessionMemory, key: opts.tls.key, cert: opts.tls.cert, ca: opts.tls.ca, requestCert: true, rejectUnauthorized: true, allowHTTP1: false });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.on('error', () => undefined); // a connection reset by its client concerns only that connection
    session.once('connect', () => session.setLocalWindowSize(WINDOW_BYTES));
  });
  const deadlines = new CallDeadlines();
  server.on('stream', (stream, headers) => serveStream(stream, headers, opts, deadlines));
  return listenLean(server, opts.address, () => {
    for (const session of sessions) session.close();
  }, () => {
    for (const session of sessions) session.destroy();
  });
}

function serveStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, opts: LeanServerOptions, deadlines: CallDeadlines): void {
  stream.on('error', ignore); // a stream the client reset has no one left to answer
  if (headers[':method'] !== 'POST') return void stream.respond({ ':status': 405 }, { endStream: true });
  if (!isGrpcContentType(headers['content-type'])) return void stream.respond({ ':status': 415 }, { endStream: true });
  const path = headers[':path'] ?? '';
  const handler = opts.methods.get(path);
  if (handler === undefined) return answerStatus(stream, GrpcStatus.UNIMPLEMENTED, `unknown method ${path}`);
  const encoding = headers['grpc-encoding'];
  if (encoding !== undefined && encoding !== 'identity') return answerStatus(stream, GrpcStatus.UNIMPLEMENTED, `cannot read a request in encoding ${String(encoding)}: this server takes identity only`);
  const timeoutMs = parseTimeout(headers['grpc-timeout']);
  if (timeoutMs !== undefined && Number.isNaN(timeoutMs)) return answerStatus(stream, GrpcStatus.INTERNAL, `invalid grpc-timeout value ${JSON.stringify(headers['grpc-timeout'])}`);
  let done = false;
  const finish = (answer: () => void): void => {
    if (done) return;
    done = true;
    if (deadline !== undefined) deadlines.drop(deadline);
    if (!stream.destroyed && !stream.headersSent) answer();
  };
  const deadline: Deadline | undefined = timeoutMs === undefined ? undefined : deadlines.add(timeoutMs, () => finish(() => {
    answerStatus(stream, GrpcStatus.DEADLINE_EXCEEDED, 'deadline exceeded');
    stream.close(http2.constants.NGHTTP2_CANCEL);
  }));
  const reader = new MessageReader(opts.maxReceiveBytes);
  const fail = (err: unknown): void => finish(() => {
    if (err instanceof StatusError) answerStatus(stream, err.code, err.message);
    else answerStatus(stream, GrpcStatus.INTERNAL, err instanceof Error ? err.message : String(err));
  });
  const onData = (chunk: Buffer): void => {
    try {
      reader.push(chunk);
    } catch (err) {
      stream.off('data', onData);
      fail(err);
      stream.close(http2.constants.NGHTTP2_NO_ERROR); // nothing more of this request is read
    }
  };
  stream.on('data', onData);
  stream.once('end', () => {
    if (done) return;
    let answered: Promise<Uint8Array> | Uint8Array;
    try {
      answered = handler(reader.message());
    } catch (err) {
      return fail(err);
    }
    if (answered instanceof Uint8Array) finish(() => answer(stream, answered));
    else answered.then((bytes) => finish(() => answer(stream, bytes)), fail);
  });
  stream.once('close', () => {
    done = true;
    if (deadline !== undefined) deadlines.drop(deadline);
  });
}

/** answer sends one response message and an OK status in trailers, the prefix and the message in one write. */
function answer(stream: http2.ServerHttp2Stream, message: Uint8Array): void {
  stream.respond(RESPONSE_HEADERS, RESPOND_WITH_TRAILERS);
  stream.once('wantTrailers', sendOk);
  stream.cork();
  stream.write(prefix(message.length));
  stream.end(message);
}

function sendOk(this: http2.ServerHttp2Stream): void {
  this.sendTrailers(OK_TRAILERS);
}

/** answerStatus ends a call with no message: a trailers-only response carrying its status. */
function answerStatus(stream: http2.ServerHttp2Stream, code: number, message: string): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond({ ...RESPONSE_HEADERS, 'grpc-status': String(code), 'grpc-message': percentEncode(message) }, { endStream: true });
}

/**
 * listenLean binds a lean transport's `server` to `address` and returns it
 * as a LeanServer whose close goes through closeGracefully with `goAway` and
 * `cut` (what each transport does to its open connections).
 */
export async function listenLean(server: net.Server, address: string, goAway: () => void, cut: () => void): Promise<LeanServer> {
  const { host, port } = splitAddress(address);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: Error) => reject(new Error(`cannot listen on ${address}: ${err.message}`, { cause: err })));
    server.listen(port, host, () => resolve());
  });
  const bound = server.address();
  return {
    port: typeof bound === 'object' && bound !== null ? bound.port : port,
    close: (graceMs) => closeGracefully(server, goAway, cut, graceMs),
  };
}

/**
 * closeGracefully stops `server` taking connections, asks each open one to go
 * away (GOAWAY: calls in flight may finish, no new ones start), and after
 * `graceMs` cuts those still open; it resolves once the server has closed.
 */
async function closeGracefully(server: { close(done: () => void): unknown }, goAway: () => void, cut: () => void, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  goAway();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      cut();
      resolve();
    }, graceMs);
  });
  await Promise.race([closed, late]);
  clearTimeout(timer);
  await closed;
}

/** splitAddress reads host:port or [v6]:port. */
function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(at + 1));
  if (at < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`cannot listen on ${address}: not host:port`);
  return { host, port };
}
