import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const AUTHOR = { GIT_AUTHOR_NAME: 'scia', GIT_AUTHOR_EMAIL: 'scia@example.com', GIT_COMMITTER_NAME: 'scia', GIT_COMMITTER_EMAIL: 'scia@example.com' };

/** appRepository copies a sample app into a new Git repository on branch main, with one commit, for the preview to analyse. */
export function appRepository(appDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'scia-web-app-'));
  cpSync(appDir, dir, { recursive: true });
  const git = (...args: string[]): void => void execFileSync('git', ['-C', dir, ...args], { env: { ...process.env, ...AUTHOR }, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  return dir;
}
