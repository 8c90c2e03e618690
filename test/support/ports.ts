import { createServer } from 'node:net';

/** freePort asks the kernel for a free loopback port (bound, then released). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port ?? 0;
}

/**
 * freePorts returns the first of `count` consecutive loopback ports where nothing listens: each
 * is bound at once and all are released together, so a neighbour's listener cannot hide in the run.
 * It gives up after 50 tries.
 */
export async function freePorts(count: number): Promise<number[]> {
  type Listener = ReturnType<typeof createServer>;
  const listen = (port: number): Promise<Listener | undefined> =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  const close = (servers: Listener[]): Promise<unknown> => Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await listen(0);
    const address = first?.address();
    if (first === undefined || typeof address !== 'object' || address === null) throw new Error('cannot bind a loopback port');
    const held = [first];
    for (let i = 1; i < count; i++) {
      const next = address.port + i > 65535 ? undefined : await listen(address.port + i);
      if (next === undefined) break;
      held.push(next);
    }
    await close(held);
    if (held.length === count) return held.map((_, i) => address.port + i);
  }
  throw new Error(`cannot find ${count} consecutive free loopback ports`);
}
