import { createServer, type Server, type Socket } from 'node:net';

/** SilentServer accepts TCP connections on loopback and never answers: a database that hangs. */
export interface SilentServer {
  readonly port: number;
  /** url is a PostgreSQL URL pointing at it. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    url: `postgres://scia@127.0.0.1:${port}/scia`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
