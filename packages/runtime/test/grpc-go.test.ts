import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { mutualTlsCredentials, readTlsDir, respond, setDesiredResource, startFunctionServer, TRANSPORTS, type RunFn, type RunningFunctionServer } from '@scia/runtime';
import { makeTestPki, type TestPki } from '../../../test/support/certs.js';

// Crossplane calls functions through grpc-go: these tests call both transports with it, built from Debian's sources.
const GOPATH = process.env['SCIA_TEST_GOPATH'] ?? '/usr/share/gocode';
const goSkipReason = ((): string | undefined => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    return 'grpc-go interop skipped: no `go` on PATH (apt-get install golang-go golang-google-grpc-dev, as scripts/test-deps.sh does)';
  }
  if (!existsSync(join(GOPATH, 'src/google.golang.org/grpc'))) return `grpc-go interop skipped: no grpc-go sources in ${GOPATH} (apt-get install golang-google-grpc-dev, or set SCIA_TEST_GOPATH)`;
  return undefined;
})();
if (goSkipReason !== undefined) console.log(goSkipReason);

let built: string | undefined;

/** buildClient compiles test/grpc-go/client.go once per test file (GOPATH mode, against Debian's grpc-go sources), with its build cache in the run's temporary directory. */
function buildClient(): string {
  if (built !== undefined) return built;
  const out = mkdtempSync(join(tmpdir(), 'scia-grpc-go-'));
  const client = join(out, 'client');
  execFileSync('go', ['build', '-o', client, fileURLToPath(new URL('grpc-go/client.go', import.meta.url))], {
    env: { ...process.env, GO111MODULE: 'off', GOPATH, GOFLAGS: '', GOCACHE: join(out, 'cache') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  built = client;
  return client;
}

/** Answer is the Go client's one line: the last response's bytes, or the first failure's status. */
interface Answer {
  code: number;
  message?: string;
  response?: string;
}

function callGo(client: string, args: string[], request: Uint8Array): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const child = spawn(client, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the grpc-go client exited ${String(code)}: ${Buffer.concat(err).toString()}`));
      resolve(JSON.parse(Buffer.concat(out).toString()) as Answer);
    });
    child.stdin.end(Buffer.from(request));
  });
}

const decode = (a: Answer): RunFunctionResponse => RunFunctionResponse.decode(Buffer.from(a.response ?? '', 'base64'));
const encode = (req: RunFunctionRequest): Uint8Array => RunFunctionRequest.encode(req).finish();

/** addsBucket answers with the request's context and one composed resource. */
const addsBucket: RunFn = (req) => {
  const rsp = respond(req, 30);
  setDesiredResource(rsp, 'bucket', { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket' });
  return rsp;
};

/** counted answers after 20 ms and keeps the largest number of calls it had in flight at once. */
function counted(): { run: RunFn; most: () => number } {
  let now = 0;
  let most = 0;
  const run: RunFn = async (req, log) => {
    most = Math.max(most, ++now);
    await new Promise((resolve) => setTimeout(resolve, 20));
    now--;
    return addsBucket(req, log);
  };
  return { run, most: () => most };
}

/** sleeps answers after 3 s, past the deadline the deadline test gives. */
const sleeps: RunFn = (req) => new Promise((resolve) => setTimeout(() => resolve(respond(req, 30)), 3_000).unref());

describe.skipIf(goSkipReason !== undefined).each(TRANSPORTS)('grpc-go calling the %s transport', (transport) => {
  let client: string;
  let pki: TestPki;
  let plain: RunningFunctionServer;
  let secure: RunningFunctionServer;
  let slow: RunningFunctionServer;
  let bounded: RunningFunctionServer;
  const inFlight = counted();

  beforeAll(async () => {
    client = buildClient();
    pki = makeTestPki();
    const insecure = grpc.ServerCredentials.createInsecure();
    plain = await startFunctionServer({ name: 'adds-bucket', run: addsBucket, address: '127.0.0.1:0', credentials: insecure, transport });
    slow = await startFunctionServer({ name: 'sleeps', run: sleeps, address: '127.0.0.1:0', credentials: insecure, transport });
    bounded = await startFunctionServer({ name: 'adds-bucket', run: inFlight.run, address: '127.0.0.1:0', credentials: insecure, transport, maxConcurrentCalls: 3 });
    secure = await startFunctionServer({ name: 'adds-bucket', run: addsBucket, address: '127.0.0.1:0', credentials: mutualTlsCredentials(await readTlsDir(pki.serverDir)), transport });
  }, 300_000);
  afterAll(async () => {
    await Promise.all([plain?.shutdown(100), secure?.shutdown(100), slow?.shutdown(100), bounded?.shutdown(100)]);
  });

  const request = (context: Record<string, unknown> = {}): Uint8Array => encode(RunFunctionRequest.fromPartial({ meta: { tag: 'go-1' }, context }));
  const tlsArgs = (withCert: boolean): string[] => [
    '-ca', join(pki.dir, 'ca.crt'),
    ...(withCert ? ['-cert', join(pki.dir, 'client.crt'), '-key', join(pki.dir, 'client.key')] : []),
  ];

  it('answers twenty calls on one plaintext connection', async () => {
    const got = await callGo(client, ['-target', `127.0.0.1:${plain.port}`, '-calls', '20'], request());
    const rsp = decode(got);
    expect({ code: got.code, tag: rsp.meta?.tag, resources: Object.keys(rsp.desired?.resources ?? {}) }).toEqual({ code: 0, tag: 'go-1', resources: ['bucket'] });
  });

  it('queues calls past the calls a connection may have in flight, and answers them all', async () => {
    const got = await callGo(client, ['-target', `127.0.0.1:${bounded.port}`, '-parallel', '12', '-calls', '2'], request());
    expect({ code: got.code, resources: Object.keys(decode(got).desired?.resources ?? {}), mostInFlight: inFlight.most() }).toEqual({ code: 0, resources: ['bucket'], mostInFlight: 3 });
  });

  it('carries a 3 MB request and its 3 MB answer', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const got = await callGo(client, ['-target', `127.0.0.1:${plain.port}`], request({ 'scia.io/big': big }));
    expect({ code: got.code, same: decode(got).context?.['scia.io/big'] === big }).toEqual({ code: 0, same: true });
  });

  it.each([
    { reason: 'A client with a certificate from the CA is answered.', withCert: true, code: grpc.status.OK },
    { reason: 'A client without a certificate cannot connect.', withCert: false, code: grpc.status.UNAVAILABLE },
  ])('$reason', async ({ withCert, code }) => {
    const got = await callGo(client, ['-target', `localhost:${secure.port}`, '-timeout', '5s', ...tlsArgs(withCert)], request());
    expect(got.code).toBe(code);
  });

  it('ends a call past the deadline grpc-go sends with DEADLINE_EXCEEDED', async () => {
    const got = await callGo(client, ['-target', `127.0.0.1:${slow.port}`, '-timeout', '300ms'], request());
    expect(got.code).toBe(grpc.status.DEADLINE_EXCEEDED);
  });

  it('answers a method it does not serve with UNIMPLEMENTED', async () => {
    const got = await callGo(client, ['-target', `127.0.0.1:${plain.port}`, '-method', '/apiextensions.fn.proto.v1.FunctionRunnerService/Nope'], request());
    expect(got.code).toBe(grpc.status.UNIMPLEMENTED);
  });
});
