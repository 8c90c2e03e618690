import { describe, expect, it } from 'vitest';
import {
  BucketStats, bucketIndexName, bucketKey, bucketsToIndex, ensureBucketIndexes, hashingEmbedder, listsFor, migrate, MIGRATIONS, openStore, planSearch, probesFor, searchRows,
  type Bucket, type BucketSnapshot, type CaseFilters, type DeploymentRecordInput, type Group, type PlanMode,
} from '@scia/rag';
import { backends, onBackend } from './backends.js';
import { fixedClock, record } from '../../../test/support/rag-fixtures.js';

function snapshot(own: Group[], shared: Group[], indexed: string[], sharedLists: number | undefined, sub: [string, number][] = []): BucketSnapshot {
  const rows = (gs: Group[]): number => gs.reduce((n, g) => n + g.rows, 0);
  const byFramework = (prefix: string, gs: Group[]): [string, number][] => gs.map((g) => [`${prefix}/${g.framework}`, g.rows]);
  return {
    at: 0, own: new Map([['e\u0000team-a', own]]), shared: new Map([['e', shared]]),
    indexed: new Map([...indexed.map((ns): [string, number] => [ns, listsFor(rows(own))]), ...(sharedLists === undefined ? [] : [['shared', sharedLists] as [string, number]]), ...sub]),
    bucketRows: new Map([['team-a', rows(own)], ['shared', rows(shared)], ...byFramework('team-a', own), ...byFramework('shared', shared)]),
  };
}

const big: Group[] = [{ framework: 'flask', language: 'python', rows: 5000 }, { framework: 'django', language: 'python', rows: 95_000 }];
const small: Group[] = [{ framework: 'flask', language: 'python', rows: 300 }, { framework: 'django', language: 'python', rows: 700 }];

describe('planSearch', () => {
  const cases: Record<string, { reason: string; s: BucketSnapshot; filters: CaseFilters; mode: PlanMode; want: unknown }> = {
    'small buckets': {
      reason: 'buckets below the line for an index are read exactly',
      s: snapshot(small, small, [], undefined), filters: { framework: 'flask', nonNegativeFeedback: false }, mode: 'auto',
      want: [{ part: 'own', plan: 'exact', scanned: 300, matched: 300 }, { part: 'shared', plan: 'exact', scanned: 300, matched: 300 }],
    },
    'broad, large and indexed': {
      reason: 'a language filter keeping all of 100k rows probes √316 / 2 = 9 of each bucket\'s 316 lists: 2,848 rows read instead of 100k',
      s: snapshot(big, big, ['team-a'], 316), filters: { language: 'python', nonNegativeFeedback: false }, mode: 'auto',
      want: [
        { part: 'own', plan: 'ivf', index: 'team-a', lists: 316, probes: 9, scanned: 2848, matched: 100_000 },
        { part: 'shared', plan: 'ivf', index: 'shared', lists: 316, probes: 9, scanned: 2848, matched: 100_000 },
      ],
    },
    'selective in a large bucket': {
      reason: 'a filter keeping 5% of a bucket probes as many lists as one keeping all: 9 lists, 2,848 rows, and 380 rejected cost 2.5 ms, the 5,000 in range 4 ms',
      s: snapshot(big, big, ['team-a'], 316), filters: { framework: 'flask', nonNegativeFeedback: false }, mode: 'auto',
      want: [
        { part: 'own', plan: 'ivf', index: 'team-a', lists: 316, probes: 9, scanned: 2848, matched: 5000 },
        { part: 'shared', plan: 'ivf', index: 'shared', lists: 316, probes: 9, scanned: 2848, matched: 5000 },
      ],
    },
    'selective, a small range': {
      reason: 'a range as small as the lists would read (2,000 of a framework, 2,848 from 9 lists) is read exactly',
      s: snapshot([{ framework: 'flask', language: 'python', rows: 2000 }, { framework: 'django', language: 'python', rows: 98_000 }], big, ['team-a'], undefined),
      filters: { framework: 'flask', nonNegativeFeedback: false }, mode: 'auto',
      want: [{ part: 'own', plan: 'exact', scanned: 2000, matched: 2000 }, { part: 'shared', plan: 'exact', scanned: 5000, matched: 5000 }],
    },
    'selective, 5% of a 10k bucket': {
      reason: '500 rows in range, 0.40 ms read exactly; 5 of 100 lists cost 0.36 ms, plus 380 rows the filter rejects fetched from the table, 0.57 ms',
      s: snapshot([{ framework: 'flask', language: 'python', rows: 500 }, { framework: 'django', language: 'python', rows: 9500 }], [], ['team-a'], undefined),
      filters: { framework: 'flask', nonNegativeFeedback: false }, mode: 'auto',
      want: [{ part: 'own', plan: 'exact', scanned: 500, matched: 500 }, { part: 'shared', plan: 'exact', scanned: 0, matched: 0 }],
    },
    'selective with framework sub-buckets': {
      reason: 'a framework with its own index in each bucket: 5 of its 71 lists, 352 rows, instead of a 5,000-row range',
      s: snapshot(big, big, ['team-a'], 316, [['team-a/flask', 71], ['shared/flask', 71]]), filters: { framework: 'flask', nonNegativeFeedback: false }, mode: 'auto',
      want: [
        { part: 'own', plan: 'ivf', index: 'team-a/flask', framework: 'flask', lists: 71, probes: 5, scanned: 352, matched: 5000 },
        { part: 'shared', plan: 'ivf', index: 'shared/flask', framework: 'flask', lists: 71, probes: 5, scanned: 352, matched: 5000 },
      ],
    },
    'no tenant index': {
      reason: 'a tenant without its own index is searched exactly, the shared bucket still through its lists',
      s: snapshot(big, big, [], 316), filters: { language: 'python', nonNegativeFeedback: false }, mode: 'auto',
      want: [{ part: 'own', plan: 'exact', scanned: 100_000, matched: 100_000 }, { part: 'shared', plan: 'ivf', index: 'shared', lists: 316, probes: 9, scanned: 2848, matched: 100_000 }],
    },
    'forced index, narrow filter': {
      reason: 'index mode probes every indexed bucket, enough lists for 20 rows that pass: 300/1000 of 32 rows a list need 3 lists, as many as √32 / 2',
      s: snapshot(small, small, ['team-a'], 32), filters: { framework: 'flask', nonNegativeFeedback: false }, mode: 'index',
      want: [
        { part: 'own', plan: 'ivf', index: 'team-a', lists: 32, probes: 3, scanned: 94, matched: 300 },
        { part: 'shared', plan: 'ivf', index: 'shared', lists: 32, probes: 3, scanned: 94, matched: 300 },
      ],
    },
    'forced exact': {
      reason: 'exact mode reads every range, however large',
      s: snapshot(big, big, ['team-a'], 316), filters: { language: 'python', nonNegativeFeedback: false }, mode: 'exact',
      want: [{ part: 'own', plan: 'exact', scanned: 100_000, matched: 100_000 }, { part: 'shared', plan: 'exact', scanned: 100_000, matched: 100_000 }],
    },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, s, filters, mode, want }) => {
    expect(planSearch(s, { embedder: 'e', tenant: 'team-a', filters }, mode), reason).toEqual(want);
  });
});

