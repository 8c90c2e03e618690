import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { Api, RequiredName, type Analysis } from '@scia/api';
import { RETRY_TTL_SECONDS, runFunction } from '@scia/function-analyze';
import { createRepo, git, startGitServer, type GitRepo, type GitServer } from '../../../test/support/git-server.js';
import { clock, deps, seen, xr, type Seen } from './fixtures.js';

let srv: GitServer;
let app: GitRepo;
let first = '';

beforeAll(async () => {
  srv = await startGitServer();
  app = createRepo(srv.root, 'app');
  first = app.commit({ 'requirements.txt': 'flask\ngunicorn\nredis\n', 'app.py': 'app = Flask(__name__)\n' });
  createRepo(srv.root, 'docs').commit({ 'README.md': '# Just notes\n' });
});
afterAll(() => srv.close());

const fetchRequests = () => srv.requests.filter((r) => r.method === 'POST').length;

describe('invalid repositories are Fatal', () => {
  const cases: Record<string, { reason: string; repository: () => unknown; want: string }> = {
    missing: { reason: 'no spec.repository', repository: () => undefined, want: 'cannot analyze repository: spec.repository: Invalid input: expected object, received undefined' },
    'empty-url': { reason: 'an empty URL', repository: () => ({ url: '' }), want: 'cannot analyze repository: spec.repository.url: Too small: expected string to have >=1 characters' },
    http: { reason: 'plain http to a public host', repository: () => ({ url: 'http://github.com/acme/app' }), want: 'cannot analyze repository: spec.repository.url: scheme http is not allowed: use https' },
    local: { reason: 'a local path without SCIA_ALLOW_LOCAL_REPOS', repository: () => ({ url: '/srv/app' }), want: 'cannot analyze repository: spec.repository.url: local paths are not allowed here (set SCIA_ALLOW_LOCAL_REPOS=true to allow them)' },
    'unsafe-ref': { reason: 'a ref that climbs out of .git', repository: () => ({ url: srv.url('app'), ref: '../../etc/passwd' }), want: 'cannot analyze repository: spec.repository.ref: must be a branch, a tag, HEAD or a commit SHA' },
    'unsafe-path': { reason: 'an app path outside the repository', repository: () => ({ url: srv.url('app'), path: '../other' }), want: 'cannot analyze repository: spec.repository.path: must be a relative directory inside the repository' },
  };
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    const rsp = await runFunction(xr(c.repository()), deps(clock()));
    expect(seen(rsp), c.reason).toEqual({ ttl: 60, results: [{ severity: 'SEVERITY_FATAL', message: c.want, reason: 'InvalidRepository' }], context: undefined, status: undefined });
  });
});

describe('a repository that cannot be reached yet is a Warning and a retry, never a Fatal', () => {
  const cases: Record<string, { reason: string; repository: () => unknown; want: string }> = {
    ssrf: { reason: 'a host resolving to a private address (its DNS may change, an allow-list may be added)', repository: () => ({ url: 'https://10.0.0.7/acme/app' }), want: 'cannot resolve ref "HEAD": host 10.0.0.7 resolves to 10.0.0.7, a loopback, private or link-local address (allow it with SCIA_GIT_ALLOWED_HOSTS)' },
    'missing-ref': { reason: 'a ref that does not exist yet (a branch not pushed)', repository: () => ({ url: srv.url('app'), ref: 'nope' }), want: 'cannot resolve ref "nope": the repository has no such branch or tag' },
  };
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    const rsp = await runFunction(xr(c.repository()), deps(clock()));
    expect(seen(rsp), c.reason).toEqual({
      ttl: RETRY_TTL_SECONDS,
      results: [{ severity: 'SEVERITY_WARNING', message: `cannot analyze repository, retrying in ${RETRY_TTL_SECONDS} s: ${c.want}`, reason: 'RepositoryUnavailable' }],
      context: undefined,
      status: { phase: 'Analyzing' },
    });
  });

  it('does not pass on the analysis of the repository the claim named before', async () => {
    const before = seen(await runFunction(xr({ url: srv.url('app'), ref: 'main' }), deps(clock())));
    const moved = seen(await runFunction(xr({ url: srv.url('gone'), ref: 'main' }, { analysis: before.context }), deps(clock())));
    expect({ context: moved.context, status: moved.status, reasons: moved.results.map((r) => r.reason) }).toEqual({
      context: undefined,
      status: { phase: 'Analyzing' },
      reasons: ['RepositoryUnavailable'],
    });
  });
});

