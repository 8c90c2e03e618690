import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { redact } from '@scia/api';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { vector } from '@electric-sql/pglite-pgvector';
import { defaultCacheDir, initdbTemplatePath, isFresh, readTemplate, saveTemplate, writeAtomically } from './pglite-template.js';
import { pgliteArtifacts } from './pglite-artifacts.js';
import { packDataDir, unpackDataDir } from './untar.js';

/**
 * DatabaseConfig names a PostgreSQL server by URL, or a PGlite data directory
 * (`memory://` for none). A fresh PGlite directory starts from `template` (a
 * dumped data directory, see store-template.ts) when given, else from the
 * empty-cluster template in `cacheDir` (the user's cache by default; left
 * there by the first initdb).
 */
export type DatabaseConfig =
  | { kind: 'postgres'; url: string; connectTimeoutMs?: number; statementTimeoutMs?: number; maxConnections?: number }
  | { kind: 'pglite'; dataDir: string; template?: Buffer; cacheDir?: string };

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
  /** dump is an embedded store's data directory as a gzipped tarball (PGlite only). */
  dump?(): Promise<Blob>;
  /**
   * keepOnClose asks an embedded store in a directory to pack that directory
   * into `file` once PGlite has closed it cleanly (its last user closing),
   * as it is now: if anything is written meanwhile (the write-ahead log has
   * moved), nothing is packed. Best effort; `then` runs after. Absent for
   * PostgreSQL and `memory://`.
   */
  keepOnClose?(file: string, then?: () => void): void;
  close(): Promise<void>;
}

/** openDatabase connects lazily to PostgreSQL, or opens (creating if needed) a PGlite data directory. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') return openPostgres(config);
  return openPglite(config);
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
  /** keep are the template files to pack the directory into once it is closed, each with the WAL position when asked. */
  keep: Array<{ file: string; then: () => void; at: Promise<string | undefined> }>;
}

// One PGlite instance per data directory per process: PGlite is a single
// session, and two instances on one directory would corrupt it. The retrieve
// and record steps share it when `scia render` runs them in one process.
const shared = new Map<string, SharedPglite>();

async function openPglite(config: Extract<DatabaseConfig, { kind: 'pglite' }>): Promise<Database> {
  const dataDir = config.dataDir;
  const key = dataDir === 'memory://' ? `memory://${shared.size}-${Math.random()}` : resolve(dataDir);
  let entry = shared.get(key);
  if (entry === undefined) {
    entry = { ready: startPglite(key, config), users: 0, keep: [] };
    shared.set(key, entry);
    entry.ready.catch(() => shared.delete(key));
  }
  entry.users++;
  const { db, pool } = await entry.ready;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed || entry === undefined) return;
    closed = true;
    if (--entry.users > 0) return;
    shared.delete(key);
    const asked = entry.keep.splice(0);
    const now = asked.length === 0 ? undefined : await walPosition(db);
    const keep: typeof asked = [];
    for (const k of asked) if (now !== undefined && (await k.at) === now) keep.push(k);
    const leaveOut = keep.length === 0 ? new Set<string>() : await otherDatabases(db);
    await pool.end();
    await db.close();
    for (const k of keep) await keepDataDir(key, k.file, leaveOut);
    for (const k of asked) k.then();
  };
  const memory = key.startsWith('memory://');
  return {
    kind: 'pglite',
    where: memory ? 'memory://' : key,
    pool,
    // Dumping runs on PGlite's one session, queued behind any query on the pool.
    dump: () => db.dumpDataDir('gzip'),
    ...(memory ? {} : { keepOnClose: (file: string, then: () => void = () => undefined) => void entry?.keep.push({ file, then, at: walPosition(db) }) }),
    close,
  };
}

/** walPosition is where the next write-ahead log record goes: it moves with every write. Undefined when it cannot be read. */
async function walPosition(db: PGlite): Promise<string | undefined> {
  try {
    const { rows } = await db.query<{ at: string }>('SELECT pg_current_wal_insert_lsn()::text AS at');
    return rows[0]?.at;
  } catch {
    return undefined;
  }
}

/**
 * otherDatabases are the directories (`base/<oid>`) of the cluster's databases
 * other than the store's own: template0 and template1, which only CREATE
 * DATABASE reads, and a store never runs. Left out of a template, they are
 * 600 of its 1,000 files, and unpacking costs by the file; the catalog still
 * lists them, so a store started from the template cannot create a database.
 * An error only means they are kept.
 */
async function otherDatabases(db: PGlite): Promise<Set<string>> {
  try {
    const { rows } = await db.query<{ dir: string }>("SELECT 'base/' || oid AS dir FROM pg_database WHERE datname <> current_database()");
    return new Set(rows.map((r) => r.dir));
  } catch {
    return new Set();
  }
}

/** keepDataDir packs a closed data directory, less `leaveOut`, into `file`, written whole or not at all; a failure only means no template. */
async function keepDataDir(dataDir: string, file: string, leaveOut: ReadonlySet<string>): Promise<void> {
  try {
    writeAtomically(file, await packDataDir(dataDir, leaveOut));
  } catch {
    // best effort: the next fresh store starts the slow way
  }
}

/**
 * START_PARAMS are PGlite's own start parameters with 16 MB of shared buffers
 * instead of PostgreSQL's 128 MB, which PGlite clears in WebAssembly memory
 * at every start: a fifth of a second and 120 MiB of resident memory more,
 * for an embedded store whose whole database is tens of MB at most (the rest
 * is read through the operating system's page cache). Answers are the same.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

async function startPglite(key: string, config: Extract<DatabaseConfig, { kind: 'pglite' }>): Promise<{ db: PGlite; pool: pg.Pool }> {
  const dataDir = key.startsWith('memory://') ? undefined : key;
  const fresh = isFresh(dataDir);
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const template = fresh && config.template === undefined ? initdbTemplatePath(config.cacheDir ?? defaultCacheDir({})) : undefined;
  const bytes = fresh ? (config.template ?? readTemplate(template)) : undefined;
  const artifacts = pgliteArtifacts();
  // Into a directory, unpacked natively; in memory, through PGlite.
  if (bytes !== undefined && dataDir !== undefined) await unpackDataDir(bytes, dataDir);
  const db = await PGlite.create({
    ...(await artifacts),
    startParams: START_PARAMS,
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(bytes === undefined || dataDir !== undefined ? {} : { loadDataDir: new Blob([bytes]) }),
    extensions: { vector },
  });
  if (fresh && bytes === undefined) await saveTemplate(db, template);
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
