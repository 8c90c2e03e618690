import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleServer } from '@scia/console-api';
import { kubeConfigFor, startTestCluster, type TestCluster } from '@scia/console-api/testing';
import { makeTestPki } from '../../../test/support/certs.js';
import { claim, eventually, gql } from './support/client.js';

let c: TestCluster;
let web: string;
beforeAll(async () => {
  web = mkdtempSync(join(tmpdir(), 'scia-console-web-'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>SCIA</title>');
  writeFileSync(join(web, 'app.js'), 'console.log(1)');
  c = await startTestCluster({ console: { webDir: web, limits: { burst: 5, ratePerSecond: 1 } } });
  c.kube.put(claim('team-a', 'api'));
  await eventually(() => expect(c.console.cache.all()).toHaveLength(1));
});
afterAll(async () => {
  await c.close();
  rmSync(web, { recursive: true, force: true });
});

const base = (): string => c.console.url.replace(/\/graphql$/, '');

describe('the console server', () => {
  it('limits operations per token, not per server', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await gql(c.console.url, 'bob-token', '{ namespaces }')).status);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect((await gql(c.console.url, 'root-token', '{ namespaces }')).status).toBe(200);
  });

  it.each(Object.entries({
    'a list whose page times its priced fields is over the limit': { query: '{ deployments(first: 1000) { edges { node { id resources { name } similarCases { id } } } } }', code: 'QUERY_TOO_COMPLEX' },
    'a page size given as a variable counts the same': { query: 'query($n: Int) { deployments(first: $n) { edges { node { id resources { name } similarCases { id } } } } }', vars: { n: 1000 }, code: 'QUERY_TOO_COMPLEX' },
    'a query that does not validate': { query: '{ deployments { nope } }', code: 'GRAPHQL_VALIDATION_FAILED' },
  }))('refuses %s', async (_reason, { query, vars, code }) => {
    const r = await gql(c.console.url, 'alice-token', query, vars);
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions?.code ?? 'GRAPHQL_VALIDATION_FAILED').toBe(code);
  });

  it('answers a modest page with the same priced fields', async () => {
    const r = await gql(c.console.url, 'carol-token', '{ deployments(first: 10) { edges { node { id resources { name } } } } }');
    expect(r).toEqual({ status: 200, data: { deployments: { edges: [{ node: { id: 'team-a/api', resources: [] } }] } } });
  });

  it('serves metrics, health, the SDL and the dashboard', async () => {
    const metrics = await (await fetch(`${base()}/metrics`)).text();
    expect(metrics).toMatch(/scia_console_requests_total\{transport="http",operation="query",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/scia_console_rejected_total\{reason="rate_limited"\} [1-9]/);
    expect(metrics).toMatch(/scia_console_cached_deployments 1/);
    expect(metrics).toContain('scia_console_subscribers 0');
    expect(await (await fetch(`${base()}/healthz`)).text()).toBe('ok\n');
    expect(await (await fetch(`${base()}/schema.graphql`)).text()).toContain('type Query {');
    expect(await (await fetch(`${base()}/app.js`)).text()).toBe('console.log(1)');
    expect(await (await fetch(`${base()}/deployments/team-a/api`)).text()).toContain('<title>SCIA</title>');
    // A path climbing out of the build stays inside it: the app's page, never the file named.
    expect(await (await fetch(`${base()}/..%2f..%2fetc%2fpasswd`)).text()).toContain('<title>SCIA</title>');
    expect((await fetch(`${base()}/missing.js`)).status).toBe(404);
  });

  it('serves HTTPS when given a key pair', async () => {
    const pki = makeTestPki();
    let tls: ConsoleServer | undefined;
    try {
      tls = await startConsole({ kubeConfig: kubeConfigFor(c.kube.url, 'console-token'), tls: { cert: readFileSync(join(pki.serverDir, 'tls.crt')), key: readFileSync(join(pki.serverDir, 'tls.key')) } });
      await tls.synced;
      expect(tls.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const body = await new Promise<string>((ok, fail) => {
        const req = request(tls?.url ?? '', { method: 'POST', ca: pki.ca, headers: { 'content-type': 'application/json', authorization: 'Bearer alice-token' } }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => ok(text));
        });
        req.on('error', fail);
        req.end(JSON.stringify({ query: '{ namespaces }' }));
      });
      expect(JSON.parse(body)).toEqual({ data: { namespaces: ['team-a'] } });
    } finally {
      await tls?.close();
      rmSync(resolve(pki.dir), { recursive: true, force: true });
    }
  });
});
