import { afterAll, beforeAll, it } from 'vitest';
import { openDatabase, type Database } from '@scia/rag';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../../../test/support/postgres.js';

/**
 * Backend runs the same suite against a real PostgreSQL 15 cluster with
 * pgvector and against PGlite. `fresh` gives each test an empty database.
 */
export interface Backend {
  readonly name: 'postgres' | 'pglite';
  /** skip is why this backend cannot run here, or undefined. */
  readonly skip: string | undefined;
  setup(): Promise<void>;
  fresh(): Promise<Database>;
  teardown(): Promise<void>;
}

function postgresBackend(): Backend {
  let server: TestPostgres | undefined;
  const open: Database[] = [];
  return {
    name: 'postgres',
    skip: postgresSkipReason,
    async setup() {
      server = await startPostgres();
    },
    async fresh() {
      if (server === undefined) throw new Error('cannot create a database: the backend is not set up');
      const db = await openDatabase({ kind: 'postgres', url: await server.createDatabase() });
      open.push(db);
      return db;
    },
    async teardown() {
      await Promise.all(open.splice(0).map((db) => db.close().catch(() => undefined)));
      await server?.stop();
    },
  };
}

function pgliteBackend(): Backend {
  let db: Database | undefined;
  return {
    name: 'pglite',
    skip: undefined,
    async setup() {
      db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    },
    async fresh() {
      if (db === undefined) throw new Error('cannot reset PGlite: the backend is not set up');
      // One in-memory instance per suite (creating one takes seconds); each test starts from an empty schema.
      await db.pool.query('DROP TABLE IF EXISTS deployment_vectors, deployments, scia_migrations');
      return { kind: db.kind, where: db.where, pool: db.pool, close: () => Promise.resolve() };
    },
    async teardown() {
      await db?.close();
    },
  };
}

/** backends lists both backends, for `describe.each`. */
export function backends(): Backend[] {
  return [postgresBackend(), pgliteBackend()];
}

/**
 * onBackend sets `backend` up before the suite and tears it down after, and
 * returns the suite's `it`: `it.skip` where the backend cannot run here, with
 * one skipped test saying why.
 */
export function onBackend(backend: Backend): typeof it | typeof it.skip {
  beforeAll(() => (backend.skip === undefined ? backend.setup() : undefined));
  afterAll(() => backend.teardown());
  if (backend.skip !== undefined) it.skip(`skipped: ${backend.skip}`, () => undefined);
  return backend.skip === undefined ? it : it.skip;
}
