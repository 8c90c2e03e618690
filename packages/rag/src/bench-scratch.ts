import pg from 'pg';

/** SCRATCH_PREFIX starts every scratch schema's name; sweepScratch drops those nobody holds. */
export const SCRATCH_PREFIX = 'scia_bench_';

/**
 * Scratch is a bench's schema on a PostgreSQL server, held by a session
 * advisory lock on a connection of its own for as long as the bench runs. A
 * bench that dies without dropping it (SIGKILL, a lost machine) leaves the lock
 * free, and the next bench's sweep drops the schema.
 */
export interface Scratch {
  schema: string;
  /** drop ends the bench's other sessions (and so what they run: an index build), drops the schema and lets the lock go; idempotent. */
  drop(): Promise<void>;
}

/**
 * openScratch sweeps abandoned scratch schemas, creates a new one and holds
 * it. Until drop, SIGINT and SIGTERM drop it before the process exits (130).
 */
export async function openScratch(url: string, say: (line: string) => void): Promise<Scratch> {
  const schema = `${SCRATCH_PREFIX}${process.pid}_${Date.now().toString(36)}`;
  const holder = await lockSchema(url, schema, say);
  await holder.query(`CREATE SCHEMA ${schema}`);
  let dropped: Promise<void> | undefined;
  const drop = (): Promise<void> => {
    dropped ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // The bench's own sessions carry the schema as application_name: end them (a cancel does not reach a
      // session waiting for COPY data), which stops what they run (an index build), then drop.
      await holder.query('SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = $1', [schema]).catch(() => undefined);
      await holder.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch((err: unknown) => say(`cannot drop the scratch schema ${schema}: ${(err as Error).message}`));
      await holder.end().catch(() => undefined);
    })();
    return dropped;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    say(`${signal}: dropping the scratch schema ${schema}`);
    void drop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { schema, drop };
}

/**
 * lockSchema opens the session that holds `schema`'s advisory lock for as
 * long as a bench uses it: it sweeps abandoned scratch schemas first, waits
 * for the lock, and makes sure pgvector exists, created on the server's
 * search path rather than inside the schema, whose drop would take it along.
 */
async function lockSchema(url: string, schema: string, say: (line: string) => void): Promise<pg.Client> {
  const holder = new pg.Client({ connectionString: url, application_name: `${schema}_lock` });
  await holder.connect();
  holder.on('error', () => undefined);
  const swept = await sweepScratch(holder);
  if (swept.length > 0) say(`dropped abandoned scratch schemas: ${swept.join(', ')}`);
  await holder.query('SELECT pg_advisory_lock(hashtext($1))', [schema]);
  await holder.query('CREATE EXTENSION IF NOT EXISTS vector');
  return holder;
}

/** sweepScratch drops every scratch schema whose advisory lock no session holds, returning their names. */
function sweepScratch(c: pg.Client): Promise<string[]> {
  return dropUnheld(c, 'scia\\_bench\\_%');
}

/** dropUnheld drops every schema named like `pattern` (SQL LIKE) whose advisory lock no session holds, returning their names. */
async function dropUnheld(c: pg.Client, pattern: string): Promise<string[]> {
  const { rows } = await c.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1 ORDER BY 1', [pattern]);
  const swept: string[] = [];
  for (const { name } of rows) {
    const got = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [name]);
    if (got.rows[0]?.ok !== true) continue;
    await c.query(`DROP SCHEMA IF EXISTS ${c.escapeIdentifier(name)} CASCADE`);
    await c.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    swept.push(name);
  }
  return swept;
}

/**
 * scratchUrl points `url` at `schema` and names its sessions after it, and asks
 * the server to check every second that the client is still there, so a
 * statement of a bench that vanished stops instead of running on.
 */
export function scratchUrl(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema},public -c client_connection_check_interval=1000`);
  u.searchParams.set('application_name', schema);
  return u.toString();
}

/** KEPT_PREFIX starts the name of a kept bench dataset's schema; sweepScratch leaves them. */
export const KEPT_PREFIX = 'scia_benchkeep_';

/**
 * Kept is a bench dataset kept between runs in a schema of its own, named by
 * its fingerprint, held by a session advisory lock while a bench uses it.
 * `ready` says whether a complete dataset was found; until markReady, the
 * schema is this bench's to build, and an interrupted build drops it.
 */
export interface Kept {
  schema: string;
  ready: Record<string, number> | undefined;
  /** markReady records the dataset complete, with its load and build figures. */
  markReady(figures: Record<string, number>): Promise<void>;
  /** release ends the bench's other sessions and lets the lock go, dropping the schema if it was never made ready; idempotent. */
  release(): Promise<void>;
}

/**
 * openKept waits for and holds the lock of dataset `name` (`fingerprint`
 * names its content). A schema of that name marked complete for the same
 * fingerprint is reused; any other (an older layout, a build killed outright)
 * is dropped and created empty for this bench to fill. SIGINT and SIGTERM
 * release it (dropping a half-built one) before the process exits (130).
 */
export async function openKept(url: string, name: string, fingerprint: string, say: (line: string) => void): Promise<Kept> {
  const schema = `${KEPT_PREFIX}${name}`;
  const holder = await lockSchema(url, schema, say);
  let ready: Record<string, number> | undefined;
  const marker = await holder.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`${schema}.bench_dataset`]);
  if (marker.rows[0]?.t !== null) {
    const { rows } = await holder.query<{ fingerprint: string; figures: Record<string, number> }>(`SELECT fingerprint, figures FROM ${schema}.bench_dataset`);
    if (rows[0]?.fingerprint === fingerprint) ready = rows[0].figures;
  }
  if (ready === undefined) {
    await holder.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await holder.query(`CREATE SCHEMA ${schema}`);
  }
  let complete = ready !== undefined;
  let released: Promise<void> | undefined;
  const release = (): Promise<void> => {
    released ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await holder.query('SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = $1', [schema]).catch(() => undefined);
      if (!complete) await holder.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch((err: unknown) => say(`cannot drop the unfinished dataset ${schema}: ${(err as Error).message}`));
      await holder.end().catch(() => undefined);
    })();
    return released;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    say(`${signal}: ${complete ? 'leaving the kept dataset' : 'dropping the unfinished dataset'} ${schema}`);
    void release().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    schema, ready, release,
    markReady: async (figures) => {
      await holder.query(`CREATE TABLE ${schema}.bench_dataset (fingerprint text NOT NULL, figures jsonb NOT NULL)`);
      await holder.query(`INSERT INTO ${schema}.bench_dataset VALUES ($1, $2)`, [fingerprint, JSON.stringify(figures)]);
      complete = true;
    },
  };
}

/** dropKept drops every kept bench dataset no bench holds, returning their names. */
export async function dropKept(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await dropUnheld(c, 'scia\\_benchkeep\\_%');
  } finally {
    await c.end();
  }
}
