import pg from 'pg';

const { escapeLiteral } = pg;

/**
 * PLANS_PER_CONNECTION is how many bucket statements a connection keeps
 * prepared, each with its plan: one per bucket and filter shape it has run,
 * the least recently run deallocated first. A bucket's statement with its
 * plan holds about 100 kB of the server process's memory (80 statements at
 * the bench's 1M rows, 231 partial indexes: 8.2 MB of CachedPlan contexts), so
 * 128 hold about 13 MB a connection. A search that misses pays its planning
 * again (1.1-1.3 ms at 1M rows).
 */
export const PLANS_PER_CONNECTION = 128;

/** KeptStatements are the bucket statements one connection holds prepared, least recently run first. */
export class KeptStatements {
  readonly #names = new Set<string>();

  constructor(public bound: number) {}

  /** names lists the statements held, least recently run first. */
  names(): string[] {
    return [...this.#names];
  }

  /**
   * admit says what running `name` takes: nothing more when it is held;
   * otherwise preparing it, after deallocating the least recently run ones
   * beyond the bound (settle records it once the server has done it).
   */
  admit(name: string): { prepare: string | undefined; evict: string[] } {
    if (this.#names.has(name)) return { prepare: undefined, evict: [] };
    const over = this.#names.size + 1 - Math.max(1, this.bound);
    return { prepare: name, evict: over > 0 ? [...this.#names].slice(0, over) : [] };
  }

  /** settle records that `name` ran (now the most recently run) and `evicted` were deallocated. */
  settle(name: string, evicted: readonly string[]): void {
    for (const n of evicted) this.#names.delete(n);
    this.#names.delete(name);
    this.#names.add(name);
  }

  /** replace holds `names` instead, as the server listed them. */
  replace(names: readonly string[]): void {
    this.#names.clear();
    for (const n of names) this.#names.add(n);
  }
}

// A pooled client is one connection for its whole life: what it holds prepared goes with it.
const kept = new WeakMap<pg.ClientBase, KeptStatements>();

/** keptOn is what `client`'s connection holds prepared, bounded by `bound` from now on. */
export function keptOn(client: pg.ClientBase, bound: number): KeptStatements {
  if (!Number.isInteger(bound) || bound < 1) throw new Error(`cannot keep ${bound} plans a connection: want a whole number of at least 1`);
  let k = kept.get(client);
  if (k === undefined) {
    k = new KeptStatements(bound);
    kept.set(client, k);
  }
  k.bound = bound;
  return k;
}

/** STATEMENT_NAME is the form of a bucket statement's name (search.ts): what a connection's list is read back by. */
const STATEMENT_NAME = /^scia_[0-9a-f]{24}$/;

/**
 * resync reads back which bucket statements `client`'s connection holds after
 * a failed run (PREPARE and DEALLOCATE are not undone by a rollback). When the
 * connection itself failed, or cannot say, it is forgotten: a connection that
 * still works then meets a statement it already holds, fails once, and is
 * read back.
 */
export async function resync(client: pg.ClientBase, k: KeptStatements, cause: unknown): Promise<void> {
  if (!answeredByServer(cause)) {
    kept.delete(client);
    return;
  }
  try {
    const { rows } = await client.query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE name LIKE 'scia\\_%'");
    k.replace(rows.map((r) => r.name).filter((n) => STATEMENT_NAME.test(n)));
  } catch {
    kept.delete(client);
  }
}

/** answeredByServer tells an error the server sent (the connection still works) from one of the connection; PGlite's adapter throws its own class of the former. */
function answeredByServer(err: unknown): boolean {
  if (err instanceof pg.DatabaseError) return true;
  if (!(err instanceof Error) || !('code' in err) || !('severity' in err)) return false;
  return typeof err.severity === 'string' && typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code);
}

/** executeSql is `EXECUTE name(...)` with each parameter written as a literal (simple protocol: no bound parameters). */
export function executeSql(name: string, params: readonly unknown[]): string {
  if (!STATEMENT_NAME.test(name)) throw new Error(`cannot execute statement ${JSON.stringify(name)}: not a bucket statement's name`);
  return params.length === 0 ? `EXECUTE ${name}` : `EXECUTE ${name}(${params.map(literal).join(', ')})`;
}

/** literal writes a parameter's value as SQL: strings escaped, finite numbers, booleans, arrays of strings as text[]. */
export function literal(v: unknown): string {
  if (typeof v === 'string') return escapeLiteral(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.length === 0 ? "'{}'::text[]" : `ARRAY[${v.map((x: string) => escapeLiteral(x)).join(', ')}]::text[]`;
  throw new Error(`cannot write ${Array.isArray(v) ? 'an array of non-strings' : typeof v} as an SQL literal`);
}
