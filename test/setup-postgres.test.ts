import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', 'scripts', 'setup-postgres.sh');
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** printSource runs `setup-postgres.sh --print-source` over fixture apt files, returning its line or its error. */
function printSource(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'scia-apt-'));
  roots.push(root);
  mkdirSync(join(root, 'apt', 'sources.list.d'), { recursive: true });
  writeFileSync(join(root, 'os-release'), 'ID=debian\nVERSION_CODENAME=bookworm\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'apt', name), text);
  try {
    return execFileSync('bash', [script, '--print-source'], { env: { ...process.env, SCIA_APT_ETC: join(root, 'apt'), SCIA_OS_RELEASE: join(root, 'os-release') }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    return `error: ${String((err as { stderr?: string }).stderr).trim()}`;
  }
}

const cases: Record<string, { reason: string; files: Record<string, string>; want: string }> = {
  deb822: {
    reason: 'a deb822 source: security and updates suites are passed over, Signed-By kept',
    files: {
      'sources.list.d/debian.sources': [
        'Types: deb', 'URIs: http://security.archive.invalid/debian-security', 'Suites: bookworm-security', 'Components: main', 'Signed-By: /k.gpg', '',
        'Types: deb', 'URIs: http://archive.invalid/debian http://second.invalid/debian', 'Suites: bookworm bookworm-updates', 'Components: main contrib', 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg', '',
      ].join('\n'),
    },
    want: 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://archive.invalid/debian trixie main',
  },
  'one-line': {
    reason: 'a one-line sources.list with options; comments and other suites skipped',
    files: { 'sources.list': '# deb http://old.invalid/debian bookworm main\ndeb http://archive.invalid/debian bookworm-updates main\ndeb [arch=amd64 signed-by=/k.gpg] http://archive.invalid/debian bookworm main non-free\n' },
    want: 'deb-src [signed-by=/k.gpg] http://archive.invalid/debian trixie main',
  },
  disabled: {
    reason: 'a disabled deb822 entry and files apt does not read are ignored',
    files: {
      'sources.list.d/a.sources': 'Types: deb\nURIs: http://disabled.invalid/debian\nSuites: bookworm\nComponents: main\nEnabled: no\n',
      'sources.list.d/b.list.disabled': 'deb http://ignored.invalid/debian bookworm main\n',
      'sources.list.d/c.list': 'deb http://archive.invalid/debian bookworm main\n',
    },
    want: 'deb-src http://archive.invalid/debian trixie main',
  },
  none: {
    reason: 'no source of this release: a clear error, no address guessed',
    files: { 'sources.list': 'deb http://archive.invalid/debian bullseye main\n' },
    want: "error: setup-postgres: cannot find this release's Debian source (suite bookworm, component main) in APT/sources.list or APT/sources.list.d",
  },
};

describe('setup-postgres.sh', () => {
  it.each(Object.entries(cases))('%s', (_name, c) => {
    expect(printSource(c.files).replace(/\/\S+\/apt(?=\/sources)/g, 'APT'), c.reason).toBe(c.want);
  });

  it('names no package archive or mirror of its own', () => {
    expect(readFileSync(script, 'utf8').match(/\w+:\/\/\S+/g)).toBeNull();
  });
});