describe('pinning by commit', () => {
  it('fetches once, reuses the pin with no request inside the TTL, re-resolves after it, fetches again only for a new commit', async () => {
    const c = clock();
    const d = deps(c);
    const spec = { url: srv.url('app'), ref: 'main' };
    srv.requests.length = 0;

    const one = await runFunction(xr(spec), d);
    const pinned = seen(one).context as Analysis;
    expect({ commit: pinned.commit, framework: pinned.framework, resolvedAt: pinned.resolvedAt, services: pinned.services.map((s) => s.kind), fetches: d.fetches.count, posts: fetchRequests() })
      .toEqual({ commit: first, framework: 'flask', resolvedAt: '2026-03-01T10:00:00.000Z', services: ['redis'], fetches: 1, posts: 1 });
    expect(seen(one)).toEqual({ ttl: 60, results: [], context: pinned, status: { analysis: pinned } });

    const before = srv.requests.length;
    c.at = new Date('2026-03-01T10:04:00.000Z');
    const two = await runFunction(xr(spec, { analysis: pinned }), d);
    expect({ requests: srv.requests.length - before, fetches: d.fetches.count, same: JSON.stringify(two) === JSON.stringify(one) }).toEqual({ requests: 0, fetches: 1, same: true });

    c.at = new Date('2026-03-01T10:05:01.000Z');
    const three = await runFunction(xr(spec, { analysis: pinned }), d);
    expect({ requests: srv.requests.slice(before).map((r) => `${r.method} ${r.path}`), fetches: d.fetches.count, context: seen(three).context })
      .toEqual({ requests: ['GET /app/info/refs'], fetches: 1, context: { ...pinned, resolvedAt: '2026-03-01T10:05:01.000Z' } });

    const second = app.commit({ 'Procfile': 'web: gunicorn app:app --bind 0.0.0.0:7000\n' });
    c.at = new Date('2026-03-01T10:10:02.000Z');
    const four = await runFunction(xr(spec, { analysis: seen(three).context }), d);
    const next = seen(four).context as Analysis;
    expect({ commit: next.commit, port: next.port, resolvedAt: next.resolvedAt, fetches: d.fetches.count }).toEqual({ commit: second, port: 7000, resolvedAt: '2026-03-01T10:10:02.000Z', fetches: 2 });
  });

  it('keeps the pin of a monorepo analysed at an app it chose', async () => {
    const c = clock();
    const d = deps(c);
    createRepo(srv.root, 'mono').commit({ 'package.json': '{"workspaces":["apps/*"]}', 'apps/api/package.json': '{"dependencies":{"koa":"^2"}}', 'apps/site/package.json': '{"dependencies":{"astro":"^4"}}' });
    const spec = { url: srv.url('mono') };
    const pinned = seen(await runFunction(xr(spec), d)).context as Analysis;
    const before = srv.requests.length;
    const again = seen(await runFunction(xr(spec, { analysis: pinned }), d));
    expect({ monorepo: pinned.monorepo, path: pinned.path, requests: srv.requests.length - before, context: again.context }).toEqual({
      monorepo: { tool: 'npm-workspaces', apps: ['apps/api', 'apps/site'], analyzed: 'apps/api' },
      path: undefined,
      requests: 0,
      context: pinned,
    });
  });

  it('never re-resolves a full SHA', async () => {
    const c = clock();
    const d = deps(c);
    const spec = { url: srv.url('app'), ref: first };
    const one = seen(await runFunction(xr({ url: srv.url('app'), ref: 'main' }), d)).context as Analysis;
    const pinnedAtSha = { ...one, ref: first, commit: first };
    const before = srv.requests.length;
    c.at = new Date('2027-01-01T00:00:00.000Z');
    const rsp = await runFunction(xr(spec, { analysis: pinnedAtSha }), d);
    expect({ requests: srv.requests.length - before, context: seen(rsp).context }).toEqual({ requests: 0, context: pinnedAtSha });
  });
});

