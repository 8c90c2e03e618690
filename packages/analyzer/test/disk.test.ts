import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze, contentHash, diskTree, openLocal, DEFAULT_FETCH_LIMITS } from '@scia/analyzer';
import { createRepo, git, writeFiles } from '../../../test/support/git-server.js';

const roots: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scia-disk-'));
  roots.push(dir);
  return dir;
}
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('on-disk trees', () => {
  it('never follows symlinks and never reads files over the cap', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'requirements.txt': 'flask\n',
      'app.py': 'app = Flask(__name__)\n',
      'package.json': { link: '/etc/passwd' },
      'etc': { link: '/etc' },
      'src/escape.py': { link: '../../../../etc/hostname' },
    });
    writeFileSync(join(dir, 'Gemfile'), '');
    truncateSync(join(dir, 'Gemfile'), 2 * 1024 ** 3);
    writeFileSync(join(dir, 'logo.png'), Buffer.from([137, 80, 78, 71, 0, 0]));
    const tree = await diskTree(dir);
    const a = await analyze(tree, { url: dir, commit: 'c' });
    expect({
      files: tree.files().map((f) => f.path),
      passwd: await tree.read('package.json'),
      language: a.language,
      framework: a.framework,
      warnings: a.warnings,
    }).toEqual({
      files: ['Gemfile', 'app.py', 'logo.png', 'requirements.txt'],
      passwd: { ok: false, error: 'missing' },
      language: 'python',
      framework: 'flask',
      warnings: ['skipped symlink etc', 'skipped symlink package.json', 'skipped symlink src/escape.py', 'skipped Gemfile: larger than the file size cap'],
    });
  });

  it('names a plain directory by a content hash that changes with its content', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'requirements.txt': 'flask\n' });
    const first = await openLocal(dir, 'HEAD', DEFAULT_FETCH_LIMITS);
    const again = await openLocal(dir, 'HEAD', DEFAULT_FETCH_LIMITS);
    const recomputed = first.ok ? await contentHash(first.value.tree) : '';
    writeFiles(dir, { 'requirements.txt': 'django\n' });
    const edited = await openLocal(dir, 'HEAD', DEFAULT_FETCH_LIMITS);
    const commits = [first, again, edited].map((r) => (r.ok ? r.value.commit : r.error));
    expect(commits[0]).toMatch(/^tree:[0-9a-f]{16}$/);
    expect(commits[1]).toBe(commits[0]);
    expect(commits[2]).not.toBe(commits[0]);
    expect(commits[0]).toBe(recomputed);
  });

  it('reads a Git checkout without running git: HEAD is the working tree, a tag its commit', async () => {
    const root = tempDir();
    const repo = createRepo(root, 'app');
    const v1 = repo.commit({ 'requirements.txt': 'flask\n' });
    git(repo.dir, 'tag', 'v1');
    const head = repo.commit({ 'requirements.txt': 'fastapi\n' });
    writeFiles(repo.dir, { 'Procfile': 'web: uvicorn main:app --port 9001\n' });
    const results = await Promise.all([openLocal(repo.dir, 'HEAD', DEFAULT_FETCH_LIMITS), openLocal(repo.dir, 'v1', DEFAULT_FETCH_LIMITS), openLocal(repo.dir, 'nope', DEFAULT_FETCH_LIMITS)]);
    const seen = results.map((r) => (r.ok ? { commit: r.value.commit, files: r.value.tree.files().map((f) => f.path) } : { error: r.error }));
    expect(seen).toEqual([
      { commit: head, files: ['Procfile', 'requirements.txt'] },
      { commit: v1, files: ['requirements.txt'] },
      { error: `cannot resolve ref "nope" in ${repo.dir}: no such branch, tag or commit` },
    ]);
  });
});

describe('on-disk trees of many directories', () => {
  it('stops walking at the cap even when the directories hold no file', async () => {
    const dir = tempDir();
    const deep: Record<string, string> = { 'requirements.txt': 'flask\n' };
    for (let i = 0; i < 30; i++) deep[`d${i}/e/f/.keep`] = '';
    writeFiles(dir, deep);
    const tree = await diskTree(dir, { maxFiles: 20, maxFileBytes: 1024 });
    expect({ files: tree.files().length <= 20, warnings: tree.warnings }).toEqual({ files: true, warnings: ['walked only the first 20 directories'] });
  });
});
