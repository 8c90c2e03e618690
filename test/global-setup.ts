/**
 * Global test setup. Suites that need external services (PostgreSQL with
 * pgvector) start them themselves through test/support; nothing is shared here
 * yet beyond making sure no developer's SCIA_* variables leak into the run.
 */
export default function setup(): void {
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('SCIA_') && key !== 'SCIA_CRD_DIR' && key !== 'SCIA_TEST_DATABASE_URL' && key !== 'SCIA_TEST_MODEL_DIR' && key !== 'SCIA_PG_BINDIR') delete process.env[key];
  }
  delete process.env['OLLAMA_HOST'];
}
