import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_LIMITS, checkRepoRef, fetchRemoteTree, isPublicAddress, locate, newRepoSource, resolveRemoteRef, type Remote } from '@scia/analyzer';
import { createRepo, git, startGitServer, type GitServer } from '../../../test/support/git-server.js';

let srv: GitServer;
const shas: Record<string, string> = {};

beforeAll(async () => {
  srv = await startGitServer();
  const repo = createRepo(srv.root, 'app');
  shas['v1'] = repo.commit({ 'requirements.txt': 'flask\n', 'app.py': 'app = Flask(__name__)\n' });
  git(repo.dir, 'tag', '-a', 'v1', '-m', 'release 1');
  shas['main'] = repo.commit({ 'requirements.txt': 'fastapi\n', 'passwd': { link: '/etc/passwd' }, 'docs/index.md': '# docs\n' });
  git(repo.dir, 'branch', 'old', shas['v1'] ?? '');
  createRepo(srv.root, 'big').commit({ 'blob.bin': randomBytes(256 * 1024).toString('base64') });
  // 64 MiB of zeros compress to about 64 KiB: far under the byte cap, far over an 8 MiB inflated cap.
  const zeros = '0'.repeat(64 * 1024 * 1024);
  createRepo(srv.root, 'zeros').commit({ 'requirements.txt': 'flask\n', 'zeros.txt': zeros, 'copy/zeros.txt': `${zeros}1` });
});
afterAll(() => srv.close());

const remote = (name: string, limits = DEFAULT_FETCH_LIMITS): Remote => ({ url: srv.url(name), allowedHosts: ['127.0.0.1'], limits });

describe('resolving refs over smart HTTP', () => {
  const cases: Record<string, { reason: string; ref: () => string; want: () => unknown }> = {
    head: { reason: 'HEAD follows the default branch', ref: () => 'HEAD', want: () => ({ ok: true, value: { commit: shas['main'], refName: 'refs/heads/main' } }) },
    branch: { reason: 'a branch name', ref: () => 'old', want: () => ({ ok: true, value: { commit: shas['v1'], refName: 'refs/heads/old' } }) },
    tag: { reason: 'an annotated tag is peeled to its commit', ref: () => 'v1', want: () => ({ ok: true, value: { commit: shas['v1'], refName: 'refs/tags/v1' } }) },
    sha: { reason: 'a full SHA at a branch tip is fetched through that branch', ref: () => shas['main'] ?? '', want: () => ({ ok: true, value: { commit: shas['main'], refName: 'refs/heads/main' } }) },
    'upper-sha': { reason: 'a SHA in capitals names the same commit', ref: () => (shas['main'] ?? '').toUpperCase(), want: () => ({ ok: true, value: { commit: shas['main'], refName: 'refs/heads/main' } }) },
    missing: { reason: 'a ref that does not exist', ref: () => 'no-such-branch', want: () => ({ ok: false, error: 'cannot resolve ref "no-such-branch": the repository has no such branch or tag' }) },
  };
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    expect(await resolveRemoteRef(remote('app'), c.ref()), c.reason).toEqual(c.want());
  });

  it('reports a repository that does not exist', async () => {
    const r = await resolveRemoteRef(remote('nothing-here'), 'main');
    expect(r).toEqual({ ok: false, error: 'cannot resolve ref "main": HTTP Error: 404 Not Found' });
  });
});