describe('probesFor', () => {
  const cases: Record<string, { reason: string; lists: number; rows: number; kept: number; want: number }> = {
    'every row kept': { reason: '√lists / 2 when the filter keeps most rows and the lists hold plenty of them', lists: 316, rows: 100_000, kept: 100_000, want: 9 },
    'a 5% filter': { reason: 'a filter thins every list alike: still √lists / 2, whose lists hold 9 x 15 rows that pass', lists: 316, rows: 100_000, kept: 5000, want: 9 },
    'a 1% filter': { reason: 'enough lists for 20 rows that pass: 20 / (1% of 316 a list) = 7, fewer than √316 / 2', lists: 316, rows: 100_000, kept: 1000, want: 9 },
    'a 0.5% filter': { reason: '20 / (0.5% of 316 a list) = 13 lists, more than √316 / 2', lists: 316, rows: 100_000, kept: 500, want: 13 },
    'a 0.1% filter': { reason: '20 / (0.1% of 316) = 64 lists', lists: 316, rows: 100_000, kept: 100, want: 64 },
    'nothing kept': { reason: 'every list, the most there is (the plan reads the empty range exactly instead)', lists: 316, rows: 100_000, kept: 0, want: 316 },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, lists, rows, kept, want }) => {
    expect(probesFor(lists, rows, kept, 20), reason).toBe(want);
  });
});

