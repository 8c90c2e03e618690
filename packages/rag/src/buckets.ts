import { createHash } from 'node:crypto';
import { withClient, type Database } from './db.js';
import { BUCKET_MIN_ROWS } from './plan.js';

/** IndexBuild sets how an HNSW index is built: memory (keep the graph in it, or the build crawls) and parallel workers. */
export interface IndexBuild {
  maintenanceWorkMem?: string;
  parallelWorkers?: number;
}

/** DEFAULT_INDEX_BUILD fits a 1M-row bucket's graph in memory on a modest server. */
export const DEFAULT_INDEX_BUILD: Required<IndexBuild> = { maintenanceWorkMem: '1GB', parallelWorkers: 2 };

/** bucketIndexName is the name of tenant `namespace`'s HNSW index: derived from a digest, any namespace fits. */
export function bucketIndexName(namespace: string): string {
  return `deployment_vectors_t_${createHash('sha256').update(namespace).digest('hex').slice(0, 16)}`;
}

/**
 * ensureBucketIndexes gives every tenant with at least `minRows` rows of its
 * own a partial HNSW index over them (`WHERE namespace = ...`), so a broad
 * search of that tenant walks a graph of its rows only. It returns the
 * namespaces it indexed. Run after bulk loads (writeMany does), not per record.
 */
export async function ensureBucketIndexes(db: Database, opts: IndexBuild & { minRows?: number } = {}): Promise<string[]> {
  return withClient(db, async (c) => {
    const { rows } = await c.query<{ namespace: string }>(
      "SELECT namespace FROM deployment_vectors WHERE namespace <> '' GROUP BY namespace HAVING count(*) >= $1 ORDER BY namespace",
      [opts.minRows ?? BUCKET_MIN_ROWS],
    );
    const existing = new Set((await c.query<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'deployment_vectors' AND schemaname = current_schema()")).rows.map((r) => r.name));
    const todo = rows.map((r) => r.namespace).filter((ns) => !existing.has(bucketIndexName(ns)));
    if (todo.length === 0) return [];
    if (db.kind === 'postgres') {
      await c.query("SELECT set_config('maintenance_work_mem', $1, false), set_config('max_parallel_maintenance_workers', $2, false)", [
        opts.maintenanceWorkMem ?? DEFAULT_INDEX_BUILD.maintenanceWorkMem, String(opts.parallelWorkers ?? DEFAULT_INDEX_BUILD.parallelWorkers),
      ]);
    }
    try {
      for (const ns of todo) {
        await c.query(`CREATE INDEX IF NOT EXISTS ${bucketIndexName(ns)} ON deployment_vectors USING hnsw (embedding halfvec_cosine_ops)
          WITH (m = 16, ef_construction = 64) WHERE namespace = ${c.escapeLiteral(ns)}`);
      }
    } finally {
      if (db.kind === 'postgres') await c.query('RESET maintenance_work_mem; RESET max_parallel_maintenance_workers');
    }
    return todo;
  });
}
