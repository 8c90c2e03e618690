import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Global test setup. Suites that need external services (PostgreSQL with
 * pgvector) start them themselves through test/support; here no developer's
 * SCIA_* variables leak into the run, and every temporary directory the run
 * makes (stores, repositories, clusters, certificates; its own or its child
 * processes') lands under one run directory, removed when the run ends.
 */
export default function setup(): () => void {
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('SCIA_') && key !== 'SCIA_CRD_DIR' && key !== 'SCIA_TEST_DATABASE_URL' && key !== 'SCIA_TEST_MODEL_DIR' && key !== 'SCIA_PG_BINDIR') delete process.env[key];
  }
  delete process.env['OLLAMA_HOST'];
  const run = mkdtempSync(join(tmpdir(), 'scia-test-'));
  // As /tmp: the PostgreSQL clusters tests start as root run as the postgres user and live in here.
  chmodSync(run, 0o1777);
  process.env['TMPDIR'] = run;
  return () => rmSync(run, { recursive: true, force: true });
}