describe('fetching shallowly within caps', () => {
  it('fetches the resolved commit, skipping symlinks, and analyses it', async () => {
    const source = newRepoSource({ limits: DEFAULT_FETCH_LIMITS, allowLocal: false, allowedHosts: ['127.0.0.1'], cwd: '/' });
    const repo = { url: srv.url('app'), ref: 'v1' };
    const resolved = await source.resolve(repo);
    const analysed = resolved.ok ? await source.analyze(repo, resolved.value) : resolved;
    const tree = await fetchRemoteTree(remote('app'), { commit: shas['main'] ?? '', refName: 'refs/heads/main' });
    expect({
      v1: analysed.ok ? { commit: analysed.value.commit, framework: analysed.value.framework } : analysed.error,
      main: tree.ok ? { commit: tree.value.commit, files: tree.value.tree.files().map((f) => f.path), warnings: tree.value.tree.warnings } : tree.error,
    }).toEqual({
      v1: { commit: shas['v1'], framework: 'flask' },
      main: { commit: shas['main'], files: ['app.py', 'docs/index.md', 'requirements.txt'], warnings: ['skipped symlink passwd'] },
    });
  });

  it('runs at most maxConcurrent fetches at a time', async () => {
    const source = newRepoSource({ limits: { ...DEFAULT_FETCH_LIMITS, maxConcurrent: 1 }, allowLocal: false, allowedHosts: ['127.0.0.1'], cwd: '/' });
    const repos = ['app', 'big'].map((name) => ({ url: srv.url(name), ref: 'main' }));
    const resolved = await Promise.all(repos.map((r) => source.resolve(r)));
    const start = srv.requests.length;
    await Promise.all(repos.map((r, i) => {
      const res = resolved[i];
      return res?.ok === true ? source.analyze(r, res.value) : Promise.resolve(res);
    }));
    expect(srv.requests.slice(start).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /app/info/refs', 'POST /app/git-upload-pack', 'GET /big/info/refs', 'POST /big/git-upload-pack']);
  });

  it('refuses a commit that is no branch or tag tip', async () => {
    expect(await fetchRemoteTree(remote('app'), { commit: 'a'.repeat(40) })).toEqual({
      ok: false,
      error: `cannot fetch commit ${'a'.repeat(40)}: it is not the tip of any branch or tag, and a shallow fetch takes only advertised commits`,
    });
  });

  it('stops at the byte cap', async () => {
    const r = await fetchRemoteTree(remote('big', { ...DEFAULT_FETCH_LIMITS, maxBytes: 64 * 1024 }), { commit: '', refName: 'refs/heads/main' });
    expect(r).toEqual({ ok: false, error: 'cannot fetch refs/heads/main: repository is larger than the 65536-byte fetch cap' });
  });

  it('stops streaming a pack of zeros once it inflates past the cap, before any object is inflated whole', async () => {
    const limits = { ...DEFAULT_FETCH_LIMITS, maxInflatedBytes: 8 * 1024 * 1024 };
    const small = await fetchRemoteTree(remote('app', limits), { commit: shas['main'] ?? '', refName: 'refs/heads/main' });
    const bomb = await fetchRemoteTree(remote('zeros', limits), { commit: '', refName: 'refs/heads/main' });
    const source = newRepoSource({ limits, allowLocal: false, allowedHosts: ['127.0.0.1'], cwd: '/' });
    const resolved = await source.resolve({ url: srv.url('zeros'), ref: 'main' });
    const isolated = resolved.ok ? await source.analyze({ url: srv.url('zeros'), ref: 'main' }, resolved.value) : resolved;
    const capped = 'repository is larger than the 8388608-byte inflated size cap (SCIA_GIT_MAX_INFLATED_BYTES)';
    expect({ small: small.ok, bomb, isolated }).toEqual({
      small: true,
      bomb: { ok: false, error: `cannot fetch refs/heads/main: ${capped}` },
      isolated: { ok: false, error: `cannot fetch refs/heads/main: ${capped}` },
    });
  });
});

describe('hosts that do not answer, and credentials', () => {
  let silent: Server;
  let port = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as AddressInfo).port;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('gives up on a host that accepts and never answers, at the time cap', async () => {
    const r = await resolveRemoteRef({ url: `http://127.0.0.1:${port}/app`, allowedHosts: ['127.0.0.1'], limits: { ...DEFAULT_FETCH_LIMITS, timeoutMs: 300 } }, 'main');
    expect(r.ok ? 'resolved' : r.error).toMatch(/^cannot resolve ref "main": (timed out waiting for the Git server|the Git server did not answer within the time cap)$/);
  });

  it('never quotes a secret from the URL\'s query or the server\'s answer', async () => {
    const echo = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('token=PLANTED-BODY is not git'));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const source = newRepoSource({ limits: DEFAULT_FETCH_LIMITS, allowLocal: false, allowedHosts: ['127.0.0.1'], cwd: '/' });
      const repo = { url: `http://127.0.0.1:${(echo.address() as AddressInfo).port}/app.git?access_token=PLANTED-QUERY`, ref: 'main' };
      const outputs = [await source.resolve(repo), await source.analyze(repo, { commit: 'a'.repeat(40), refName: 'refs/heads/main' })];
      expect(outputs.map((o) => (o.ok ? 'ok' : o.error)).filter((o) => o === 'ok' || o.includes('PLANTED'))).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => echo.close(() => resolve()));
    }
  });

  it('authenticates with the Secret credentials and never echoes them', async () => {
    const locked = await startGitServer({ basicAuth: 'deploy:s3cret-token' });
    try {
      const sha = createRepo(locked.root, 'private').commit({ 'go.mod': 'module x\n' });
      const base = { url: locked.url('private'), allowedHosts: ['127.0.0.1'], limits: DEFAULT_FETCH_LIMITS };
      const anonymous = await resolveRemoteRef(base, 'main');
      const wrong = await resolveRemoteRef({ ...base, credentials: { username: 'deploy', password: 'wrong' } }, 'main');
      const right = await resolveRemoteRef({ ...base, credentials: { username: 'deploy', token: 's3cret-token' } }, 'main');
      expect({ anonymous, wrong, right }).toEqual({
        anonymous: { ok: false, error: 'cannot resolve ref "main": HTTP Error: 401 Unauthorized' },
        wrong: { ok: false, error: 'cannot resolve ref "main": HTTP Error: 401 Unauthorized' },
        right: { ok: true, value: { commit: sha, refName: 'refs/heads/main' } },
      });
    } finally {
      await locked.close();
    }
  });
});

