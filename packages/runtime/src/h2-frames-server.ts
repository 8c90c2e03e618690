import * as net from 'node:net';
import * as tls from 'node:tls';
import { listenLean, type LeanServer, type LeanServerOptions } from './h2-server.js';
import type { WatchHandler } from './h2-frames-call.js';
import { FrameConnection } from './h2-frames-connection.js';
import type { ControlLimits, KeepaliveOptions } from './h2-frames-guard.js';

export interface FramesServerOptions extends LeanServerOptions {
  /** watches maps each served server-streaming path (health Watch) to its handler. */
  watches?: ReadonlyMap<string, WatchHandler>;
  /** keepalive sets when an idle connection is pinged and when one that does not answer is closed (DEFAULT_KEEPALIVE by default). */
  keepalive?: KeepaliveOptions | undefined;
  /** controlLimits bound the SETTINGS and PING frames a client may send (DEFAULT_CONTROL_LIMITS by default). */
  controlLimits?: ControlLimits | undefined;
}

/**
 * startFramesServer serves unary gRPC calls (and server-streaming watches)
 * as the lean server does, with the same statuses for the same requests, but
 * speaks HTTP/2 itself on `net` or `tls` sockets (FrameConnection) instead of
 * through node:http2: no Http2Stream, no header objects, one socket write
 * per response when the peer's windows allow. With `tls` it requires a client
 * certificate signed by the CA and ALPN `h2`, and refuses any other connection.
 */
export async function startFramesServer(opts: FramesServerOptions): Promise<LeanServer> {
  const connections = new Set<FrameConnection>();
  const options = { maxReceiveBytes: opts.maxReceiveBytes, maxConcurrentStreams: opts.maxConcurrentStreams, methods: opts.methods, watches: opts.watches, keepalive: opts.keepalive, controlLimits: opts.controlLimits };
  const serve = (socket: net.Socket): void => {
    socket.setNoDelay(true);
    const connection = new FrameConnection(socket, options, () => connections.delete(connection));
    connections.add(connection);
  };
  const server = opts.tls === undefined
    ? net.createServer(serve)
    : tls.createServer({ key: opts.tls.key, cert: opts.tls.cert, ca: opts.tls.ca, requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] }, (socket) => {
      if (socket.alpnProtocol !== 'h2') return void socket.destroy();
      serve(socket);
    });
  // A handshake a client fails concerns only that client.
  server.on('tlsClientError', () => undefined);
  return listenLean(server, opts.address, () => {
    for (const connection of connections) connection.goAway();
  }, () => {
    for (const connection of connections) connection.destroy();
  });
}
