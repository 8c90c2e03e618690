import * as http2 from 'node:http2';
import * as tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { FUNCTION_SERVICE, mutualTlsCredentials, readTlsDir, respond, startFunctionServer, type RunFn, type RunningFunctionServer } from '@scia/runtime';
import { makeTestPki } from '../../../test/support/certs.js';
import { healthClient } from '../../../test/support/health-client.js';
import { END_HEADERS, END_STREAM, frameBytes, literalHeaders, PADDED, PRIORITY, RawH2, setting, T, u32 } from './support/raw-h2.js';

// The frames transport frames HTTP/2 itself: these tests speak raw frames to it, as a hostile or odd client would.
const RUN = '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction';
const E = { NO_ERROR: 0, PROTOCOL_ERROR: 1, FLOW_CONTROL_ERROR: 3, FRAME_SIZE_ERROR: 6, REFUSED_STREAM: 7, COMPRESSION_ERROR: 9, ENHANCE_YOUR_CALM: 11 };
function withPrefix(message: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}
const request = (tag: string, blob = ''): Buffer => withPrefix(RunFunctionRequest.encode(RunFunctionRequest.fromPartial({ meta: { tag }, ...(blob === '' ? {} : { desired: { resources: { big: { resource: { blob } } } } }) })).finish());
const tagOf = (data: Buffer): string | undefined => RunFunctionResponse.decode(data.subarray(5)).meta?.tag;
const requestBlock = (): Buffer => literalHeaders([[':method', 'POST'], [':scheme', 'http'], [':path', RUN], ['content-type', 'application/grpc']]);

/** gate holds calls whose tag starts with `hold` until released. */
function gate(): { run: RunFn; release: () => void } {
  let release = (): void => undefined;
  const open = new Promise<void>((r) => (release = r));
  return { run: async (req) => { if (req.meta?.tag.startsWith('hold') === true) await open; return respond(req, 60); }, release: () => release() };
}

