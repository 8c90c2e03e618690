import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL, a Git smart-HTTP
 * server, an Ollama-speaking HTTP server) that plays the network faults a
 * dependency shows:
 * - `up`: every byte forwarded both ways;
 * - `down`: the port is closed, so a connect is refused;
 * - `blackhole`: connections are accepted and never answered (nothing is forwarded);
 * - `slow`: the server's bytes reach the client `delayMs` late (in order).
 * Errors the server itself answers (HTTP 500, a Git protocol error, a SQL
 * error) are the server's to produce: the proxy forwards them as in `up`.
 * Every change of mode breaks the connections open at the time, as a network
 * fault does, so pooled clients meet the new mode on their next connect.
 */
export type FaultMode = 'up' | 'down' | 'blackhole' | 'slow';

export interface FaultProxy {
  readonly port: number;
  readonly mode: FaultMode;
  /** set switches the mode (`delayMs` for `slow`); it resolves once the port is closed or listening again. */
  set(mode: FaultMode, delayMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** startFaultProxy listens on 127.0.0.1 (an ephemeral port) and forwards to `target` in mode `up`. */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  let mode: FaultMode = 'up';
  let delayMs = 0;
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const server: Server = createServer((client) => {
    track(client);
    if (mode === 'blackhole') return;
    const upstream = createConnection(target);
    track(upstream);
    const kill = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', kill).on('close', kill);
    client.pipe(upstream);
    if (mode === 'up') {
      upstream.on('error', kill).on('close', kill);
      upstream.pipe(client);
      return;
    }
    // slow: each chunk is released delayMs after it arrived, in arrival order; the end too.
    const delay = delayMs;
    let chain = Promise.resolve();
    const later = (then: () => void): void => {
      const at = Date.now() + delay;
      chain = chain.then(() => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())))).then(() => {
        if (!client.destroyed) then();
      });
    };
    upstream.on('data', (chunk: Buffer) => later(() => client.write(chunk)));
    upstream.on('close', () => later(() => client.end()));
  });
  await listen(server, 0);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const breakAll = (): void => {
    for (const s of sockets) s.destroy();
  };
  return {
    port,
    get mode() {
      return mode;
    },
    async set(next, delay = 0) {
      breakAll();
      if (next === 'down' && mode !== 'down') await new Promise<void>((resolve) => server.close(() => resolve()));
      if (next !== 'down' && mode === 'down') await listen(server, port);
      mode = next;
      delayMs = delay;
    },
    async close() {
      breakAll();
      if (mode !== 'down') await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