describe('bucketsToIndex', () => {
  const cases: Record<string, { reason: string; counts: [string, number][]; have: [string, number][]; want: string[] }> = {
    'below the line': { reason: 'buckets under 3,000 rows are searched exactly, with no index', counts: [['a', 2999], ['shared', 100]], have: [], want: [] },
    'crossed': { reason: 'a tenant at 3,000 rows gets √3000 = 55 lists; the shared bucket and a framework sub-bucket too', counts: [['a', 3000], ['a/flask', 3000], ['b', 10], ['shared', 4000]], have: [], want: ['a 55 new', 'a/flask 55 new', 'shared 63 new'] },
    'indexed and fitting': { reason: 'an index whose lists fit its rows stays', counts: [['a', 11_000]], have: [['a', 55]], want: [] },
    'outgrown': { reason: 'a bucket four times the rows its lists were made for is rebuilt', counts: [['a', 12_100]], have: [['a', 55]], want: ['a 110 rebuilt'] },
    'no tenant': { reason: 'rows of no namespace (the example knowledge) are no tenant\'s bucket', counts: [['', 5000], ['/flask', 5000]], have: [], want: [] },
  };
  const bucketOf = (key: string): Bucket => {
    const [base = '', framework] = key.split('/');
    const fw = framework === undefined ? {} : { framework };
    return base === 'shared' ? { kind: 'shared', ...fw } : { kind: 'tenant', namespace: base, ...fw };
  };
  it.each(Object.entries(cases))('%s', (_, { reason, counts, have, want }) => {
    const todo = bucketsToIndex(counts.map(([key, rows]) => ({ bucket: bucketOf(key), rows })), new Map(have.map(([key, lists]) => [key, { name: `i-${key}`, lists }])));
    expect(todo.map((t) => `${bucketKey(t.bucket)} ${t.lists} ${t.replaces === undefined ? 'new' : 'rebuilt'}`), reason).toEqual(want);
  });
});

