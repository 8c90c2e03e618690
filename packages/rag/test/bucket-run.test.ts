import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BucketStats, bucketQueries, ensureBucketIndexes, hashingEmbedder, keptOn, openDatabase, openStore, planSearch, runBucket, searchRows,
  type BucketQuery, type Database, type DeploymentRecordInput,
} from '@scia/rag';
import { backends, onBackend } from './backends.js';
import { startWireCount, type WireCount } from './support/wire-count.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../../../test/support/postgres.js';
import { fixedClock, record } from '../../../test/support/rag-fixtures.js';

const TENANTS = ['team-a', 'team-b', 'team-c'];

/** seeded writes 40 rows a tenant (a fifth shared) and builds every bucket's IVF index. */
async function seeded(db: Database): Promise<number[]> {
  const opened = await openStore({ db, embedder: hashingEmbedder(), clock: fixedClock });
  if (!opened.ok) throw new Error(opened.error);
  const inputs: DeploymentRecordInput[] = Array.from({ length: 120 }, (_, i) => record({
    xrUid: `u-${i}`, name: `app-${i}`, namespace: TENANTS[i % 3] ?? 'team-a', shared: i % 5 === 0,
    app: { language: 'python', framework: i % 2 === 0 ? 'flask' : 'django', prompt: `api number ${i}` },
  }));
  const prepared = await opened.value.store.prepare(inputs);
  if (!prepared.ok) throw new Error(prepared.error);
  await opened.value.store.writeMany(prepared.value);
  await ensureBucketIndexes(db, { minRows: 20 });
  const embedded = await hashingEmbedder().embed(['python flask api']);
  if (!embedded.ok) throw new Error(embedded.error);
  return embedded.value[0] ?? [];
}

const scopeOf = (tenant: string): { embedder: string; tenant: string; filters: { language: string; nonNegativeFeedback: boolean } } =>
  ({ embedder: hashingEmbedder().id, tenant, filters: { language: 'python', nonNegativeFeedback: false } });

/** ownQuery is a tenant's own bucket's statement through its IVF index. */
async function ownQuery(db: Database, v: number[], tenant: string, vector = v): Promise<BucketQuery> {
  const scope = scopeOf(tenant);
  const q = bucketQueries(vector, scope, planSearch(await new BucketStats(db).current(), scope, 'index', 20), { limit: 20 }).find((b) => b.part === 'own');
  if (q === undefined || q.probes === undefined) throw new Error(`no IVF statement for ${tenant}'s own bucket`);
  return q;
}

async function held(c: { query: Database['pool']['query'] }): Promise<string[]> {
  const { rows } = await c.query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE name LIKE 'scia\\_%' ORDER BY name");
  return rows.map((r) => r.name);
}

describe.each(backends())('bucket statements a connection keeps, on $name', (backend) => {
  const test = onBackend(backend);

  test('keeps at most the bound, deallocating the least recently run, with the same rows', async () => {
    const db = await backend.fresh();
    const v = await seeded(db);
    const [a, b, c] = await Promise.all(TENANTS.map((t) => ownQuery(db, v, t)));
    if (a === undefined || b === undefined || c === undefined) throw new Error('want three statements');
    const client = await db.pool.connect();
    try {
      const run = (q: BucketQuery): Promise<unknown[]> => runBucket(client, q, { plansPerConnection: 2 });
      const first = [await run(a), await run(b)];
      expect(await held(client)).toEqual([a.name, b.name].sort());
      expect(await run(a)).toEqual(first[0]);
      await run(c);
      // b ran least recently: it went, a stayed.
      expect(await held(client)).toEqual([a.name, c.name].sort());
      expect(await run(b)).toEqual(first[1]);
      expect(await held(client)).toEqual([b.name, c.name].sort());
      expect(first.map((rows) => rows.length)).toEqual([20, 20]);
    } finally {
      client.release();
    }
  });

  test('after a statement fails, knows what the connection still holds and runs it again', async () => {
    const db = await backend.fresh();
    const v = await seeded(db);
    const [a, b] = await Promise.all(TENANTS.slice(0, 2).map((t) => ownQuery(db, v, t)));
    // The same statement (same text, same name) with a query vector of the wrong length: prepared, then fails to run.
    const broken = await ownQuery(db, v, 'team-c', v.slice(0, 10));
    const good = await ownQuery(db, v, 'team-c');
    if (a === undefined || b === undefined) throw new Error('want two statements');
    expect(broken.name).toBe(good.name);
    const client = await db.pool.connect();
    try {
      await runBucket(client, a, { plansPerConnection: 2 });
      await runBucket(client, b, { plansPerConnection: 2 });
      await expect(runBucket(client, broken, { plansPerConnection: 2 })).rejects.toThrow(/dimensions/);
      // The failed run deallocated a and prepared the statement: both outlive its rollback.
      expect(await held(client)).toEqual([b.name, good.name].sort());
      expect(keptOn(client, 2).names().sort()).toEqual([b.name, good.name].sort());
      expect(await runBucket(client, good, { plansPerConnection: 2 })).toHaveLength(20);
    } finally {
      client.release();
    }
  });
});

describe('round trips of a search on postgres', () => {
  let server: TestPostgres | undefined;
  let wire: WireCount | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    if (postgresSkipReason !== undefined) return;
    server = await startPostgres();
    const url = new URL(await server.createDatabase());
    wire = await startWireCount({ host: url.hostname, port: Number(url.port) });
    url.port = String(wire.port);
    db = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await wire?.close();
    await server?.stop();
  });
  const test = postgresSkipReason === undefined ? it : it.skip;
  if (postgresSkipReason !== undefined) it.skip(`skipped: ${postgresSkipReason}`, () => undefined);

  test('runs each IVF bucket in one round trip, its settings ending with it', async () => {
    if (db === undefined || wire === undefined) throw new Error('not set up');
    const v = await seeded(db);
    const stats = new BucketStats(db);
    const searches = TENANTS.flatMap((t) => [scopeOf(t), { ...scopeOf(t), filters: { framework: 'flask', nonNegativeFeedback: false } }]);
    const before = [];
    // The first round prepares each statement on some connection (in the same message); the second may meet it on the other.
    for (const s of searches) before.push((await searchRows(db, v, s, { mode: 'index', limit: 20, stats })).rows);
    wire.reset();
    const after = [];
    for (const s of searches) {
      const found = await searchRows(db, v, s, { mode: 'index', limit: 20, stats });
      expect(found.plans.map((p) => p.plan)).toEqual(['ivf', 'ivf']);
      after.push(found.rows);
    }
    expect(wire.roundTrips).toBe(searches.length * 2);
    expect(after).toEqual(before);
    // The pool's connections are back at the defaults for their next user.
    const clients = await Promise.all([db.pool.connect(), db.pool.connect()]);
    try {
      for (const c of clients) {
        const { rows } = await c.query<Record<string, string>>(
          "SELECT current_setting('ivfflat.probes') AS probes, current_setting('enable_seqscan') AS seqscan, current_setting('enable_sort') AS sort, current_setting('plan_cache_mode') AS cache, current_setting('jit') AS jit");
        expect(rows).toEqual([{ probes: '1', seqscan: 'on', sort: 'on', cache: 'auto', jit: 'on' }]);
      }
    } finally {
      for (const c of clients) c.release();
    }
  });
});
