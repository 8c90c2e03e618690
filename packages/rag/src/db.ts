import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { redact } from '@scia/api';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { vector } from '@electric-sql/pglite-pgvector';
import { isFresh, readTemplate, saveTemplate, templatePath } from './pglite-template.js';

/** DatabaseConfig names a PostgreSQL server by URL, or a PGlite data directory (`memory://` for none). */
export type DatabaseConfig =
  | { kind: 'postgres'; url: string; connectTimeoutMs?: number; statementTimeoutMs?: number; maxConnections?: number }
  | { kind: 'pglite'; dataDir: string };

/**
 * Database is a `pg` pool over either backend: the store's SQL is the same for
 * both. Release clients with `release()` and no argument after a query error:
 * PGlite's node-postgres connection cannot be reopened once a pool destroys it.
 */
export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** where names the database without credentials, for messages. */
  readonly where: string;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

/** openDatabase connects lazily to PostgreSQL, or opens (creating if needed) a PGlite data directory. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') return openPostgres(config);
  return openPglite(config.dataDir);
}

function openPostgres(config: Extract<DatabaseConfig, { kind: 'postgres' }>): Database {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.maxConnections ?? 4,
    connectionTimeoutMillis: config.connectTimeoutMs ?? 3000,
    // statement_timeout bounds work on the server; query_timeout bounds waiting on the client.
    statement_timeout: config.statementTimeoutMs ?? 10_000,
    query_timeout: (config.statementTimeoutMs ?? 10_000) + 1000,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
  });
  // An idle client's connection error (server restart) must not crash the process.
  pool.on('error', () => undefined);
  return { kind: 'postgres', where: redact(config.url), pool, close: () => pool.end() };
}

interface SharedPglite {
  ready: Promise<{ db: PGlite; pool: pg.Pool }>;
  users: number;
}

// One PGlite instance per data directory per process: PGlite is a single
// session, and two instances on one directory would corrupt it. The retrieve
// and record steps share it when `scia render` runs them in one process.
const shared = new Map<string, SharedPglite>();

async function openPglite(dataDir: string): Promise<Database> {
  const key = dataDir === 'memory://' ? `memory://${shared.size}-${Math.random()}` : resolve(dataDir);
  let entry = shared.get(key);
  if (entry === undefined) {
    entry = { ready: startPglite(key), users: 0 };
    shared.set(key, entry);
    entry.ready.catch(() => shared.delete(key));
  }
  entry.users++;
  const { pool } = await entry.ready;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed || entry === undefined) return;
    closed = true;
    if (--entry.users > 0) return;
    shared.delete(key);
    const { db } = await entry.ready;
    await pool.end();
    await db.close();
  };
  return { kind: 'pglite', where: key.startsWith('memory://') ? 'memory://' : key, pool, close };
}

async function startPglite(key: string): Promise<{ db: PGlite; pool: pg.Pool }> {
  const dataDir = key.startsWith('memory://') ? undefined : key;
  const fresh = isFresh(dataDir);
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const template = fresh ? templatePath() : undefined;
  const blob = readTemplate(template);
  const db = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(blob === undefined ? {} : { loadDataDir: blob }),
    extensions: { vector },
  });
  if (fresh && blob === undefined) await saveTemplate(db, template);
  // PGlite is one session: one client at a time, never closed while idle.
  const pool = new pg.Pool({ ...createPgConfig(db), max: 1, idleTimeoutMillis: 0 });
  return { db, pool };
}

/** withClient runs `fn` on one pooled client, returning the client to the pool afterwards. */
export async function withClient<T>(db: Database, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  let broken: Error | undefined;
  // A connection that dies while the client is out of the pool between two
  // queries emits 'error' on the client, which would crash the process with
  // no listener: note it, and let the next query fail and say why.
  const died = (err: Error): void => {
    broken = err;
  };
  client.on('error', died);
  try {
    return await fn(client);
  } catch (err) {
    // A server-side error leaves the connection usable; anything else may not.
    if (err instanceof Error && !(err instanceof pg.DatabaseError)) broken = err;
    throw err;
  } finally {
    client.off('error', died);
    if (db.kind === 'postgres' && broken !== undefined) client.release(broken);
    else client.release();
  }
}

/** withTransaction runs `fn` between BEGIN and COMMIT, rolling back when it throws. */
export async function withTransaction<T>(db: Database, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(db, async (client) => {
    await client.query('BEGIN');
    try {
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}