describe.each(backends())('planned search on $name', (backend) => {
  const test = onBackend(backend);

  test('searches a tenant bucket through its lists once it has its own index, finding what the exact plan finds', async () => {
    const db = await backend.fresh();
    const opened = await openStore({ db, embedder: hashingEmbedder(), clock: fixedClock });
    if (!opened.ok) throw new Error(opened.error);
    const store = opened.value.store;
    const frameworks = ['flask', 'django', 'fastapi', 'bottle'];
    const inputs: DeploymentRecordInput[] = Array.from({ length: 120 }, (_, i) => record({
      xrUid: `u-${i}`, name: `app-${i}`, namespace: i % 3 === 0 ? 'team-b' : 'team-a', shared: i % 5 === 0,
      app: { language: 'python', framework: frameworks[i % 4] ?? 'flask', prompt: `api number ${i} with ${frameworks[(i * 7) % 4] ?? ''}` },
    }));
    const prepared = await store.prepare(inputs);
    if (!prepared.ok) throw new Error(prepared.error);
    await store.writeMany(prepared.value);
    const indexed = await ensureBucketIndexes(db, { minRows: 20 });
    const stats = new BucketStats(db);
    const scope = { embedder: hashingEmbedder().id, tenant: 'team-a', filters: { language: 'python', nonNegativeFeedback: false } };
    const vector = (await hashingEmbedder().embed(['python flask api']));
    if (!vector.ok) throw new Error(vector.error);
    const v = vector.value[0] ?? [];
    const [walked, exact] = [await searchRows(db, v, scope, { mode: 'index', limit: 20, stats, probes: 100 }), await searchRows(db, v, scope, { mode: 'exact', limit: 20, stats })];
    expect({
      indexed,
      plans: walked.plans.map((p) => `${p.part} ${p.plan}`),
      top5: walked.rows.slice(0, 5).map((r) => r.name),
    }).toEqual({
      // team-a's 80 rows hold 20 of each framework: a sub-bucket each; team-b's 40 and the 24 shared rows are buckets only.
      indexed: ['shared', 'team-a', 'team-a/bottle', 'team-a/django', 'team-a/fastapi', 'team-a/flask', 'team-b'],
      plans: ['own ivf', 'shared ivf'], top5: exact.rows.slice(0, 5).map((r) => r.name),
    });
  });

  test('builds the index of a tenant that records take over the line, in the background, after the write', async () => {
    const db = await backend.fresh();
    const warnings: string[] = [];
    const opened = await openStore({ db, embedder: hashingEmbedder(), clock: fixedClock, bucketMinRows: 25, warn: (m) => warnings.push(m) });
    if (!opened.ok) throw new Error(opened.error);
    const store = opened.value.store;
    const grow = async (from: number, to: number): Promise<boolean[]> => {
      const written: boolean[] = [];
      for (let i = from; i < to; i++) {
        const r = await store.record(record({ xrUid: `c-${i}`, name: `app-${i}`, namespace: 'team-c', app: { language: 'python', framework: 'flask', prompt: `api ${i}` } }));
        written.push(r.ok && r.value.written);
      }
      return written;
    };
    const indexes = async (): Promise<string[]> => {
      await store.indexed();
      return (await db.pool.query<{ n: string }>("SELECT indexname AS n FROM pg_indexes WHERE tablename = 'deployment_vectors' AND indexname LIKE 'deployment\\_vectors\\_t\\_%'")).rows.map((r) => r.n);
    };
    const before = { written: await grow(0, 24), indexes: await indexes() };
    const after = { written: await grow(24, 26), indexes: await indexes() };
    const v = await hashingEmbedder().embed(['python flask api 3']);
    if (!v.ok) throw new Error(v.error);
    const scope = { embedder: hashingEmbedder().id, tenant: 'team-c', filters: { language: 'python', nonNegativeFeedback: false } };
    const found = await searchRows(db, v.value[0] ?? [], scope, { mode: 'auto', limit: 20, stats: new BucketStats(db), probes: 100 });
    expect({ before, after, plan: found.plans[0]?.plan, warnings }).toEqual({
      before: { written: Array(24).fill(true), indexes: [] },
      after: { written: [true, true], indexes: [bucketIndexName('team-c')] },
      plan: 'ivf',
      warnings: [],
    });
  });

  test('reports a bucket index it cannot build, and the records that crossed the line are written', async () => {
    const db = await backend.fresh();
    const warnings: string[] = [];
    const opened = await openStore({ db, embedder: hashingEmbedder(), clock: fixedClock, bucketMinRows: 3, warn: (m) => warnings.push(m) });
    if (!opened.ok) throw new Error(opened.error);
    const store = opened.value.store;
    // A table holding the index's name: the build cannot create it.
    await db.pool.query(`CREATE TABLE ${bucketIndexName('team-d')} (x int)`);
    const written: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await store.record(record({ xrUid: `d-${i}`, name: `app-${i}`, namespace: 'team-d' }));
      written.push(r.ok && r.value.written);
    }
    await store.indexed();
    const rows = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM deployments WHERE namespace = 'team-d'");
    expect({ written, rows: Number(rows.rows[0]?.n), warnings }).toEqual({
      written: [true, true, true, true], rows: 4,
      warnings: [expect.stringMatching(new RegExp(`^cannot build a bucket index of the deployments store at .*: .*"${bucketIndexName('team-d')}"`))],
    });
  });

  test('moves a store of schema version 3 off its HNSW indexes, keeping its B-trees', async () => {
    const db = await backend.fresh();
    await migrate(db, MIGRATIONS.filter((m) => m.version <= 3));
    await db.pool.query(`CREATE INDEX ${bucketIndexName('team-a')} ON deployment_vectors USING hnsw (embedding halfvec_cosine_ops) WHERE namespace = 'team-a'`);
    const names = async (): Promise<string[]> => (await db.pool.query<{ n: string }>(
      "SELECT indexname AS n FROM pg_indexes WHERE tablename = 'deployment_vectors' AND indexname <> 'deployment_vectors_pkey' ORDER BY 1")).rows.map((r) => r.n);
    const before = await names();
    const applied = await migrate(db);
    expect({ before, applied, after: await names() }).toEqual({
      before: ['deployment_vectors_own', 'deployment_vectors_shared', 'deployment_vectors_shared_hnsw', bucketIndexName('team-a')].sort(),
      applied: [4],
      after: ['deployment_vectors_own', 'deployment_vectors_shared'],
    });
  });

  test('rebuilds a bucket index under its name once the bucket has outgrown its lists', async () => {
    const db = await backend.fresh();
    const opened = await openStore({ db, embedder: hashingEmbedder(), clock: fixedClock, bucketMinRows: 1_000_000 });
    if (!opened.ok) throw new Error(opened.error);
    const store = opened.value.store;
    const write = async (from: number, to: number): Promise<void> => {
      const prepared = await store.prepare(Array.from({ length: to - from }, (_, i) => record({ xrUid: `g-${from + i}`, name: `app-${from + i}`, app: { language: 'python', framework: 'flask', prompt: `api ${from + i}` } })));
      if (!prepared.ok) throw new Error(prepared.error);
      await store.writeMany(prepared.value);
    };
    const indexLists = async (): Promise<string[]> => (await db.pool.query<{ d: string }>(
      "SELECT indexname || ' ' || substring(indexdef from 'lists=''?(\\d+)') AS d FROM pg_indexes WHERE tablename = 'deployment_vectors' AND indexdef LIKE '%ivfflat%' ORDER BY 1")).rows.map((r) => r.d);
    await write(0, 25);
    const first = { built: await ensureBucketIndexes(db, { minRows: 20 }), lists: await indexLists() };
    await write(25, 60);
    const fits = { built: await ensureBucketIndexes(db, { minRows: 20 }), lists: await indexLists() };
    await write(60, 100);
    const outgrown = { built: await ensureBucketIndexes(db, { minRows: 20 }), lists: await indexLists() };
    // Every row is a flask app: the framework's sub-bucket holds the same rows as the tenant's bucket.
    const lists = (n: number): string[] => [`${bucketIndexName('team-a')} ${n}`, `${bucketIndexName({ kind: 'tenant', namespace: 'team-a', framework: 'flask' })} ${n}`].sort();
    expect({ first, fits, outgrown }).toEqual({
      first: { built: ['team-a', 'team-a/flask'], lists: lists(5) },
      fits: { built: [], lists: lists(5) },
      outgrown: { built: ['team-a', 'team-a/flask'], lists: lists(10) },
    });
  });
});