describe('the call budget', () => {
  it('answers Analyzing with a short TTL while the fetch goes on, then picks the result up', async () => {
    const c = clock();
    const d = deps(c, { budgetMs: 0 });
    const spec = { url: srv.url('app'), ref: 'main' };
    const waiting = await runFunction(xr(spec), d);
    expect(seen(waiting)).toEqual({ ttl: 5, results: [], context: undefined, status: { phase: 'Analyzing' } });
    await d.jobs.idle();
    const done = seen(await runFunction(xr(spec), d));
    expect({ ttl: done.ttl, framework: (done.context as Analysis).framework, fetches: d.fetches.count }).toEqual({ ttl: 60, framework: 'flask', fetches: 1 });
  });

  it('keeps the pinned analysis in context while a new repository is analysed', async () => {
    const c = clock();
    const pinned = seen(await runFunction(xr({ url: srv.url('app'), ref: 'main' }), deps(c))).context as Analysis;
    const d = deps(c, { budgetMs: 0 });
    const rsp = await runFunction(xr({ url: srv.url('docs'), ref: 'main' }, { analysis: pinned }), d);
    expect(seen(rsp)).toEqual({ ttl: 5, results: [], context: pinned, status: { analysis: pinned, phase: 'Analyzing' } });
    await d.jobs.idle();
  });
});

describe('degrading', () => {
  it('keeps the pin with a Warning when the ref disappears', async () => {
    const c = clock();
    const d = deps(c);
    git(app.dir, 'branch', 'short-lived');
    const spec = { url: srv.url('app'), ref: 'short-lived' };
    const pinned = seen(await runFunction(xr(spec), d)).context as Analysis;
    git(app.dir, 'branch', '-D', 'short-lived');
    c.at = new Date('2026-03-01T11:00:00.000Z');
    const rsp = await runFunction(xr(spec, { analysis: pinned }), d);
    expect(seen(rsp)).toEqual({
      ttl: 60,
      results: [{ severity: 'SEVERITY_WARNING', message: `cannot refresh the analysis, keeping commit ${pinned.commit.slice(0, 12)}: cannot resolve ref "short-lived": the repository has no such branch or tag`, reason: 'AnalysisStale' }],
      context: pinned,
      status: { analysis: pinned },
    });
  });

  it('writes a low-confidence analysis with a Warning when nothing is recognisable', async () => {
    const rsp = seen(await runFunction(xr({ url: srv.url('docs') }), deps(clock())));
    const a = rsp.context as Analysis;
    expect({ results: rsp.results, framework: a.framework, confidence: a.confidence, warnings: a.warnings }).toEqual({
      results: [{ severity: 'SEVERITY_WARNING', message: `analysis of ${srv.url('docs')} at ${a.commit.slice(0, 12)} found no recognisable framework (confidence 0.1)`, reason: 'LowConfidenceAnalysis' }],
      framework: 'none',
      confidence: 0.1,
      warnings: ['found no recognisable app: no manifest of a known language or framework'],
    });
  });
});

