import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBucketIndexes, hashingEmbedder, openDatabase, openStore, prewarmSearch, type Database } from '@scia/rag';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../../../test/support/postgres.js';
import { fixedClock, flaskQuery, record } from '../../../test/support/rag-fixtures.js';

/** storeWithBuckets opens a store on a new database, writes 60 rows in two tenants and builds their IVF bucket indexes. */
async function storeWithBuckets(server: TestPostgres, warn: (m: string) => void): Promise<{ db: Database; close: () => Promise<void>; search: () => Promise<unknown> }> {
  const db = await openDatabase({ kind: 'postgres', url: await server.createDatabase() });
  const opened = await openStore({ db, embedder: hashingEmbedder(), clock: fixedClock, warn });
  if (!opened.ok) throw new Error(opened.error);
  const { store } = opened.value;
  const prepared = await store.prepare(Array.from({ length: 60 }, (_, i) => record({
    xrUid: `u-${i}`, name: `app-${i}`, namespace: i % 2 === 0 ? 'team-a' : 'team-b', app: { language: 'python', framework: 'flask', prompt: `api ${i}` },
  })));
  if (!prepared.ok) throw new Error(prepared.error);
  await store.writeMany(prepared.value);
  await ensureBucketIndexes(db, { minRows: 20 });
  return { db, close: () => store.close(), search: () => store.search(flaskQuery({ tenant: 'team-a' })) };
}

/** searchRelations are the relations prewarmSearch is meant to read, with their sizes in blocks. */
async function searchRelations(db: Database): Promise<Map<string, number>> {
  const { rows } = await db.pool.query<{ name: string; blocks: string }>(
    `SELECT c.relname AS name, pg_relation_size(c.oid) / 8192 AS blocks FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
     WHERE (i.indrelid = 'deployment_vectors'::regclass AND a.amname = 'ivfflat') OR (i.indrelid = 'deployments'::regclass AND i.indisprimary)`);
  return new Map(rows.map((r) => [r.name, Number(r.blocks)]));
}

describe('prewarming the search indexes on postgres', () => {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    if (postgresSkipReason === undefined) server = await startPostgres();
  });
  afterAll(() => server?.stop());
  const test = postgresSkipReason === undefined ? it : it.skip;
  if (postgresSkipReason !== undefined) it.skip(`skipped: ${postgresSkipReason}`, () => undefined);

  test('reads every IVF bucket index and the primary key into shared buffers, or says why not', async () => {
    if (server === undefined) throw new Error('not set up');
    const warnings: string[] = [];
    const s = await storeWithBuckets(server, (m) => warnings.push(m));
    try {
      expect(await prewarmSearch(s.db)).toBe('the database has no pg_prewarm extension');
      await s.db.pool.query('CREATE EXTENSION pg_prewarm');
      const want = await searchRelations(s.db);
      // Two tenants' buckets, their flask sub-buckets, and the primary key.
      expect(want.size).toBe(5);
      const total = [...want.values()].reduce((a, b) => a + b, 0);
      // Every block of each: pg_prewarm counts the blocks it read.
      expect(await prewarmSearch(s.db)).toEqual({ mode: 'buffer', relations: 5, blocks: total, ms: expect.any(Number) as number });
      // Over the share of shared buffers it may take, the operating system is asked to read them ahead instead.
      expect(await prewarmSearch(s.db, { share: 0 })).toEqual({ mode: 'prefetch', relations: 5, blocks: total, ms: expect.any(Number) as number });
      expect(await prewarmSearch(s.db, { signal: AbortSignal.abort() })).toBe('cancelled');
      // The store prewarms at its first search, in the background, and cancels it when closed.
      await s.search();
    } finally {
      await s.close();
    }
    expect(warnings).toEqual([]);
  });
});
