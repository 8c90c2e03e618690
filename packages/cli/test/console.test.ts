import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, newConsoleCommand } from '@scia/cli';
import type { ConsoleServer } from '@scia/console-api';
import { TEST_RULES, TEST_TOKENS, startKubeApiServer, type KubeApiServer } from '@scia/console-api/testing';

let kube: KubeApiServer;
let dir: string;
beforeAll(async () => {
  kube = await startKubeApiServer({ tokens: TEST_TOKENS, rules: TEST_RULES });
  dir = mkdtempSync(join(tmpdir(), 'scia-console-cli-'));
  writeFileSync(join(dir, 'kubeconfig'), [
    'apiVersion: v1', 'kind: Config', 'current-context: loopback',
    'clusters: [{ name: loopback, cluster: { server: "' + kube.url + '", insecure-skip-tls-verify: true } }]',
    'users: [{ name: console, user: { token: console-token } }]',
    'contexts: [{ name: loopback, context: { cluster: loopback, user: console } }]', '',
  ].join('\n'));
});
afterAll(async () => {
  await kube.close();
  rmSync(dir, { recursive: true, force: true });
});

function io(env: NodeJS.ProcessEnv = {}): { io: Parameters<typeof main>[1]; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void): Writable => new Writable({ write(c: Buffer, _e, done) { f(c.toString()); done(); } });
  return { io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env: { HOME: dir, SCIA_DATA_DIR: join(dir, 'data'), ...env }, cwd: dir }, out: () => out, err: () => err };
}

describe('scia console', () => {
  it('serves GraphQL on the address given, with the kubeconfig given, until stopped', async () => {
    const stop = new AbortController();
    let server: ConsoleServer | undefined;
    const t = io();
    const running = newConsoleCommand({ stop: stop.signal, listening: (s) => (server = s) }).run(['--kubeconfig', join(dir, 'kubeconfig'), '--address', '127.0.0.1:0', '--no-preview'], t.io);
    while (server === undefined) await new Promise((ok) => setTimeout(ok, 20));
    await server.synced;
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer alice-token' }, body: JSON.stringify({ query: '{ deployments { totalCount } }' }) });
    expect(await res.json()).toEqual({ data: { deployments: { totalCount: 0 } } });
    stop.abort();
    expect(await running).toBe(0);
    expect(t.err()).toMatch(/^scia console: serving http:\/\/127\.0\.0\.1:\d+\/graphql/);
  });

  it.each(Object.entries({
    'no kubeconfig anywhere': { argv: [], env: {}, code: 1, err: 'scia console: cannot find a kubeconfig: pass --kubeconfig, set KUBECONFIG, or run in a cluster\n' },
    'a kubeconfig that is not there': { argv: ['--kubeconfig', '/nonexistent/kubeconfig'], env: {}, code: 1, err: expect.stringMatching(/^scia console: cannot load the kubeconfig: /) as unknown as string },
    'a key without its certificate': { argv: ['--tls-key', 'k.pem'], env: {}, code: 2, err: 'scia console: --tls-cert and --tls-key go together\n' },
    'a rate that is not a number': { argv: ['--rate', 'fast'], env: {}, code: 2, err: 'scia console: --rate: "fast" is not a positive number\n' },
  }))('refuses %s', async (_reason, { argv, env, code, err }) => {
    const t = io(env);
    expect(await main(['console', ...argv], t.io)).toBe(code);
    expect(t.err()).toEqual(err);
  });
});
