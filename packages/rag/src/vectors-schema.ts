import { DIMENSIONS } from './vector.js';

/**
 * NARROW_INDEXES are the narrow table's B-trees by name: over the filter
 * columns, carrying the embedding, for the exact plan's index-only scans.
 * Each bucket's IVF index is built apart, once it is large enough (buckets.ts).
 */
export const NARROW_INDEXES: Readonly<Record<string, string>> = {
  deployment_vectors_own: `CREATE INDEX deployment_vectors_own ON deployment_vectors (embedder, namespace, framework, language)
  INCLUDE (id, shared, outcome, user_feedback, cost_monthly, embedding)`,
  deployment_vectors_shared: `CREATE INDEX deployment_vectors_shared ON deployment_vectors (embedder, framework, language)
  INCLUDE (id, namespace, outcome, user_feedback, cost_monthly, embedding) WHERE shared`,
};

// Version 3 as released: the B-trees and the shared rows' HNSW index (dropped by version 4).
const V3_INDEXES = [
  ...Object.values(NARROW_INDEXES),
  `CREATE INDEX deployment_vectors_shared_hnsw ON deployment_vectors USING hnsw (embedding halfvec_cosine_ops)
  WITH (m = 16, ef_construction = 64) WHERE shared`,
];

/**
 * VECTORS_MIGRATION (schema version 3) moves searching off the wide
 * `deployments` rows, whose 1.5 KB vector and JSON push each row out of line,
 * onto `deployment_vectors`: one narrow row per deployment with the filter
 * columns and the embedding as `halfvec` (772 bytes, kept inline), in step
 * with `deployments` through a trigger. Its indexes serve the two plans a
 * search chooses between (see plan.ts):
 * - B-trees on the filter columns that INCLUDE the embedding, so an exact
 *   search of a selective filter reads only index pages (an index-only scan);
 * - HNSW indexes per bucket, partial: one over the shared rows here, one per
 *   large tenant built by ensureBucketIndexes, so a broad filter walks a graph
 *   where most rows pass it.
 * The wide table's own HNSW index goes: nothing searches it any more.
 */
export const VECTORS_MIGRATION = `
CREATE TABLE deployment_vectors (
  id bigint PRIMARY KEY REFERENCES deployments (id) ON DELETE CASCADE,
  embedder text NOT NULL,
  namespace text NOT NULL,
  shared boolean NOT NULL,
  framework text NOT NULL,
  language text NOT NULL,
  outcome text NOT NULL,
  user_feedback smallint NOT NULL,
  cost_monthly double precision,
  embedding halfvec(${DIMENSIONS}) NOT NULL
);
ALTER TABLE deployment_vectors ALTER COLUMN embedding SET STORAGE PLAIN;
INSERT INTO deployment_vectors
  SELECT id, embedder, namespace, shared, framework, language, outcome, user_feedback, cost_monthly, embedding::halfvec(${DIMENSIONS}) FROM deployments;
${V3_INDEXES.join(';\n')};
CREATE OR REPLACE FUNCTION deployment_vectors_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO deployment_vectors (id, embedder, namespace, shared, framework, language, outcome, user_feedback, cost_monthly, embedding)
  VALUES (NEW.id, NEW.embedder, NEW.namespace, NEW.shared, NEW.framework, NEW.language, NEW.outcome, NEW.user_feedback, NEW.cost_monthly,
          NEW.embedding::halfvec(${DIMENSIONS}))
  ON CONFLICT (id) DO UPDATE SET embedder = EXCLUDED.embedder, namespace = EXCLUDED.namespace, shared = EXCLUDED.shared,
    framework = EXCLUDED.framework, language = EXCLUDED.language, outcome = EXCLUDED.outcome,
    user_feedback = EXCLUDED.user_feedback, cost_monthly = EXCLUDED.cost_monthly, embedding = EXCLUDED.embedding;
  RETURN NULL;
END
$$;
CREATE TRIGGER deployments_vectors AFTER INSERT OR UPDATE ON deployments
  FOR EACH ROW EXECUTE FUNCTION deployment_vectors_sync();
DROP INDEX deployments_embedding;
`;

/**
 * IVF_MIGRATION (schema version 4) drops the narrow table's HNSW indexes: on
 * clustered vectors a graph keeps each cluster's rows among themselves, and a
 * query between clusters stalls in one (recall 0.89 at ef_search 1000 on a
 * 100k-row bucket). Each bucket gets an IVF index instead, built once it has
 * BUCKET_MIN_ROWS rows (ensureBucketIndexes, BucketMaintainer); until then it
 * is searched exactly.
 */
export const IVF_MIGRATION = `
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_am a ON a.oid = i.relam
    WHERE t.relname = 'deployment_vectors' AND t.relnamespace = to_regnamespace(current_schema())::oid AND a.amname = 'hnsw'
  LOOP
    EXECUTE format('DROP INDEX %I', r.name);
  END LOOP;
END
$$;
`;
