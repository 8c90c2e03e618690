import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION, databaseFromEnv, migrate, storeFromEnv, type Migration } from '@scia/rag';
import { freePort } from '../../../test/support/ports.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../../../test/support/postgres.js';
import { startSilentServer } from '../../../test/support/silent-server.js';
import { matching } from '../../../test/support/matchers.js';

describe('databaseFromEnv', () => {
  const cases = {
    'embedded': { reason: 'PGlite under SCIA_DATA_DIR by default', env: {}, want: { ok: true, value: { kind: 'pglite', dataDir: '/work/app/.scia/data/pglite' } } },
    'data dir': { reason: 'SCIA_DATA_DIR, relative to cwd', env: { SCIA_DATA_DIR: 'state' }, want: { ok: true, value: { kind: 'pglite', dataDir: '/work/app/state/pglite' } } },
    'postgres': {
      reason: 'SCIA_DATABASE_URL wins, with the call budget as connect timeout',
      env: { SCIA_DATABASE_URL: 'postgres://u:p@db:5432/scia', SCIA_CALL_BUDGET_MS: '1500' },
      want: { ok: true, value: { kind: 'postgres', url: 'postgres://u:p@db:5432/scia', connectTimeoutMs: 1500, statementTimeoutMs: 5000 } },
    },
    'bad budget': {
      reason: 'a call budget that is not a number is refused, naming the variable',
      env: { SCIA_CALL_BUDGET_MS: '' },
      want: { ok: false, error: 'invalid environment: SCIA_CALL_BUDGET_MS: must be a whole number of milliseconds from 1 to 600000, not ""' },
    },
    'bad search': {
      reason: 'a search plan SCIA does not know is refused rather than silently replaced',
      env: { SCIA_RAG_SEARCH: 'ivfflat' },
      want: { ok: false, error: 'invalid environment: SCIA_RAG_SEARCH: must be one of auto, index, exact, not "ivfflat"' },
    },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, env, want }) => {
    expect(databaseFromEnv(env, '/work/app'), reason).toEqual(want);
  });
});

describe('storeFromEnv on PGlite', () => {
  it('seeds a fresh store once; reopening it finds the rows and seeds nothing', async () => {
    const env = { SCIA_DATA_DIR: mkdtempSync(join(tmpdir(), 'scia-env-')) };
    const first = await storeFromEnv(env);
    if (!first.ok) throw new Error(first.error);
    await first.value.store.close();
    const second = await storeFromEnv(env);
    if (!second.ok) throw new Error(second.error);
    const { rows } = await second.value.store.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM deployments');
    await second.value.store.close();
    expect({ seeded: first.value.seeded, again: second.value.seeded, rows }).toEqual({
      seeded: { rows: 39, written: 39, unchanged: 0, skipped: [] },
      again: undefined,
      rows: [{ n: '39' }],
    });
  });
});

describe('storeFromEnv with PostgreSQL unreachable', () => {
  it('names a server that refuses connections, without the password', async () => {
    const got = await storeFromEnv({ SCIA_DATABASE_URL: `postgres://scia:secret@127.0.0.1:${await freePort()}/scia`, SCIA_CALL_BUDGET_MS: '500' });
    expect(got.ok ? 'opened' : got.error).toMatch(/^cannot migrate the deployments store at postgres:\/\/scia:\*\*\*@127\.0\.0\.1:\d+\/scia: .*ECONNREFUSED/);
  });

  it('never quotes a password, in the URL\'s userinfo or its query, in any failure', async () => {
    const port = await freePort();
    const urls = [`postgres://scia:PLANTED-1@127.0.0.1:${port}/scia`, `postgres://127.0.0.1:${port}/scia?user=scia&password=PLANTED-2`, `postgres://scia:PLANTED-3@[::1:${port}/scia`];
    const errors = await Promise.all(urls.map(async (url) => {
      const got = await storeFromEnv({ SCIA_DATABASE_URL: url, SCIA_CALL_BUDGET_MS: '500' });
      return got.ok ? 'opened' : got.error;
    }));
    expect(errors.filter((e) => e === 'opened' || e.includes('PLANTED'))).toEqual([]);
  });

  it('gives up on a server that never answers within the budget', async () => {
    const silent = await startSilentServer();
    const got = await storeFromEnv({ SCIA_DATABASE_URL: silent.url, SCIA_CALL_BUDGET_MS: '300' });
    await silent.close();
    expect(got.ok ? 'opened' : got.error).toMatch(/^cannot migrate the deployments store at postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\/scia: .*timeout/i);
  });
});

describe.skipIf(postgresSkipReason !== undefined)(`migrations on PostgreSQL${postgresSkipReason === undefined ? '' : ` (skipped: ${postgresSkipReason})`}`, () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server.stop());

  it('applies each migration once, and refuses a schema newer than the code', async () => {
    const url = await server.createDatabase();
    const first = await storeFromEnv({ SCIA_DATABASE_URL: url, SCIA_RAG_SEED: 'false' });
    const second = await storeFromEnv({ SCIA_DATABASE_URL: url });
    if (!first.ok || !second.ok) throw new Error('cannot open the store');
    const db = second.value.store.db;
    const future: Migration[] = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, name: 'future', sql: 'CREATE TABLE future (id int)' }];
    await migrate(db, future);
    const newer = await storeFromEnv({ SCIA_DATABASE_URL: url });
    const { rows } = await db.pool.query('SELECT version, name FROM scia_migrations ORDER BY version');
    await Promise.all([first.value.store.close(), second.value.store.close()]);
    expect({ seeded: [first.value.seeded, second.value.seeded], rows, newer }).toEqual({
      seeded: [undefined, undefined],
      rows: [{ version: 1, name: 'deployments' }, { version: 2, name: 'evidence and intent' }, { version: 3, name: 'narrow vectors table' },
        { version: 4, name: 'ivf bucket indexes' }, { version: 5, name: 'future' }],
      newer: { ok: false, error: matching(/^cannot migrate the deployments store at .*: the database's schema is version 5, newer than this SCIA \(4\)$/) },
    });
  });
});
