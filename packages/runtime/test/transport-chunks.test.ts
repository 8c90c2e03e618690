import * as http2 from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { respond, startFunctionServer, TRANSPORTS, type RunningFunctionServer, type Transport } from '@scia/runtime';

const RUN = '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction';
const message = Buffer.from(RunFunctionRequest.encode(RunFunctionRequest.fromPartial({
  meta: { tag: 't-chunks' },
  desired: { resources: { big: { resource: { apiVersion: 'v1', kind: 'ConfigMap', data: { blob: 'x'.repeat(70_000) } } } } },
})).finish());
const framed = (m: Buffer): Buffer => Buffer.concat([Buffer.from([0, m.length >>> 24, (m.length >>> 16) & 255, (m.length >>> 8) & 255, m.length & 255]), m]);

interface Answer {
  grpcStatus: string | undefined;
  body: Buffer;
}

/** send writes `pieces` as separate DATA frames (one per turn of the event loop) on one stream, then ends it. */
function send(port: number, pieces: Buffer[], headers: http2.OutgoingHttpHeaders = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', ':path': RUN, 'content-type': 'application/grpc', te: 'trailers', ...headers });
    let status: string | undefined;
    const chunks: Buffer[] = [];
    stream.on('response', (h: http2.IncomingHttpHeaders) => { status ??= h['grpc-status'] as string | undefined; });
    stream.on('trailers', (t: http2.IncomingHttpHeaders) => { status ??= t['grpc-status'] as string | undefined; });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', () => undefined);
    stream.on('close', () => {
      session.close();
      resolve({ grpcStatus: status, body: Buffer.concat(chunks) });
    });
    const write = (i: number): void => {
      if (i === pieces.length) return void stream.end();
      stream.write(pieces[i], () => setImmediate(() => write(i + 1)));
    };
    write(0);
  });
}

/** cut splits `bytes` at `offsets`. */
const cut = (bytes: Buffer, offsets: number[]): Buffer[] => [0, ...offsets].map((at, i) => bytes.subarray(at, offsets[i] ?? bytes.length));

describe.each(TRANSPORTS)('a request in pieces on %s', (transport: Transport) => {
  let server: RunningFunctionServer;
  let whole: Answer;

  beforeAll(async () => {
    server = await startFunctionServer({ name: 'echo', run: (req) => respond(req, 60), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), transport, maxReceiveBytes: 1024 * 1024 });
    whole = await send(server.port, [framed(message)]);
  });
  afterAll(async () => {
    await server.shutdown(100);
  });

  const bytes = framed(message);
  it.each([
    { reason: 'the prefix split in two', pieces: cut(bytes, [2]), status: '0' },
    { reason: 'the prefix in three pieces, the message in many', pieces: cut(bytes, [1, 3, 5, 100, 16_000, 40_000, 69_999]), status: '0' },
    { reason: 'the prefix with the first message bytes, then the rest', pieces: cut(bytes, [7]), status: '0' },
    { reason: 'a second message after the first (UNIMPLEMENTED)', pieces: cut(Buffer.concat([bytes, bytes]), [3, bytes.length + 2]), status: '12' },
    { reason: 'one byte past the message (UNIMPLEMENTED)', pieces: cut(Buffer.concat([bytes, Buffer.from([0])]), [10_000]), status: '12', grpcJs: '0' },
    { reason: 'the message cut one byte short (INTERNAL)', pieces: cut(bytes.subarray(0, bytes.length - 1), [4, 20_000]), status: '13', grpcJs: '12' },
    { reason: 'a prefix cut short (INTERNAL)', pieces: [bytes.subarray(0, 2), bytes.subarray(2, 4)], status: '13', grpcJs: '12' },
  ])('answers $reason as when it comes whole', async ({ reason, pieces, status, ...rest }) => {
    expect(whole.grpcStatus).toBe('0');
    const got = await send(server.port, pieces);
    // grpc-js's own server answers a few malformed requests otherwise (`grpcJs`); the lean transports answer as the gRPC protocol says.
    expect(got.grpcStatus, reason).toBe(transport === 'grpc-js' && 'grpcJs' in rest ? rest.grpcJs : status);
    if (status === '0') expect(got.body.equals(whole.body), reason).toBe(true);
  });
});

describe.each(TRANSPORTS)('deadlines on %s', (transport: Transport) => {
  it('ends a call with a short deadline on time while an earlier call holds a long one', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const server = await startFunctionServer({ name: 'held', run: async (req) => { await gate; return respond(req, 60); }, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), transport });
    try {
      const long = send(server.port, [framed(message)], { 'grpc-timeout': '60S' });
      await new Promise((r) => setTimeout(r, 50));
      const started = performance.now();
      const short = await send(server.port, [framed(message)], { 'grpc-timeout': '100m' });
      expect({ status: short.grpcStatus, onTime: performance.now() - started < 5000 }).toEqual({ status: '4', onTime: true });
      release();
      expect((await long).grpcStatus).toBe('0');
    } finally {
      release();
      await server.shutdown(100);
    }
  });
});
