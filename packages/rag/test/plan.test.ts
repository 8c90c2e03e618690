import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BucketStats, ensureBucketIndexes, hashingEmbedder, openStore, planSearch, searchRows,
  type BucketSnapshot, type CaseFilters, type DeploymentRecordInput, type Group, type PlanMode,
} from '@scia/rag';
import { backends } from './backends.js';
import { fixedClock, record } from '../../../test/support/rag-fixtures.js';

function snapshot(own: Group[], shared: Group[], indexed: string[]): BucketSnapshot {
  return { at: 0, own: new Map([['e\u0000team-a', own]]), shared: new Map([['e', shared]]), indexed: new Set(indexed) };
}

const big: Group[] = [{ framework: 'flask', language: 'python', rows: 5000 }, { framework: 'django', language: 'python', rows: 95_000 }];
const small: Group[] = [{ framework: 'flask', language: 'python', rows: 300 }, { framework: 'django', language: 'python', rows: 700 }];

describe('planSearch', () => {
  const cases: Record<string, { reason: string; s: BucketSnapshot; filters: CaseFilters; mode: PlanMode; want: unknown }> = {
    'selective, small': {
      reason: 'a framework range of a few hundred rows is cheaper read exactly than walked',
      s: snapshot(small, small, ['team-a']), filters: { framework: 'flask', nonNegativeFeedback: false }, mode: 'auto',
      want: [{ part: 'own', plan: 'exact', scanned: 300, matched: 300 }, { part: 'shared', plan: 'exact', scanned: 300, matched: 300 }],
    },
    'broad, large and indexed': {
      reason: 'a language filter over 100k rows walks each bucket: every row passes, so ef_search is the base widened for a 100k graph (200 × √10)',
      s: snapshot(big, big, ['team-a']), filters: { language: 'python', nonNegativeFeedback: false }, mode: 'auto',
      want: [{ part: 'own', plan: 'hnsw', efSearch: 633, scanned: 100_000, matched: 100_000 }, { part: 'shared', plan: 'hnsw', efSearch: 633, scanned: 100_000, matched: 100_000 }],
    },
    'selective in a large bucket': {
      reason: '5,000 rows in range cost 4 ms exactly, less than a walk at ef_search 1000 (20x the base for a 5% filter, capped)',
      s: snapshot(big, big, ['team-a']), filters: { framework: 'flask', nonNegativeFeedback: false }, mode: 'auto',
      want: [{ part: 'own', plan: 'exact', scanned: 5000, matched: 5000 }, { part: 'shared', plan: 'exact', scanned: 5000, matched: 5000 }],
    },
    'no tenant index': {
      reason: "a tenant without its own HNSW index is searched exactly, the shared bucket still walked",
      s: snapshot(big, big, []), filters: { language: 'python', nonNegativeFeedback: false }, mode: 'auto',
      want: [{ part: 'own', plan: 'exact', scanned: 100_000, matched: 100_000 }, { part: 'shared', plan: 'hnsw', efSearch: 633, scanned: 100_000, matched: 100_000 }],
    },
    'forced hnsw': {
      reason: 'hnsw mode walks every indexed bucket, scaling ef_search to the filter',
      s: snapshot(small, small, ['team-a']), filters: { framework: 'flask', nonNegativeFeedback: false }, mode: 'hnsw',
      want: [{ part: 'own', plan: 'hnsw', efSearch: 667, scanned: 300, matched: 300 }, { part: 'shared', plan: 'hnsw', efSearch: 667, scanned: 300, matched: 300 }],
    },
    'forced exact': {
      reason: 'exact mode reads every range, however large',
      s: snapshot(big, big, ['team-a']), filters: { language: 'python', nonNegativeFeedback: false }, mode: 'exact',
      want: [{ part: 'own', plan: 'exact', scanned: 100_000, matched: 100_000 }, { part: 'shared', plan: 'exact', scanned: 100_000, matched: 100_000 }],
    },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, s, filters, mode, want }) => {
    expect(planSearch(s, { embedder: 'e', tenant: 'team-a', filters }, mode), reason).toEqual(want);
  });
});

describe.each(backends())('planned search on $name', (backend) => {
  beforeAll(() => (backend.skip === undefined ? backend.setup() : undefined));
  afterAll(() => backend.teardown());
  const test = backend.skip === undefined ? it : it.skip;
  if (backend.skip !== undefined) it.skip(`skipped: ${backend.skip}`, () => undefined);

  test('walks a tenant bucket once it has its own index, finding what the exact plan finds', async () => {
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
    const indexed = await ensureBucketIndexes(db, { minRows: 30 });
    const stats = new BucketStats(db);
    const scope = { embedder: hashingEmbedder().id, tenant: 'team-a', filters: { language: 'python', nonNegativeFeedback: false } };
    const vector = (await hashingEmbedder().embed(['python flask api']));
    if (!vector.ok) throw new Error(vector.error);
    const v = vector.value[0] ?? [];
    const [walked, exact] = [await searchRows(db, v, scope, { mode: 'hnsw', limit: 20, stats }), await searchRows(db, v, scope, { mode: 'exact', limit: 20, stats })];
    expect({
      indexed,
      plans: walked.plans.map((p) => `${p.part} ${p.plan}`),
      top5: walked.rows.slice(0, 5).map((r) => r.name),
    }).toEqual({ indexed: ['team-a', 'team-b'], plans: ['own hnsw', 'shared hnsw'], top5: exact.rows.slice(0, 5).map((r) => r.name) });
  });
});
