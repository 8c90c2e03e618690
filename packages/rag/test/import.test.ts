import { ok } from '@scia/api';
import { describe, expect, it } from 'vitest';
import { fromV1, hashingEmbedder, importV1, loadSeed, openStore, type Store } from '@scia/rag';
import { backends, onBackend } from './backends.js';
import { fixedClock } from '../../../test/support/rag-fixtures.js';
import { matching } from '../../../test/support/matchers.js';

const row = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 7,
  name: 'orders',
  analysis: JSON.stringify({ language: 'Python', framework: { name: 'Flask' }, services: ['postgresql'], dependencies: [{ name: 'flask' }] }),
  config: JSON.stringify({ strategy: 'ec2', instance_type: 't3.small', region: 'eu-west-3', prompt: 'orders API' }),
  outputs: JSON.stringify({ estimated_monthly_cost: '31.5', feedback: 1, feedback_comment: 'good' }),
  status: 'deployed',
  commit: 'abc123',
  created_at: '2025-11-02 10:00:00',
  ...over,
});

describe('fromV1', () => {
  const cases = {
    'sqlite row': {
      reason: 'JSON text columns, snake_case sizing, v1 strategy and status names',
      raw: row(),
      want: ok({
        xrUid: 'scia-v1:7', decisionHash: 'abc123', name: 'orders', namespace: 'team-a', shared: false,
        app: { language: 'python', framework: 'flask', services: ['postgresql'], dependencies: ['flask'], prompt: 'orders API', region: 'eu-west-3' },
        strategy: 'vm', config: { instanceType: 't3.small' }, outcome: 'success', costMonthly: 31.5, feedback: 1, feedbackComment: 'good',
        metadata: { source: 'scia-v1', v1Id: 7, commit: 'abc123' }, recordedAt: '2025-11-02T10:00:00.000Z',
      }),
    },
    'failure': {
      reason: 'a failed row keeps its error as the failure reason',
      raw: row({ status: 'error', outputs: { error: 'health check failed' }, commit: undefined, created_at: undefined, name: undefined }),
      want: ok({
        xrUid: 'scia-v1:7', decisionHash: 'scia-v1', name: 'scia-v1-7', namespace: 'team-a', shared: false,
        app: { language: 'python', framework: 'flask', services: ['postgresql'], dependencies: ['flask'], prompt: 'orders API', region: 'eu-west-3' },
        strategy: 'vm', config: { instanceType: 't3.small' }, outcome: 'failed', failureReason: 'health check failed',
        metadata: { source: 'scia-v1', v1Id: 7 },
      }),
    },
    'pending': { reason: 'an unfinished deployment is skipped', raw: row({ status: 'deploying' }), want: { ok: false, error: 'status: "deploying" is not a finished deployment' } },
    'bad json': { reason: 'a column that is not JSON is named', raw: row({ analysis: '{not json' }), want: { ok: false, error: 'analysis: is not a JSON object' } },
    'no framework': { reason: 'a missing field is named', raw: row({ analysis: { language: 'go' } }), want: { ok: false, error: matching(/^analysis\.framework: /) } },
    'bad strategy': { reason: 'an unknown strategy is named', raw: row({ config: { strategy: 'mainframe' } }), want: { ok: false, error: 'config.strategy: "mainframe" is not vm, kubernetes or serverless' } },
    'bad sizing': { reason: 'sizing out of range is named', raw: row({ config: { strategy: 'lambda', memory_mb: 99999 } }), want: { ok: false, error: matching(/^config\.memoryMb: /) } },
    'not an object': { reason: 'a row that is not an object', raw: 'DROP TABLE', want: { ok: false, error: matching(/^\(root\): /) } },
  };
  it.each(Object.entries(cases))('%s', (_, { raw, want }) => {
    expect(fromV1(raw, { namespace: 'team-a', shared: false })).toEqual(want);
  });
});

describe.each(backends())('import on $name', (backend) => {
  const test = onBackend(backend);

  async function store(): Promise<Store> {
    const opened = await openStore({ db: await backend.fresh(), embedder: hashingEmbedder(), clock: fixedClock });
    if (!opened.ok) throw new Error(opened.error);
    return opened.value.store;
  }

  test('loads the example knowledge once: a second load changes nothing', async () => {
    const s = await store();
    const first = await loadSeed(s);
    const second = await loadSeed(s);
    const { rows } = await s.db.pool.query<{ n: string; shared: string }>('SELECT count(*) AS n, count(*) FILTER (WHERE shared) AS shared FROM deployments');
    expect({ first, second, rows }).toEqual({
      first: ok({ rows: 39, written: 39, unchanged: 0, skipped: [] }),
      second: ok({ rows: 39, written: 0, unchanged: 39, skipped: [] }),
      rows: [{ n: '39', shared: '39' }],
    });
  });

  test('skips malformed rows, naming them, and loads the rest', async () => {
    const s = await store();
    const done = await importV1(s, { deployments: [row(), row({ id: 8, status: 'pending' }), 42, row({ id: 9, analysis: '[]' }), row()] }, { namespace: 'team-a' });
    expect(done).toEqual(ok({
      rows: 5,
      written: 1,
      unchanged: 0,
      skipped: [
        'row 1 (id 8): status: "pending" is not a finished deployment',
        'row 2: (root): Invalid input: expected object, received number',
        'row 3 (id 9): analysis: is not a JSON object',
        'row 4 (id 7): repeats an earlier row\'s id and commit',
      ],
    }));
    expect(await importV1(s, 'nope')).toEqual({ ok: false, error: 'cannot import: want a JSON array of deployment rows or {"deployments": [...]}' });
  });
});