describe('SSRF and URL policy', () => {
  const policy = { allowLocal: false, allowedHosts: [] as string[], cwd: '/srv' };
  const cases: Record<string, { reason: string; url: string; allowLocal?: boolean; allowed?: string[]; want: unknown }> = {
    https: { reason: 'https is allowed', url: 'https://github.com/acme/app', want: { ok: true, kind: 'remote' } },
    http: { reason: 'plain http is refused', url: 'http://github.com/acme/app', want: { ok: false, error: 'scheme http is not allowed: use https' } },
    'http-allowlisted': { reason: 'plain http to an allowlisted host', url: 'http://127.0.0.1:9000/app', allowed: ['127.0.0.1'], want: { ok: true, kind: 'remote' } },
    ssh: { reason: 'ssh is refused', url: 'git@github.com:acme/app.git', want: { ok: false, error: 'ssh is not supported: use an https URL, with credentials from a Secret for a private repository' } },
    'userinfo': { reason: 'credentials in the URL are refused', url: 'https://user:pw@github.com/acme/app', want: { ok: false, error: 'credentials in the URL are not allowed: put them in a Secret' } },
    'file-refused': { reason: 'local paths need the opt-in', url: '/etc', want: { ok: false, error: 'local paths are not allowed here (set SCIA_ALLOW_LOCAL_REPOS=true to allow them)' } },
    'file-allowed': { reason: 'local paths with the opt-in', url: './app', allowLocal: true, want: { ok: true, kind: 'local' } },
    junk: { reason: 'not a URL', url: 'acme/app', want: { ok: false, error: 'not a URL: use https://host/owner/repo' } },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => {
    const r = locate(c.url, { ...policy, allowLocal: c.allowLocal ?? false, allowedHosts: c.allowed ?? [] });
    expect(r.ok ? { ok: true, kind: r.value.kind } : r, c.reason).toEqual(c.want);
  });

  it('classifies addresses', () => {
    const addrs = ['8.8.8.8', '127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '2001:4860:4860::8888', 'not-an-ip'];
    expect(Object.fromEntries(addrs.map((a) => [a, isPublicAddress(a)]))).toEqual({
      '8.8.8.8': true, '127.0.0.1': false, '10.1.2.3': false, '172.20.0.1': false, '192.168.1.1': false, '169.254.169.254': false, '100.64.0.1': false,
      '0.0.0.0': false, '::1': false, 'fe80::1': false, 'fd00::1': false, '::ffff:127.0.0.1': false, '2001:4860:4860::8888': true, 'not-an-ip': false,
    });
  });

  it('refuses hosts resolving to private addresses unless allowlisted', async () => {
    const source = newRepoSource({ limits: DEFAULT_FETCH_LIMITS, allowLocal: false, allowedHosts: [], cwd: '/' });
    const results = await Promise.all(['https://127.0.0.1/app', 'https://169.254.169.254/latest', 'https://localhost/app'].map((url) => source.resolve({ url, ref: 'main' })));
    const refused = (host: string, address: string) => `cannot resolve ref "main": host ${host} resolves to ${address}, a loopback, private or link-local address (allow it with SCIA_GIT_ALLOWED_HOSTS)`;
    expect(results.slice(0, 2)).toEqual([
      { ok: false, error: refused('127.0.0.1', '127.0.0.1') },
      { ok: false, error: refused('169.254.169.254', '169.254.169.254') },
    ]);
    // localhost may resolve to ::1 or 127.0.0.1 first, depending on the resolver.
    expect([refused('localhost', '127.0.0.1'), refused('localhost', '::1')]).toContain(results[2]?.ok === false ? results[2].error : 'resolved');
  });
});

describe('refs and app paths', () => {
  const cases: Record<string, { reason: string; ref: string; path?: string; want: unknown }> = {
    branch: { reason: 'a branch with slashes', ref: 'feature/new-api', want: { ok: true } },
    tag: { reason: 'a version tag', ref: 'v1.2.3', want: { ok: true } },
    sha: { reason: 'a full SHA', ref: 'a'.repeat(40), want: { ok: true } },
    'app-path': { reason: 'a monorepo app path', ref: 'main', path: './apps/api/', want: { ok: true } },
    climb: { reason: 'a ref climbing out of .git', ref: '../../etc/passwd', want: { ok: false, field: 'ref', error: 'must be a branch, a tag, HEAD or a commit SHA' } },
    absolute: { reason: 'an absolute ref', ref: '/etc/passwd', want: { ok: false, field: 'ref', error: 'must be a branch, a tag, HEAD or a commit SHA' } },
    option: { reason: 'a ref that reads as an option', ref: '--upload-pack=x', want: { ok: false, field: 'ref', error: 'must be a branch, a tag, HEAD or a commit SHA' } },
    'path-climb': { reason: 'an app path outside the tree', ref: 'main', path: 'apps/../../x', want: { ok: false, field: 'path', error: 'must be a relative directory inside the repository' } },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => {
    expect(checkRepoRef(c.ref, c.path), c.reason).toEqual(c.want);
  });
});