describe('the frames transport against raw HTTP/2 frames', () => {
  let server: RunningFunctionServer;
  let held: ReturnType<typeof gate>;
  const clients: RawH2[] = [];
  const connect = async (settings: Buffer | null = Buffer.alloc(0)): Promise<RawH2> => {
    const c = await RawH2.connect(server.port, settings);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    held = gate();
    server = await startFunctionServer({ name: 'raw', run: held.run, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), transport: 'frames', maxReceiveBytes: 300_000, maxConcurrentCalls: 2 });
  });
  afterAll(async () => {
    held.release();
    for (const c of clients) c.close();
    await server.shutdown(100);
  });

  it('answers a call, then a PING with its payload', async () => {
    const c = await connect();
    c.request(1, RUN, request('t-1'));
    const got = await c.answer(1);
    expect(got.headers).toEqual([{ ':status': '200', 'content-type': 'application/grpc+proto', 'grpc-accept-encoding': 'identity' }, { 'grpc-status': '0' }]);
    expect(tagOf(got.data)).toBe('t-1');
    c.send(T.PING, 0, 0, Buffer.from('12345678'));
    const pong = await c.next((f) => f.type === T.PING);
    expect({ flags: pong?.flags, payload: pong?.payload.toString() }).toEqual({ flags: 1, payload: '12345678' });
  });

  it('reads padded DATA and HEADERS carrying a priority, split over CONTINUATION', async () => {
    const c = await connect();
    const block = literalHeaders([[':method', 'POST'], [':scheme', 'http'], [':path', RUN], ['content-type', 'application/grpc']]);
    c.send(T.HEADERS, PRIORITY, 1, Buffer.concat([u32(0), Buffer.from([16]), block.subarray(0, 10)]));
    c.send(T.CONTINUATION, END_HEADERS, 1, block.subarray(10));
    const body = request('padded');
    c.send(T.DATA, PADDED, 1, Buffer.concat([Buffer.from([3]), body.subarray(0, 7), Buffer.alloc(3)]));
    c.send(T.DATA, PADDED | END_STREAM, 1, Buffer.concat([Buffer.from([0]), body.subarray(7)]));
    expect(tagOf((await c.answer(1)).data)).toBe('padded');
  });

  it('sends DATA only as far as the client\'s stream window, in frames no larger than 16384 bytes, and the rest after WINDOW_UPDATE', async () => {
    const c = await connect(setting(0x4, 1000));
    c.request(1, RUN, request('windowed', 'x'.repeat(100_000)));
    await c.next((f) => f.type === T.DATA);
    await new Promise((r) => setTimeout(r, 100));
    const sent = (): number => c.frames.filter((f) => f.type === T.DATA).reduce((n, f) => n + f.payload.length, 0);
    expect(sent()).toBe(1000);
    c.send(T.WINDOW_UPDATE, 0, 1, u32(200_000));
    c.send(T.WINDOW_UPDATE, 0, 0, u32(200_000));
    const got = await c.answer(1);
    expect(tagOf(got.data)).toBe('windowed');
    expect(Math.max(...c.frames.filter((f) => f.type === T.DATA).map((f) => f.payload.length))).toBeLessThanOrEqual(16_384);
  });

  it('resets a call at its deadline when its answer still waits for a client that opens no window', async () => {
    const c = await connect(setting(0x4, 0));
    c.request(1, RUN, request('stuck'), [['grpc-timeout', '100m']]);
    expect(await c.answer(1)).toEqual({ headers: [{ ':status': '200', 'content-type': 'application/grpc+proto', 'grpc-accept-encoding': 'identity' }], data: Buffer.alloc(0), rst: 8 });
  });

  it('refuses a stream past SETTINGS_MAX_CONCURRENT_STREAMS with REFUSED_STREAM, and serves the others', async () => {
    const c = await connect();
    c.request(1, RUN, request('hold-1'));
    c.request(3, RUN, request('hold-3'));
    c.request(5, RUN, request('t-5'));
    expect((await c.answer(5)).rst).toBe(E.REFUSED_STREAM);
    held.release();
    expect([tagOf((await c.answer(1)).data), tagOf((await c.answer(3)).data)]).toEqual(['hold-1', 'hold-3']);
  });

  it('ends a call whose prefix is past the receive limit with RESOURCE_EXHAUSTED before reading it, and resets its stream', async () => {
    const c = await connect();
    c.request(1, RUN, undefined);
    c.send(T.DATA, 0, 1, Buffer.from([0, 0, 0x10, 0, 0]));
    const got = await c.answer(1);
    expect({ status: got.headers[0]?.['grpc-status'], rst: got.rst }).toEqual({ status: '8', rst: E.NO_ERROR });
  });

  it('answers a header list past its limit with HTTP 431, keeping the connection', async () => {
    const c = await connect();
    const block = literalHeaders([[':method', 'POST'], [':scheme', 'http'], [':path', RUN], ['content-type', 'application/grpc'], ['x-big', 'b'.repeat(70_000)]]);
    c.send(T.HEADERS, 0, 1, block.subarray(0, 16_000));
    for (let at = 16_000; at < block.length; at += 16_000) c.send(T.CONTINUATION, at + 16_000 >= block.length ? END_HEADERS : 0, 1, block.subarray(at, at + 16_000));
    expect((await c.answer(1)).headers[0]?.[':status']).toBe('431');
    c.request(3, RUN, request('after'));
    expect(tagOf((await c.answer(3)).data)).toBe('after');
  });

  it.each([
    { reason: 'A wrong preface is a PROTOCOL_ERROR.', bytes: () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), code: E.PROTOCOL_ERROR, raw: true },
    { reason: 'A first frame other than SETTINGS is a PROTOCOL_ERROR.', bytes: () => Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frameBytes(T.PING, 0, 0, Buffer.alloc(8))]), code: E.PROTOCOL_ERROR, raw: true },
    { reason: 'A frame past SETTINGS_MAX_FRAME_SIZE is a FRAME_SIZE_ERROR.', bytes: () => frameBytes(T.DATA, 0, 1, Buffer.alloc(20_000)), code: E.FRAME_SIZE_ERROR },
    { reason: 'SETTINGS of a length not a multiple of 6 is a FRAME_SIZE_ERROR.', bytes: () => frameBytes(T.SETTINGS, 0, 0, Buffer.alloc(7)), code: E.FRAME_SIZE_ERROR },
    { reason: 'SETTINGS_ENABLE_PUSH 2 is a PROTOCOL_ERROR.', bytes: () => frameBytes(T.SETTINGS, 0, 0, setting(0x2, 2)), code: E.PROTOCOL_ERROR },
    { reason: 'SETTINGS_MAX_FRAME_SIZE under 16384 is a PROTOCOL_ERROR.', bytes: () => frameBytes(T.SETTINGS, 0, 0, setting(0x5, 100)), code: E.PROTOCOL_ERROR },
    { reason: 'SETTINGS_INITIAL_WINDOW_SIZE past 2^31-1 is a FLOW_CONTROL_ERROR.', bytes: () => frameBytes(T.SETTINGS, 0, 0, setting(0x4, 2 ** 31)), code: E.FLOW_CONTROL_ERROR },
    { reason: 'A PING on a stream is a PROTOCOL_ERROR.', bytes: () => frameBytes(T.PING, 0, 1, Buffer.alloc(8)), code: E.PROTOCOL_ERROR },
    { reason: 'A PING of 7 bytes is a FRAME_SIZE_ERROR.', bytes: () => frameBytes(T.PING, 0, 0, Buffer.alloc(7)), code: E.FRAME_SIZE_ERROR },
    { reason: 'A connection WINDOW_UPDATE past 2^31-1 is a FLOW_CONTROL_ERROR.', bytes: () => frameBytes(T.WINDOW_UPDATE, 0, 0, u32(2 ** 31 - 1)), code: E.FLOW_CONTROL_ERROR },
    { reason: 'A connection WINDOW_UPDATE of 0 is a PROTOCOL_ERROR.', bytes: () => frameBytes(T.WINDOW_UPDATE, 0, 0, u32(0)), code: E.PROTOCOL_ERROR },
    { reason: 'HEADERS on an even stream is a PROTOCOL_ERROR.', bytes: () => frameBytes(T.HEADERS, END_HEADERS, 2, literalHeaders([[':method', 'POST']])), code: E.PROTOCOL_ERROR },
    { reason: 'DATA on a stream never opened is a PROTOCOL_ERROR.', bytes: () => frameBytes(T.DATA, 0, 7, Buffer.alloc(4)), code: E.PROTOCOL_ERROR },
    { reason: 'RST_STREAM on stream 0 is a PROTOCOL_ERROR.', bytes: () => frameBytes(T.RST_STREAM, 0, 0, u32(0)), code: E.PROTOCOL_ERROR },
    { reason: 'PUSH_PROMISE from a client is a PROTOCOL_ERROR.', bytes: () => frameBytes(T.PUSH_PROMISE, END_HEADERS, 1, u32(2)), code: E.PROTOCOL_ERROR },
    { reason: 'CONTINUATION with no header block open is a PROTOCOL_ERROR.', bytes: () => frameBytes(T.CONTINUATION, END_HEADERS, 1, Buffer.alloc(1)), code: E.PROTOCOL_ERROR },
    { reason: 'Another frame inside a header block is a PROTOCOL_ERROR.', bytes: () => Buffer.concat([frameBytes(T.HEADERS, 0, 1, Buffer.alloc(0)), frameBytes(T.PING, 0, 0, Buffer.alloc(8))]), code: E.PROTOCOL_ERROR },
    { reason: 'An HPACK index of 0 is a COMPRESSION_ERROR.', bytes: () => frameBytes(T.HEADERS, END_HEADERS, 1, Buffer.from([0x80])), code: E.COMPRESSION_ERROR },
    { reason: 'An HPACK index past the tables is a COMPRESSION_ERROR.', bytes: () => frameBytes(T.HEADERS, END_HEADERS, 1, Buffer.from([0xff, 0x10])), code: E.COMPRESSION_ERROR },
    { reason: 'A Huffman string padded with zeros is a COMPRESSION_ERROR.', bytes: () => frameBytes(T.HEADERS, END_HEADERS, 1, Buffer.from([0x00, 0x81, 0x00, 0x00])), code: E.COMPRESSION_ERROR },
    { reason: 'HEADERS opening a stream numbered below the last opened is a PROTOCOL_ERROR.', bytes: () => Buffer.concat([frameBytes(T.HEADERS, END_HEADERS, 5, requestBlock()), frameBytes(T.HEADERS, END_HEADERS, 3, requestBlock())]), code: E.PROTOCOL_ERROR },
    { reason: 'A header block flood over CONTINUATION is ENHANCE_YOUR_CALM.', bytes: () => Buffer.concat([frameBytes(T.HEADERS, 0, 1, Buffer.alloc(0)), ...Array.from({ length: 10 }, () => frameBytes(T.CONTINUATION, 0, 1, Buffer.alloc(16_000, 0x40)))]), code: E.ENHANCE_YOUR_CALM },
  ])('$reason', async ({ bytes, code, raw }) => {
    const c = await connect(raw === true ? null : Buffer.alloc(0));
    c.write(bytes());
    expect(await c.goaway()).toBe(code);
    await c.closed;
    // The server goes on serving other connections.
    const next = await connect();
    next.request(1, RUN, request('still'));
    expect(tagOf((await next.answer(1)).data)).toBe('still');
  });

  it('ignores trailers on a stream it reset, but ends the connection for HEADERS on a stream that ended (RFC 9113 §5.1, §5.1.1)', async () => {
    const c = await connect();
    c.request(1, RUN, undefined);
    c.send(T.DATA, 0, 1, Buffer.from([0, 0, 0x10, 0, 0]));
    expect((await c.answer(1)).rst).toBe(E.NO_ERROR);
    c.send(T.HEADERS, END_HEADERS | END_STREAM, 1, literalHeaders([['grpc-status', '0']]));
    c.request(3, RUN, request('after-reset'));
    expect(tagOf((await c.answer(3)).data)).toBe('after-reset');
    c.send(T.HEADERS, END_HEADERS | END_STREAM, 3, literalHeaders([['x-late', '1']]));
    expect(await c.goaway()).toBe(E.PROTOCOL_ERROR);
  });

  it('resets a stream whose PRIORITY is not 5 bytes with FRAME_SIZE_ERROR, and serves the next (RFC 9113 §6.3)', async () => {
    const c = await connect();
    c.request(1, RUN, undefined);
    c.send(T.PRIORITY, 0, 1, u32(0));
    expect((await c.answer(1)).rst).toBe(E.FRAME_SIZE_ERROR);
    c.send(T.PRIORITY, 0, 3, Buffer.alloc(5));
    c.request(3, RUN, request('prioritized'));
    expect(tagOf((await c.answer(3)).data)).toBe('prioritized');
    expect(c.frames.some((f) => f.type === T.GOAWAY)).toBe(false);
  });

  it('drops a call its client resets, and serves the next stream on the connection', async () => {
    const c = await connect();
    c.request(1, RUN, undefined);
    c.send(T.RST_STREAM, 0, 1, u32(8));
    c.request(3, RUN, request('next'));
    expect(tagOf((await c.answer(3)).data)).toBe('next');
    expect(c.frames.filter((f) => f.streamId === 1)).toEqual([]);
  });
});

