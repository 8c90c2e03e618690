import { withClient, type Database } from './db.js';

/** StoreStats describe what a store holds. */
export interface StoreStats {
  backend: 'postgres' | 'pglite';
  where: string;
  schemaVersion: number;
  rows: number;
  shared: number;
  tenants: number;
  byEmbedder: Record<string, number>;
  byOutcome: Record<string, number>;
  byStrategy: Record<string, number>;
  /** topFrameworks are the ten most recorded frameworks. */
  topFrameworks: Record<string, number>;
  indexes: string[];
}

/** storeStats counts a migrated store's rows by embedder, outcome, strategy and framework. */
export async function storeStats(db: Database): Promise<StoreStats> {
  return withClient(db, async (c) => {
    const version = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM scia_migrations');
    const totals = await c.query<{ rows: string; shared: string; tenants: string }>(
      "SELECT count(*) AS rows, count(*) FILTER (WHERE shared) AS shared, count(DISTINCT namespace) FILTER (WHERE namespace <> '') AS tenants FROM deployments",
    );
    const by = async (column: 'embedder' | 'outcome' | 'strategy' | 'framework', limit = 1000): Promise<Record<string, number>> => {
      const { rows } = await c.query<{ key: string; n: string }>(
        `SELECT ${column} AS key, count(*) AS n FROM deployments GROUP BY ${column} ORDER BY count(*) DESC, ${column} LIMIT $1`,
        [limit],
      );
      return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
    };
    const indexes = await c.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'deployments' ORDER BY indexname");
    const t = totals.rows[0];
    return {
      backend: db.kind,
      where: db.where,
      schemaVersion: Number(version.rows[0]?.v ?? 0),
      rows: Number(t?.rows ?? 0),
      shared: Number(t?.shared ?? 0),
      tenants: Number(t?.tenants ?? 0),
      byEmbedder: await by('embedder'),
      byOutcome: await by('outcome'),
      byStrategy: await by('strategy'),
      topFrameworks: await by('framework', 10),
      indexes: indexes.rows.map((r) => r.indexname),
    };
  });
}
