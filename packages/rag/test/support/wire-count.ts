import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * WireCount is a TCP proxy on 127.0.0.1 in front of a PostgreSQL server that
 * reads the server's side of the protocol and counts ReadyForQuery messages
 * ('Z'): the server sends one when it has answered a simple query or an
 * extended one's Sync, and waits for the client again. So `roundTrips` is how
 * many times the clients waited on the server, whatever the statements were.
 */
export interface WireCount {
  readonly port: number;
  /** roundTrips counts ReadyForQuery messages on all connections since the start or the last reset. */
  readonly roundTrips: number;
  reset(): void;
  close(): Promise<void>;
}

/** startWireCount listens on an ephemeral port and forwards every byte to `target` unchanged. */
export async function startWireCount(target: { host: string; port: number }): Promise<WireCount> {
  let roundTrips = 0;
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    track(client);
    track(upstream);
    const kill = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', kill);
    upstream.on('close', kill);
    client.pipe(upstream);
    upstream.pipe(client);
    // The server's messages are a type byte and a length that counts itself (no SSL is asked for).
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5) {
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) break;
        if (pending[0] === 0x5a) roundTrips++;
        pending = pending.subarray(1 + length);
      }
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    get roundTrips() {
      return roundTrips;
    },
    reset() {
      roundTrips = 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