describe('the frames transport at shutdown and for health', () => {
  it('sends GOAWAY NO_ERROR naming the last stream, and streams health Watch on the function port until then', async () => {
    const server = await startFunctionServer({ name: 'h', run: (req) => respond(req, 60), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), transport: 'frames' });
    const c = await RawH2.connect(server.port);
    const health = healthClient(`127.0.0.1:${server.port}`);
    const watched: string[] = [];
    const stop = health.watch(FUNCTION_SERVICE, (s) => watched.push(s));
    try {
      c.request(1, RUN, request('last'));
      await c.answer(1);
      expect(await health.check('')).toEqual({ status: 'SERVING' });
      for (let i = 0; i < 50 && watched.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
      await server.shutdown(1000);
      const goaway = await c.next((f) => f.type === T.GOAWAY);
      expect({ last: goaway?.payload.readUInt32BE(0), code: goaway?.payload.readUInt32BE(4) }).toEqual({ last: 1, code: E.NO_ERROR });
      expect(watched).toEqual(['SERVING', 'NOT_SERVING']);
    } finally {
      stop();
      health.close();
      c.close();
    }
  });
});

describe('the frames transport over mutual TLS', () => {
  it.each([
    { reason: 'A client offering h2 with a certificate from the CA is served.', alpn: ['h2'], served: true },
    { reason: 'A client offering only http/1.1 is refused.', alpn: ['http/1.1'], served: false },
    { reason: 'A client offering no protocol is refused.', alpn: [] as string[], served: false },
  ])('$reason', async ({ alpn, served }) => {
    const pki = makeTestPki();
    const server = await startFunctionServer({ name: 'tls', run: (req) => respond(req, 60), address: '127.0.0.1:0', credentials: mutualTlsCredentials(await readTlsDir(pki.serverDir)), transport: 'frames' });
    try {
      const socket = tls.connect({ port: server.port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca, cert: pki.clientCert, key: pki.clientKey, ALPNProtocols: alpn });
      socket.on('error', () => undefined);
      const preface = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frameBytes(T.SETTINGS, 0, 0)]);
      socket.once('secureConnect', () => socket.write(preface));
      const answered = await new Promise<boolean>((resolve) => {
        socket.once('data', () => resolve(true));
        socket.once('close', () => resolve(false));
        setTimeout(() => resolve(false), 3000);
      });
      socket.destroy();
      expect(answered).toBe(served);
    } finally {
      await server.shutdown(100);
    }
  });
});

