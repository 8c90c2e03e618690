import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_LIMITS, newRepoSource } from '@scia/analyzer';
import { loggedRepoSource } from '@scia/function-analyze';
import { createRepo, startGitServer, type GitServer } from '../../../test/support/git-server.js';

let srv: GitServer;
beforeAll(async () => {
  srv = await startGitServer({ basicAuth: 'bot:p4ss-w0rd' });
  createRepo(srv.root, 'app').commit({ 'mix.exs': 'defp deps, do: [{:phoenix, "~> 1.7"}]\n' });
});
afterAll(() => srv.close());

describe('loggedRepoSource', () => {
  it('logs resolves and fetches with their outcome, never the credentials', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const repos = loggedRepoSource(newRepoSource({ limits: DEFAULT_FETCH_LIMITS, allowLocal: false, allowedHosts: ['127.0.0.1'], cwd: '/' }), pino({ level: 'debug' }, sink));
    const good = { url: srv.url('app'), ref: 'main', credentials: { username: 'bot', password: 'p4ss-w0rd' } };
    const resolved = await repos.resolve(good);
    if (resolved.ok) await repos.analyze(good, resolved.value);
    await repos.resolve({ ...good, credentials: { username: 'bot', password: 'wrong-p4ss' } });
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; level: number });
    expect({ msgs: logged.map((l) => `${l.level} ${l.msg}`), leaked: lines.some((l) => l.includes('p4ss')) }).toEqual({
      msgs: ['20 resolved ref', '30 analysed repository', '40 cannot resolve ref'],
      leaked: false,
    });
  });
});
