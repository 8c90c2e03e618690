import { Writable } from 'node:stream';
import { mergeDesiredStatus, respond, setContext, setDesiredResource, type RunFn } from '@scia/runtime';
import type { BuiltinRegistry } from '@scia/render';
import type { Io } from '@scia/cli';

/** Captured is an Io whose streams are kept in memory. */
export interface Captured {
  io: Io;
  stdout(): string;
  stderr(): string;
}

export function capture(env: NodeJS.ProcessEnv = {}): Captured {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        append(chunk.toString());
        cb();
      },
    });
  return {
    io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env, cwd: process.cwd() },
    stdout: () => out,
    stderr: () => err,
  };
}

/** registry makes test functions in-process built-ins. */
export function registry(fns: Record<string, RunFn>): BuiltinRegistry {
  return Object.fromEntries(Object.entries(fns).map(([name, run]) => [name, () => Promise.resolve({ run, close: () => Promise.resolve() })]));
}

/** compose sets two composed Buckets, bucket-a and bucket-b. */
export const compose: RunFn = (req) => {
  const rsp = respond(req, 60);
  for (const name of ['bucket-a', 'bucket-b']) setDesiredResource(rsp, name, { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', spec: { forProvider: { region: 'eu-west-3' } } });
  return rsp;
};

/** echoContext copies the context into the XR status and adds a key of its own. */
export const echoContext: RunFn = (req) => {
  const rsp = respond(req, 60);
  mergeDesiredStatus(rsp, { context: req.context ?? {} });
  setContext(rsp, 'scia.io/echo', { steps: 1 });
  return rsp;
};

/**
 * freePorts returns the first of `count` consecutive loopback ports where nothing listens: each
 * is bound at once and all are released together, so a neighbour's listener cannot hide in the run.
 * It gives up after 50 tries.
 */
export async function freePorts(count: number): Promise<number[]> {
  const { createServer } = await import('node:net');
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
