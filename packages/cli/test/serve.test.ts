import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { Ready, type RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { dialFunction, type FunctionClient } from '@scia/runtime';
import type { BuiltinRegistry } from '@scia/render';
import { newServeCommand } from '@scia/cli';
import { makeTestPki } from '../../../test/support/certs.js';
import { healthClient } from '../../../test/support/health-client.js';
import { freePorts } from '../../../test/support/ports.js';
import { capture, compose, echoContext, registry, type Captured } from './fixtures.js';

const BUILTINS: BuiltinRegistry = registry({ 'function-compose': compose, 'function-echo': echoContext });

const REQUEST: RunFunctionRequest = {
  meta: { tag: 'abc', capabilities: [] },
  observed: { composite: { resource: { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', metadata: { name: 'x' } }, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED }, resources: {} },
  desired: { composite: undefined, resources: {} },
  context: {},
  extraResources: {},
  credentials: {},
  requiredResources: {},
  requiredSchemas: {},
};

interface Serving {
  captured: Captured;
  addresses: Map<string, string>;
  stop(): Promise<number>;
}

/** serve runs `scia serve` until stopped, once it has printed a line per function (or exited). */
async function serve(args: string[], expected: number, builtins: BuiltinRegistry = BUILTINS): Promise<Serving> {
  const captured = capture({});
  const abort = new AbortController();
  let exit: number | undefined;
  // No health listener unless the test asks for one: the default port is one for the whole machine.
  const withHealth = args.some((a) => a.startsWith('--health-address')) ? args : [...args, '--health-address', ''];
  const done = newServeCommand({ builtins, stop: abort.signal }).run(withHealth, captured.io).then((code) => (exit = code));
  const listening = (): string[] => captured.stderr().split('\n').filter((l) => l.includes(' listening on '));
  for (let i = 0; i < 500 && exit === undefined && listening().length < expected; i++) await new Promise((r) => setTimeout(r, 10));
  const addresses = new Map(listening().map((l) => [l.split(' ')[0] ?? '', l.split(' ')[3] ?? '']));
  return {
    captured,
    addresses,
    stop: async () => {
      abort.abort();
      return done;
    },
  };
}

async function call(client: FunctionClient, timeoutMs = 5_000): Promise<{ tag: string; resources: string[] }> {
  try {
    await client.waitForReady(timeoutMs);
    const rsp = await client.run(REQUEST, timeoutMs);
    return { tag: rsp.meta?.tag ?? '', resources: Object.keys(rsp.desired?.resources ?? {}).sort() };
  } finally {
    client.close();
  }
}

describe('scia serve', () => {
  it('serves every built-in, insecure, each on its own port, and drains when stopped', async () => {
    const s = await serve(['--insecure', '--address', '127.0.0.1:0', '--metrics-address', '127.0.0.1:0'], 2);
    const compose = await call(dialFunction(s.addresses.get('function-compose') ?? ''));
    const echo = await call(dialFunction(s.addresses.get('function-echo') ?? ''));
    const metricsLine = s.captured.stderr().split('\n').find((l) => l.startsWith('metrics on ')) ?? '';
    const metrics = await (await fetch(`http://${metricsLine.slice('metrics on '.length)}/metrics`)).text();
    const code = await s.stop();
    expect({
      code,
      names: [...s.addresses.keys()],
      distinct: new Set(s.addresses.values()).size,
      compose,
      echo,
      counted: ['compose', 'echo'].map((f) => metrics.includes(`function_run_function_requests_total{function="function-${f}"} 1`)),
    }).toEqual({
      code: 0,
      names: ['function-compose', 'function-echo'],
      distinct: 2,
      compose: { tag: 'abc', resources: ['bucket-a', 'bucket-b'] },
      echo: { tag: 'abc', resources: [] },
      counted: [true, true],
    });
  });

  it('answers gRPC health for all its functions on one plaintext listener, SERVING while they serve', async () => {
    const s = await serve(['--insecure', '--address', '127.0.0.1:0', '--metrics-address', '', '--health-address', '127.0.0.1:0'], 2);
    const line = s.captured.stderr().split('\n').find((l) => l.startsWith('health on ')) ?? '';
    const client = healthClient(line.slice('health on '.length));
    try {
      const check = (service: string): Promise<unknown> => client.check(service).catch((err: { code?: number }) => `error ${err.code ?? '?'}`);
      const serving = await Promise.all(['', 'apiextensions.fn.proto.v1.FunctionRunnerService', 'function-compose', 'function-echo', 'function-nope'].map(check));
      const statuses: string[] = [];
      const unwatch = client.watch('', (status) => statuses.push(status));
      for (let i = 0; i < 200 && statuses.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
      const code = await s.stop();
      for (let i = 0; i < 200 && statuses.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      unwatch();
      expect({ code, serving, statuses: statuses.slice(0, 2) }).toEqual({
        code: 0,
        serving: [{ status: 'SERVING' }, { status: 'SERVING' }, { status: 'SERVING' }, { status: 'SERVING' }, `error ${grpc.status.NOT_FOUND}`],
        statuses: ['SERVING', 'NOT_SERVING'],
      });
    } finally {
      client.close();
    }
  });

  it('puts the first function on --address and the next on the following port, in registry order', async () => {
    const [port = 0] = await freePorts(2);
    const s = await serve(['--insecure', `--address=127.0.0.1:${port}`, '--metrics-address=', '--only', 'function-echo,function-compose'], 2);
    const code = await s.stop();
    expect({ code, addresses: [...s.addresses.entries()] }).toEqual({
      code: 0,
      addresses: [
        ['function-compose', `127.0.0.1:${port}`],
        ['function-echo', `127.0.0.1:${port + 1}`],
      ],
    });
  });

  it("serves SCIA's functions in pipeline order, whatever the registry's order", async () => {
    const builtins = registry({ 'function-scia-record': echoContext, 'function-extra': compose, 'function-scia-analyze': echoContext, 'function-scia-decide': echoContext });
    const s = await serve(['--insecure', '--address', '127.0.0.1:0', '--metrics-address', ''], 4, builtins);
    expect({ code: await s.stop(), names: [...s.addresses.keys()] }).toEqual({
      code: 0,
      names: ['function-scia-analyze', 'function-scia-decide', 'function-scia-record', 'function-extra'],
    });
  });

  it('serves only the functions --only names', async () => {
    const s = await serve(['--insecure', '--address', '127.0.0.1:0', '--metrics-address', '', '--only=function-echo'], 1);
    const echo = await call(dialFunction(s.addresses.get('function-echo') ?? ''));
    expect({ code: await s.stop(), names: [...s.addresses.keys()], echo }).toEqual({ code: 0, names: ['function-echo'], echo: { tag: 'abc', resources: [] } });
  });

  it('requires client certificates signed by its CA unless --insecure', async () => {
    const pki = makeTestPki();
    const s = await serve(['--tls-server-certs-dir', pki.serverDir, '--address', '127.0.0.1:0', '--metrics-address', '', '--only', 'function-compose'], 1);
    const target = s.addresses.get('function-compose') ?? '';
    const trusted = await call(dialFunction(target, grpc.credentials.createSsl(pki.ca, pki.clientKey, pki.clientCert)));
    const stranger = await call(dialFunction(target, grpc.credentials.createSsl(pki.ca, pki.strangerKey, pki.strangerCert)), 1_000).then(
      () => 'accepted',
      () => 'refused',
    );
    const plaintext = await call(dialFunction(target), 1_000).then(
      () => 'accepted',
      () => 'refused',
    );
    expect({ code: await s.stop(), line: s.captured.stderr().split('\n')[0]?.endsWith('(mutual TLS)'), trusted, stranger, plaintext }).toEqual({
      code: 0,
      line: true,
      trusted: { tag: 'abc', resources: ['bucket-a', 'bucket-b'] },
      stranger: 'refused',
      plaintext: 'refused',
    });
  });

  const failures: Record<string, { reason: string; args: string[]; want: { code: number; stderr: string } }> = {
    UnknownFunction: {
      reason: '--only must name built-in functions.',
      args: ['--insecure', '--only', 'function-nope'],
      want: { code: 2, stderr: 'scia serve: unknown function "function-nope"; built-in functions: function-compose, function-echo\n' },
    },
    MissingCertificates: {
      reason: 'Without --insecure the certificates must be readable.',
      args: ['--tls-server-certs-dir', '/nonexistent/tls', '--address', '127.0.0.1:0', '--metrics-address', '', '--health-address', ''],
      want: {
        code: 1,
        stderr: "scia serve: cannot read TLS file /nonexistent/tls/tls.crt: ENOENT: no such file or directory, open '/nonexistent/tls/tls.crt'\n",
      },
    },
    UnknownFlag: {
      reason: 'Unknown flags are refused.',
      args: ['--frobnicate'],
      want: { code: 2, stderr: 'scia serve: unknown flag --frobnicate; run scia serve --help\n' },
    },
  };
  it.each(Object.entries(failures))('refuses: %s', async (_name, tc) => {
    const c = capture({});
    const code = await newServeCommand({ builtins: BUILTINS, stop: AbortSignal.abort() }).run(tc.args, c.io);
    expect({ reason: tc.reason, code, stderr: c.stderr() }).toEqual({ reason: tc.reason, ...tc.want });
  });
});
