import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { respond, startFunctionServer, type RunningFunctionServer } from '@scia/runtime';
import { END_STREAM, frameBytes, RawH2, setting, T } from './support/raw-h2.js';

// What the frames transport does against clients that flood it, go silent, or cut their request oddly: raw frames on a real server.
const RUN = '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction';
const ENHANCE_YOUR_CALM = 11;
const message = (tag: string, blob = ''): Buffer => Buffer.from(RunFunctionRequest.encode(RunFunctionRequest.fromPartial({ meta: { tag }, ...(blob === '' ? {} : { desired: { resources: { big: { resource: { blob } } } } }) })).finish());
const withPrefix = (bytes: Buffer): Buffer => Buffer.concat([Buffer.from([0, bytes.length >>> 24, (bytes.length >>> 16) & 255, (bytes.length >>> 8) & 255, bytes.length & 255]), bytes]);
const tagOf = (data: Buffer): string | undefined => RunFunctionResponse.decode(data.subarray(5)).meta?.tag;
const PING = (i: number): Buffer => frameBytes(T.PING, 0, 0, Buffer.from(String(i).padStart(8, '0')));

describe('the frames transport against floods and odd requests', () => {
  let server: RunningFunctionServer;
  const clients: RawH2[] = [];
  const connect = async (): Promise<RawH2> => {
    const c = await RawH2.connect(server.port);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    server = await startFunctionServer({ name: 'guard', run: (req) => respond(req, 60), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), transport: 'frames' });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.shutdown(100);
  });

  it.each([
    { reason: 'A PING flood ends the connection with ENHANCE_YOUR_CALM.', flood: () => Array.from({ length: 3000 }, (_, i) => PING(i)) },
    { reason: 'A SETTINGS flood ends the connection with ENHANCE_YOUR_CALM.', flood: () => Array.from({ length: 3000 }, () => frameBytes(T.SETTINGS, 0, 0, setting(0x4, 65_535))) },
  ])('$reason', async ({ flood }) => {
    const c = await connect();
    c.write(...flood());
    expect(await c.goaway()).toBe(ENHANCE_YOUR_CALM);
    expect(c.frames.filter((f) => (f.type === T.PING || f.type === T.SETTINGS) && f.flags === 1).length).toBeLessThan(1100);
    await c.closed;
  });

  it('answers a client that sends two PINGs with each of 800 calls: more PINGs than the burst, but no more than its calls allow', async () => {
    const c = await connect();
    for (let batch = 0; batch < 80; batch++) {
      const ids = Array.from({ length: 10 }, (_, k) => 2 * (batch * 10 + k) + 1);
      for (const id of ids) {
        c.write(PING(2 * id), PING(2 * id + 1));
        c.request(id, RUN, withPrefix(message(`p-${id}`)));
      }
      const tags = await Promise.all(ids.map(async (id) => tagOf((await c.answer(id)).data)));
      expect(tags).toEqual(ids.map((id) => `p-${id}`));
    }
    expect(c.frames.filter((f) => f.type === T.PING && f.flags === 1).length).toBe(1600);
    expect(c.frames.some((f) => f.type === T.GOAWAY)).toBe(false);
  });

  it.each([
    { reason: 'A prefix cut over three DATA frames, then the message over frames of 1 and 4000 bytes, is read whole.', cuts: [1, 2, 2, 1, 4000], blob: 'y'.repeat(30_000), tag: 'cut' },
    { reason: 'A message whole in one DATA frame is read whole.', cuts: [], blob: '', tag: 'whole' },
  ])('$reason', async ({ cuts, blob, tag }) => {
    const c = await connect();
    const body = withPrefix(message(tag, blob));
    c.request(1, RUN, undefined);
    let at = 0;
    for (const n of cuts) {
      c.send(T.DATA, 0, 1, body.subarray(at, at + n));
      at += n;
    }
    for (; body.length - at > 16_384; at += 16_384) c.send(T.DATA, 0, 1, body.subarray(at, at + 16_384));
    c.send(T.DATA, END_STREAM, 1, body.subarray(at));
    const got = await c.answer(1);
    expect(tagOf(got.data)).toBe(tag);
    expect(RunFunctionResponse.decode(got.data.subarray(5)).desired?.resources['big']?.resource?.['blob'] ?? '').toBe(blob);
  });

  it.each([
    { reason: 'Two messages in a unary call are UNIMPLEMENTED.', body: () => Buffer.concat([withPrefix(message('a')), withPrefix(message('b'))]), status: '12' },
    { reason: 'A message shorter than its prefix says is INTERNAL.', body: () => withPrefix(message('short')).subarray(0, 8), status: '13' },
    { reason: 'A compressed message is INTERNAL.', body: () => Buffer.concat([Buffer.from([1]), withPrefix(message('z')).subarray(1)]), status: '13' },
  ])('$reason', async ({ body, status }) => {
    const c = await connect();
    c.request(1, RUN, body());
    expect((await c.answer(1)).headers.at(-1)?.['grpc-status']).toBe(status);
  });
});

describe('the frames transport keeping watch of idle connections', () => {
  let server: RunningFunctionServer;
  beforeAll(async () => {
    server = await startFunctionServer({ name: 'keepalive', run: (req) => respond(req, 60), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), transport: 'frames', keepalive: { intervalMs: 150, timeoutMs: 150 } });
  });
  afterAll(async () => {
    await server.shutdown(100);
  });

  it('pings a silent connection and closes it when nothing answers', async () => {
    const c = await RawH2.connect(server.port);
    try {
      const ping = await c.next((f) => f.type === T.PING && f.flags === 0, 2000);
      expect(ping?.payload.length).toBe(8);
      const closed = await Promise.race([c.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 2000))]);
      expect(closed).toBe(true);
      expect(c.frames.filter((f) => f.type === T.PING && f.flags === 0).length).toBe(1);
    } finally {
      c.close();
    }
  });

  it('keeps a connection that answers its PINGs, and serves it', async () => {
    const c = await RawH2.connect(server.port);
    try {
      let acked = 0;
      for (const deadline = Date.now() + 1200; Date.now() < deadline;) {
        const ping = await c.next((f) => f.type === T.PING && f.flags === 0, 300, acked === 0 ? 0 : c.frames.length);
        if (ping === undefined) continue;
        c.send(T.PING, 1, 0, ping.payload);
        acked++;
      }
      expect(acked).toBeGreaterThanOrEqual(2);
      expect(c.socket.destroyed).toBe(false);
      c.request(1, RUN, withPrefix(message('alive')));
      expect(tagOf((await c.answer(1)).data)).toBe('alive');
    } finally {
      c.close();
    }
  });
});
