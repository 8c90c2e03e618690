import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresSkipReasonFor } from './support/postgres.js';

/** A fake installation: bin/initdb and share/postgresql/extension, with or without pgvector's control file. */
function install(withVector: boolean): string {
  const prefix = mkdtempSync(join(tmpdir(), 'scia-fake-pg-'));
  roots.push(prefix);
  mkdirSync(join(prefix, 'bin'));
  writeFileSync(join(prefix, 'bin', 'initdb'), '');
  mkdirSync(join(prefix, 'share', 'postgresql', 'extension'), { recursive: true });
  if (withVector) writeFileSync(join(prefix, 'share', 'postgresql', 'extension', 'vector.control'), "default_version = '0.8.0'\n");
  return prefix;
}
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('postgresSkipReasonFor', () => {
  it('names pgvector, and where it looked, when PostgreSQL is installed without it', () => {
    const prefix = install(false);
    expect(postgresSkipReasonFor({ SCIA_PG_BINDIR: join(prefix, 'bin') })).toBe(
      `PostgreSQL is installed but the pgvector extension is not (no vector.control in ${join(prefix, 'share', 'postgresql', 'extension')}): run scripts/setup-postgres.sh`,
    );
  });

  it('runs the suites when pgvector is installed', () => {
    expect(postgresSkipReasonFor({ SCIA_PG_BINDIR: join(install(true), 'bin') })).toBeUndefined();
  });

  it('runs them against an external server as configured', () => {
    expect(postgresSkipReasonFor({ SCIA_TEST_DATABASE_URL: 'postgres://127.0.0.1:1/x', SCIA_PG_BINDIR: join(install(false), 'bin') })).toBeUndefined();
  });
});