describe('the frames transport reading HPACK from nghttp2', () => {
  it('keeps its dynamic table in step over 300 calls whose headers fill, evict and overflow it', async () => {
    const server = await startFunctionServer({ name: 'hpack', run: (req) => respond(req, 60), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), transport: 'frames' });
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    session.on('error', () => undefined);
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const text = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(32 + random(95))).join('');
    try {
      const call = (i: number): Promise<string | undefined> => new Promise((resolve, reject) => {
        const extra = Object.fromEntries(Array.from({ length: 1 + random(6) }, (_, k) => [`x-h${random(40)}-${k}`, text(random(5) === 0 ? 5000 : 1 + random(300))]));
        const stream = session.request({ ':method': 'POST', ':path': RUN, 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': `${1000 + i}m`, ...extra });
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', reject);
        stream.on('close', () => resolve(chunks.length === 0 ? undefined : tagOf(Buffer.concat(chunks))));
        stream.end(request(`h-${i}`));
      });
      const tags: (string | undefined)[] = [];
      for (let i = 0; i < 300; i += 10) tags.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => call(i + k)))));
      expect(tags).toEqual(Array.from({ length: 300 }, (_, i) => `h-${i}`));
    } finally {
      session.close();
      await server.shutdown(100);
    }
  });
});
