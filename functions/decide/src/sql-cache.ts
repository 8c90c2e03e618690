import { CachedDecision, type DecisionCache } from './cache.js';

/** Queryable is the part of a `pg.Pool` (PostgreSQL or PGlite through node-postgres) the cache uses. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * DECISIONS_TABLE holds finished decisions by input hash, shared by every
 * replica that reaches the same database.
 */
export const DECISIONS_TABLE = `CREATE TABLE IF NOT EXISTS scia_decisions (
  input_hash text PRIMARY KEY CHECK (input_hash ~ '^[0-9a-f]{64}$'),
  decision jsonb NOT NULL,
  warnings jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * SqlDecisionCache keeps decisions in `scia_decisions`. The first writer of a
 * hash wins; `put` then reads the stored row back, so two replicas that decided
 * at once converge on one decision. A row that no longer validates is a miss.
 */
export class SqlDecisionCache implements DecisionCache {
  #ready: Promise<void> | undefined;

  constructor(readonly db: Queryable) {}

  async get(hash: string): Promise<CachedDecision | undefined> {
    await this.#ensureTable();
    const { rows } = await this.db.query('SELECT decision, warnings FROM scia_decisions WHERE input_hash = $1', [hash]);
    const parsed = CachedDecision.safeParse(rows[0]);
    return parsed.success ? parsed.data : undefined;
  }

  async put(hash: string, entry: CachedDecision): Promise<void> {
    await this.#ensureTable();
    await this.db.query(
      'INSERT INTO scia_decisions (input_hash, decision, warnings) VALUES ($1, $2, $3) ON CONFLICT (input_hash) DO NOTHING',
      [hash, JSON.stringify(entry.decision), JSON.stringify(entry.warnings)],
    );
  }

  #ensureTable(): Promise<void> {
    this.#ready ??= this.db.query(DECISIONS_TABLE).then(
      () => undefined,
      (err: unknown) => {
        this.#ready = undefined;
        throw new Error(`cannot create table scia_decisions: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      },
    );
    return this.#ready;
  }
}
