import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBench, type BenchReport } from '@scia/rag';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../../../test/support/postgres.js';

if (postgresSkipReason !== undefined) process.stderr.write(`recall.test.ts: skipped: ${postgresSkipReason}\n`);

/**
 * The planned search's recall on clustered data (the bench's generator: 64
 * clusters, queries between two of them), on PostgreSQL with pgvector: 26,000
 * rows of 2 tenants and 4 frameworks give each tenant a 13,000-row bucket
 * (114 lists) and each of its frameworks a sub-bucket of about 3,250 rows (57 lists).
 * Recall@5 is against the exact answer under the same filter.
 */
describe.skipIf(postgresSkipReason !== undefined)('planned search recall on PostgreSQL', () => {
  let server: TestPostgres;
  let report: BenchReport;
  beforeAll(async () => {
    server = await startPostgres();
    report = await runBench({ kind: 'postgres', url: await server.createDatabase() }, { rows: 26_000, tenants: 2, frameworks: 4, queries: 60, baselineQueries: 2 });
  }, 300_000);
  afterAll(() => server.stop());

  const planned = (filter: string): { plan: string; recall: number; previous: number } => {
    const f = report.filters.find((x) => x.filter === filter);
    const auto = f?.results.find((r) => r.setting === 'planned from statistics (auto)');
    const previous = f?.results.find((r) => r.setting.startsWith('auto, √lists probes'));
    return { plan: auto?.plan.split(';')[0] ?? '', recall: auto?.recallAt5 ?? 0, previous: previous?.recallAt5 ?? 0 };
  };

  const cases: Record<string, { reason: string; filter: string; plan: RegExp }> = {
    broad: {
      reason: 'a language filter keeps the whole tenant bucket: ⌈√114 / 2⌉ = 6 of its lists; the 2,600 shared rows are read exactly',
      filter: 'broad', plan: /^own ivf tenant-\d 6\/114 lists \(\d+ read, \d+ match\) \+ shared exact/,
    },
    selective: {
      reason: 'a framework filter searches the framework\'s sub-bucket: ⌈√57 / 2⌉ = 4 of its lists',
      filter: 'selective', plan: /^own ivf tenant-\d\/fw-\d 4\/5\d lists \(\d+ read, \d+ match\) \+ shared exact/,
    },
  };
  it.each(Object.entries(cases))('%s: the planned lists find the exact answer\'s nearest 5 (recall@5 >= 0.95)', (_, { reason, filter, plan }) => {
    const got = planned(filter);
    expect(got.plan, reason).toMatch(plan);
    expect(got.recall, `${reason}: recall@5 ${got.recall} (√lists probes: ${got.previous})`).toBeGreaterThanOrEqual(0.95);
  });
});
