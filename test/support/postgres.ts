import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './ports.js';

const run = promisify(execFile);

/**
 * postgresBinDir finds PostgreSQL's server binaries (initdb, pg_ctl): env
 * SCIA_PG_BINDIR, else the newest /usr/lib/postgresql/<major>/bin, else none.
 */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env['SCIA_PG_BINDIR'];
  if (configured !== undefined && existsSync(join(configured, 'initdb'))) return configured;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  const major = majors.find((m) => existsSync(join(root, m, 'bin', 'initdb')));
  return major === undefined ? undefined : join(root, major, 'bin');
}

/**
 * pgvectorMissing says what is missing for pgvector next to the server binaries
 * in `bin`, or undefined when its control file is there: the share directory
 * `pg_config --sharedir` names, else Debian's /usr/share/postgresql/<major>,
 * else <prefix>/share/postgresql or <prefix>/share.
 */
export function pgvectorMissing(bin: string): string | undefined {
  const candidates = [...sharedirFromPgConfig(bin), `/usr/share/postgresql/${basename(dirname(bin))}`, join(bin, '..', 'share', 'postgresql'), join(bin, '..', 'share')];
  const shares = candidates.filter((d) => existsSync(join(d, 'extension')));
  if (shares.some((d) => existsSync(join(d, 'extension', 'vector.control')))) return undefined;
  const where = shares[0] === undefined ? `next to ${bin}` : `in ${join(shares[0], 'extension')}`;
  return `PostgreSQL is installed but the pgvector extension is not (no vector.control ${where}): run scripts/setup-postgres.sh`;
}

function sharedirFromPgConfig(bin: string): string[] {
  if (!existsSync(join(bin, 'pg_config'))) return [];
  try {
    return [execFileSync(join(bin, 'pg_config'), ['--sharedir'], { encoding: 'utf8' }).trim()];
  } catch {
    return [];
  }
}

/**
 * postgresSkipReasonFor is why PostgreSQL suites cannot run with `env`, or
 * undefined when they can: with SCIA_TEST_DATABASE_URL they always run (that
 * server must have pgvector); otherwise they need the server binaries and the
 * pgvector extension installed for them.
 */
export function postgresSkipReasonFor(env: NodeJS.ProcessEnv): string | undefined {
  if (env['SCIA_TEST_DATABASE_URL'] !== undefined) return undefined;
  const bin = postgresBinDir(env);
  if (bin === undefined) return 'PostgreSQL server binaries (initdb, pg_ctl) are not installed: run scripts/setup-postgres.sh';
  return pgvectorMissing(bin);
}

/** postgresSkipReason is postgresSkipReasonFor this process's environment. */
export const postgresSkipReason: string | undefined = postgresSkipReasonFor(process.env);

/** TestPostgres is a running server the tests own. */
export interface TestPostgres {
  /** url connects to its `postgres` database as a superuser. */
  readonly url: string;
  /** createDatabase creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * startPostgres starts a throwaway cluster: initdb into a temporary directory,
 * pg_ctl on 127.0.0.1 and a free port, trust authentication, fsync off. As root
 * it runs the server as the `postgres` user. With SCIA_TEST_DATABASE_URL set it
 * uses that server instead and starts nothing.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const external = process.env['SCIA_TEST_DATABASE_URL'];
  if (external !== undefined) return withDatabases(external, () => Promise.resolve());
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error(`cannot start PostgreSQL: ${postgresSkipReason ?? 'no binaries'}`);
  const dir = mkdtempSync(join(tmpdir(), 'scia-pg-'));
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
  const as = (cmd: string, args: string[]): Promise<unknown> =>
    owner === undefined ? run(join(bin, cmd), args) : run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]);
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await as('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (err) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start PostgreSQL in ${dir}: ${(err as Error).message}\n${log}`, { cause: err });
  }
  const stop = async (): Promise<void> => {
    await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  return withDatabases(`postgres://postgres@127.0.0.1:${port}/postgres`, stop);
}

function withDatabases(url: string, stop: () => Promise<void>): TestPostgres {
  let n = 0;
  return {
    url,
    async createDatabase() {
      const name = `scia_test_${process.pid}_${Date.now().toString(36)}_${n++}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    stop,
  };
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('cannot start PostgreSQL as root: there is no postgres user');
  return { uid: Number(uid), gid: Number(gid) };
}

