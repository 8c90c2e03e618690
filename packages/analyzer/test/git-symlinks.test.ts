import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_LIMITS, openLocal } from '@scia/analyzer';
import { createRepo, git } from '../../../test/support/git-server.js';

/**
 * A local repository's `.git` is read as files, so a symlink inside it could
 * point the reader anywhere on the machine. None is followed, and no error
 * quotes what a file holds.
 */

const roots: string[] = [];
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

const SECRET = 'root:x:0:0:SECRET-LINE-FROM-OUTSIDE';

/** hostileRepo makes a checkout whose `.git/<entry>` is a symlink to a file outside holding SECRET. */
function hostileRepo(entry: string): { dir: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'scia-gitlink-'));
  roots.push(root);
  const outside = join(root, 'outside.txt');
  writeFileSync(outside, `${SECRET}\n`);
  const repo = createRepo(root, 'app');
  const sha = repo.commit({ 'requirements.txt': 'flask\n' });
  git(repo.dir, 'tag', 'v1');
  git(repo.dir, 'pack-refs', '--all');
  const target = join(repo.dir, '.git', entry.replace(/\/$/, ''));
  rmSync(target, { recursive: true, force: true });
  symlinkSync(entry.endsWith('/') ? root : outside, target);
  return { dir: repo.dir, outside: sha };
}

const cases: Record<string, { reason: string; entry: string; ref: string }> = {
  head: { reason: '.git/HEAD pointing at a file outside', entry: 'HEAD', ref: 'HEAD' },
  'packed-refs': { reason: '.git/packed-refs pointing at a file outside', entry: 'packed-refs', ref: 'v1' },
  'loose-ref': { reason: 'a loose ref pointing at a file outside', entry: 'refs/heads/main', ref: 'main' },
  'refs-dir': { reason: '.git/refs/tags as a link to a directory outside', entry: 'refs/tags/', ref: 'v1' },
  config: { reason: '.git/config pointing at a file outside', entry: 'config', ref: 'v1' },
};

describe('symlinks inside .git of a local repository', () => {
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    const { dir } = hostileRepo(c.entry);
    const r = await openLocal(dir, c.ref, DEFAULT_FETCH_LIMITS);
    const text = JSON.stringify(r.ok ? { commit: r.value.commit, warnings: r.value.tree.warnings } : r);
    expect({ leaked: text.includes('SECRET'), refused: !r.ok && r.error.includes('symlink') }, `${c.reason}: ${text}`).toEqual({ leaked: false, refused: true });
  });
});
