import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextKey } from '@scia/api';
import { runFunction, definition } from '@scia/function-analyze';
import { dialFunction, startFunctionServer, type FunctionClient, type RunningFunctionServer } from '@scia/runtime';
import { createRepo, startGitServer, type GitServer } from '../../../test/support/git-server.js';
import { clock, deps, xr } from './fixtures.js';

let srv: GitServer;
let fn: RunningFunctionServer;
let client: FunctionClient;

beforeAll(async () => {
  srv = await startGitServer();
  createRepo(srv.root, 'svc').commit({ 'go.mod': 'module svc\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n' });
  const d = deps(clock());
  fn = await startFunctionServer({ name: definition.name, run: (req) => runFunction(req, d), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure() });
  client = dialFunction(fn.address);
  await client.waitForReady(5000);
});
afterAll(async () => {
  client.close();
  await fn.shutdown();
  await srv.close();
});

describe('function-scia-analyze over gRPC', () => {
  it('stays healthy after hostile requests', async () => {
    const hostile = [xr(undefined), xr({ url: 'https://169.254.169.254/latest/meta-data' }), xr({ url: 'file:///etc' }), xr({ url: srv.url('svc'), ref: '../../etc/passwd' })];
    const answers = await Promise.all(hostile.map((req) => client.run(req)));
    const after = await client.run(xr({ url: srv.url('svc'), ref: 'main' }));
    expect({
      fatal: answers.map((a) => a.results.map((r) => r.reason)),
      after: (after.context?.[ContextKey.analysis] as Record<string, unknown> | undefined)?.['framework'],
    }).toEqual({ fatal: [['InvalidRepository'], ['RepositoryUnavailable'], ['InvalidRepository'], ['InvalidRepository']], after: 'gin' });
  });

  it('answers with the analysis, then serves the pin without touching the Git server', async () => {
    const spec = { url: srv.url('svc'), ref: 'main' };
    const first = await client.run(xr(spec));
    const analysis = first.context?.[ContextKey.analysis] as Record<string, unknown>;
    const before = srv.requests.length;
    const second = await client.run(xr(spec, { analysis }));
    expect({
      tag: second.meta?.tag,
      framework: analysis['framework'],
      requests: srv.requests.length - before,
      same: JSON.stringify(second.context) === JSON.stringify(first.context),
    }).toEqual({ tag: 'test-tag', framework: 'gin', requests: 0, same: true });
  });
});
