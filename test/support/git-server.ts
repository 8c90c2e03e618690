import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.com',
  GIT_COMMITTER_NAME: 'Fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

/** git runs the git CLI in `cwd` with a fixed identity and dates, returning trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
}

/** FixtureFile is a file's content, or a symlink to `link`. */
export type FixtureFile = string | { link: string };

/** writeFiles writes fixture files (and symlinks) under `dir`. */
export function writeFiles(dir: string, files: Record<string, FixtureFile>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof content === 'string') writeFileSync(full, content);
    else symlinkSync(content.link, full);
  }
}

/** GitRepo is a repository created with the git CLI under a served root. */
export interface GitRepo {
  dir: string;
  /** commit adds a commit with `files` on the current branch and returns its SHA. */
  commit(files: Record<string, FixtureFile>, message?: string): string;
}

/** createRepo makes `<root>/<name>.git`-servable non-bare repository with branch main. */
export function createRepo(root: string, name: string): GitRepo {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'uploadpack.allowAnySHA1InWant', 'false');
  let n = 0;
  return {
    dir,
    commit(files, message) {
      writeFiles(dir, files);
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '--allow-empty', '-m', message ?? `commit ${++n}`);
      return git(dir, 'rev-parse', 'HEAD');
    },
  };
}

/** GitServer serves every repository under `root` over smart HTTP with `git http-backend`, counting requests. */
export interface GitServer {
  root: string;
  url(name: string): string;
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

/**
 * startGitServer starts a real smart-HTTP Git server on 127.0.0.1 (CGI `git
 * http-backend` behind node:http). With `basicAuth` ("user:password") every
 * request must carry those credentials; while `fault` returns a status and
 * body, every request is answered with them (a host that refuses).
 */
export async function startGitServer(opts: { root?: string; basicAuth?: string; fault?: () => { status: number; body: string } | undefined } = {}): Promise<GitServer> {
  const root = opts.root ?? mkdtempSync(join(tmpdir(), 'scia-git-root-'));
  const requests: GitServer['requests'] = [];
  const expected = opts.basicAuth === undefined ? undefined : `Basic ${Buffer.from(opts.basicAuth).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? 'GET', path: url.pathname });
    const failing = opts.fault?.();
    if (failing !== undefined) {
      res.writeHead(failing.status, { 'content-type': 'text/plain' }).end(failing.body);
      return;
    }
    if (expected !== undefined && req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        ...GIT_ENV,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.replace(/^\?/, ''),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      },
    });
    req.pipe(cgi.stdin);
    relayCgi(cgi.stdout, res);
    cgi.on('error', () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    root,
    requests,
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** relayCgi turns a CGI response (headers, blank line, body) into an HTTP response. */
function relayCgi(out: NodeJS.ReadableStream, res: ServerResponse): void {
  let head = Buffer.alloc(0);
  let done = false;
  out.on('data', (chunk: Buffer) => {
    if (done) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    done = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const i = line.indexOf(':');
      const [k, v] = [line.slice(0, i).trim(), line.slice(i + 1).trim()];
      if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]);
      else res.setHeader(k, v);
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  out.on('end', () => res.end());
}
