import pg from 'pg';
import { describe, expect } from 'vitest';
import {
  BucketStats, bucketIndexName, bucketQueries, ensureBucketIndexes, hashingEmbedder, openStore, planSearch, searchRows, SHARED_INDEX, type Database, type DeploymentRecordInput,
} from '@scia/rag';
import { backends, onBackend } from './backends.js';
import { fixedClock, record } from '../../../test/support/rag-fixtures.js';

interface Prepared {
  name: string;
  generic: number;
  custom: number;
  scans: string[];
}

/**
 * preparedOnPool reads, on every connection of the pool (all idle), the
 * statements it keeps (`scia_` ones), how often each ran a generic or a custom
 * plan, and the scans its generic plan runs for the search's bound values.
 */
async function preparedOnPool(db: Database, values: Map<string, unknown[]>): Promise<Prepared[]> {
  const clients = await Promise.all(Array.from({ length: db.pool.totalCount }, () => db.pool.connect()));
  try {
    const out: Prepared[] = [];
    for (const c of clients) {
      const { rows } = await c.query<{ name: string; generic: string; custom: string }>(
        "SELECT name, generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements WHERE name LIKE 'scia\\_%' ORDER BY name");
      for (const r of rows) {
        const args = (values.get(r.name) ?? []).map((v) => (typeof v === 'number' ? String(v) : pg.escapeLiteral(String(v))));
        await c.query('SET plan_cache_mode = force_generic_plan');
        const plan = (await c.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) EXECUTE ${r.name}(${args.join(', ')})`)).rows[0]?.['QUERY PLAN'];
        await c.query('RESET plan_cache_mode');
        const scans: string[] = [];
        const walk = (node: unknown): void => {
          if (typeof node !== 'object' || node === null) return;
          const n = node as Record<string, unknown>;
          if (typeof n['Index Name'] === 'string') scans.push(`${String(n['Node Type'])} on ${n['Index Name']}`);
          for (const v of Object.values(n)) walk(v);
        };
        walk(plan);
        out.push({ name: r.name, generic: Number(r.generic), custom: Number(r.custom), scans });
      }
    }
    return out;
  } finally {
    for (const c of clients) c.release();
  }
}

describe.each(backends())('cached bucket plans on $name', (backend) => {
  const test = onBackend(backend);

  test('plans each bucket statement once per connection, generically, through the bucket\'s partial index', async () => {
    const db = await backend.fresh();
    const opened = await openStore({ db, embedder: hashingEmbedder(), clock: fixedClock });
    if (!opened.ok) throw new Error(opened.error);
    const frameworks = ['flask', 'django', 'fastapi', 'bottle'];
    const inputs: DeploymentRecordInput[] = Array.from({ length: 120 }, (_, i) => record({
      xrUid: `u-${i}`, name: `app-${i}`, namespace: i % 3 === 0 ? 'team-b' : 'team-a', shared: i % 5 === 0,
      app: { language: 'python', framework: frameworks[i % 4] ?? 'flask', prompt: `api number ${i} with ${frameworks[(i * 7) % 4] ?? ''}` },
    }));
    const prepared = await opened.value.store.prepare(inputs);
    if (!prepared.ok) throw new Error(prepared.error);
    await opened.value.store.writeMany(prepared.value);
    await ensureBucketIndexes(db, { minRows: 20 });
    const stats = new BucketStats(db);
    const embedded = await hashingEmbedder().embed(['python flask api']);
    if (!embedded.ok) throw new Error(embedded.error);
    const v = embedded.value[0] ?? [];
    const scope = { embedder: hashingEmbedder().id, tenant: 'team-a', filters: { framework: 'flask', nonNegativeFeedback: false } };
    const first = await searchRows(db, v, scope, { mode: 'index', limit: 20, stats });
    for (let i = 0; i < 2; i++) expect((await searchRows(db, v, scope, { mode: 'index', limit: 20, stats })).rows).toEqual(first.rows);
    const values = new Map(bucketQueries(v, scope, planSearch(await stats.current(), scope, 'index', 20), { limit: 20 }).map((q) => [q.name, q.params.map((p) => (Buffer.isBuffer(p) ? `[${v.join(',')}]` : p))]));
    const seen = await preparedOnPool(db, values);
    // The same statement on two connections is planned on each: counted per name across the pool.
    const byName = new Map<string, { generic: number; custom: number; scans: string[] }>();
    for (const p of seen) {
      const had = byName.get(p.name);
      byName.set(p.name, { generic: (had?.generic ?? 0) + p.generic, custom: (had?.custom ?? 0) + p.custom, scans: p.scans });
    }
    expect([...byName.values()].sort((a, b) => (a.scans[0] ?? '').localeCompare(b.scans[0] ?? ''))).toEqual([
      // team-a's flask rows have a sub-bucket index; the shared rows (24) only their bucket's.
      { generic: 3, custom: 0, scans: [`Index Scan on ${SHARED_INDEX}`, 'Index Scan on deployments_pkey'] },
      { generic: 3, custom: 0, scans: [`Index Scan on ${bucketIndexName({ kind: 'tenant', namespace: 'team-a', framework: 'flask' })}`, 'Index Scan on deployments_pkey'] },
    ].sort((a, b) => (a.scans[0] ?? '').localeCompare(b.scans[0] ?? '')));
  });

  test('names a bucket whose tenant holds quotes and backslashes by a literal that still finds its rows', async () => {
    const db = await backend.fresh();
    const opened = await openStore({ db, embedder: hashingEmbedder(), clock: fixedClock });
    if (!opened.ok) throw new Error(opened.error);
    const tenant = "o'brien\\'; SELECT 1; --";
    const prepared = await opened.value.store.prepare(Array.from({ length: 30 }, (_, i) => record({ xrUid: `q-${i}`, name: `app-${i}`, namespace: tenant, app: { language: 'python', framework: 'flask', prompt: `api ${i}` } })));
    if (!prepared.ok) throw new Error(prepared.error);
    await opened.value.store.writeMany(prepared.value);
    await ensureBucketIndexes(db, { minRows: 20 });
    const embedded = await hashingEmbedder().embed(['python flask api']);
    if (!embedded.ok) throw new Error(embedded.error);
    const scope = { embedder: hashingEmbedder().id, tenant, filters: { framework: 'flask', nonNegativeFeedback: false } };
    const stats = new BucketStats(db);
    const found = await Promise.all((['exact', 'index'] as const).map((mode) => searchRows(db, embedded.value[0] ?? [], scope, { mode, limit: 20, stats })));
    expect(found.map((f) => ({ plans: f.plans.map((p) => p.plan), rows: f.rows.length, tenants: [...new Set(f.rows.map((r) => r.namespace))] }))).toEqual([
      { plans: ['exact', 'exact'], rows: 20, tenants: [tenant] },
      { plans: ['ivf', 'exact'], rows: 20, tenants: [tenant] },
    ]);
  });
});