describe('credentials', () => {
  /** claim is a v2 Deployment of team-a naming `repository`; `secrets` answers the step's Secret requirement (undefined: not yet). */
  function claim(repository: unknown, secrets?: Array<Record<string, unknown>>, platform?: Record<string, string>): RunFunctionRequest {
    return RunFunctionRequest.fromPartial({
      meta: { tag: 't' },
      observed: { composite: { resource: { apiVersion: Api.apiVersion, kind: Api.claimKind, metadata: { name: 'app', namespace: 'team-a' }, spec: { repository } } } },
      ...(platform === undefined ? {} : { credentials: { git: { credentialData: { data: Object.fromEntries(Object.entries(platform).map(([k, v]) => [k, Buffer.from(v)])) } } } }),
      ...(secrets === undefined ? {} : { requiredResources: { [RequiredName.gitSecret]: { items: secrets.map((resource) => ({ resource })) } } }),
    });
  }
  const secret = (name: string, data: Record<string, string>): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'team-a' },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  });

  let locked: GitServer;
  beforeAll(async () => {
    locked = await startGitServer({ basicAuth: 'bot:hunter2-token' });
    createRepo(locked.root, 'private').commit({ 'Cargo.toml': '[package]\nname = "svc"\n[dependencies]\naxum = "0.7"\n' });
  });
  afterAll(async () => {
    await locked.close();
  });
  const denied: Seen['results'] = [
    { severity: 'SEVERITY_WARNING', message: `cannot analyze repository, retrying in ${RETRY_TTL_SECONDS} s: cannot resolve ref "main": HTTP Error: 401 Unauthorized`, reason: 'RepositoryUnavailable' },
  ];

  it('asks Crossplane for the Secret in the claim\'s namespace, then clones with it and never reports it', async () => {
    const spec = { url: locked.url('private'), ref: 'main', credentialsSecretRef: { name: 'acme-git' } };
    const first = await runFunction(claim(spec), deps(clock()));
    const second = seen(await runFunction(claim(spec, [secret('acme-git', { username: 'bot', password: 'hunter2-token' })]), deps(clock())));
    expect({
      requirements: first.requirements?.resources,
      framework: (second.context as Analysis | undefined)?.framework,
      leaked: JSON.stringify([first, second]).includes('hunter2'),
    }).toEqual({
      requirements: { [RequiredName.gitSecret]: { apiVersion: 'v1', kind: 'Secret', matchName: 'acme-git', namespace: 'team-a' } },
      framework: 'axum',
      leaked: false,
    });
  });

  const cases = {
    otherNamespace: {
      reason: 'a Secret of another namespace is refused with a Fatal naming both namespaces, and is never asked for',
      ref: { name: 'platform-git', namespace: 'crossplane-system' },
      secrets: undefined,
      platform: undefined,
      allowPlatform: true,
      want: {
        requirements: {},
        results: [{ severity: 'SEVERITY_FATAL', message: "cannot analyze repository: spec.repository.credentialsSecretRef.namespace: crossplane-system is not the claim's namespace team-a; a claim may only name a Secret of its own namespace", reason: 'InvalidRepository' }],
      },
    },
    missing: {
      reason: 'a Secret that does not exist yet is a Warning and a retry',
      ref: { name: 'acme-git' },
      secrets: [],
      platform: { username: 'bot', password: 'hunter2-token' },
      allowPlatform: true,
      want: {
        requirements: { [RequiredName.gitSecret]: { apiVersion: 'v1', kind: 'Secret', matchName: 'acme-git', namespace: 'team-a' } },
        results: [{ severity: 'SEVERITY_WARNING', message: `cannot analyze repository, retrying in ${RETRY_TTL_SECONDS} s: Secret team-a/acme-git (spec.repository.credentialsSecretRef) does not exist`, reason: 'RepositoryUnavailable' }],
      },
    },
    platformDenied: {
      reason: 'with no Secret named and the platform credential not allowed, the clone is anonymous',
      ref: undefined,
      secrets: undefined,
      platform: { username: 'bot', password: 'hunter2-token' },
      allowPlatform: false,
      want: { requirements: {}, results: denied },
    },
    platformAllowed: {
      reason: 'with no Secret named and the platform credential allowed, it is used',
      ref: undefined,
      secrets: undefined,
      platform: { username: 'bot', password: 'hunter2-token' },
      allowPlatform: true,
      want: { requirements: {}, results: [] },
    },
  };
  it.each(Object.entries(cases))('%s', async (_, c) => {
    const spec = { url: locked.url('private'), ref: 'main', ...(c.ref === undefined ? {} : { credentialsSecretRef: c.ref }) };
    const rsp = await runFunction(claim(spec, c.secrets, c.platform), deps(clock(), { allowPlatform: c.allowPlatform }));
    const got = { requirements: rsp.requirements?.resources ?? {}, results: seen(rsp).results };
    expect(got, c.reason).toEqual(c.want);
    expect(JSON.stringify(rsp).includes('hunter2'), 'a credential in the response').toBe(false);
  });
});
