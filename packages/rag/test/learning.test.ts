import { describe, expect, it } from 'vitest';
import { hashingEmbedder, jaccard, openStore, rerank, DEFAULT_WEIGHTS, type Database, type Store } from '@scia/rag';
import { backends, onBackend } from './backends.js';
import { NOW, fixedClock, flaskQuery, record } from '../../../test/support/rag-fixtures.js';

async function storeOn(db: Database): Promise<Store> {
  const opened = await openStore({ db, embedder: hashingEmbedder(), clock: fixedClock });
  if (!opened.ok) throw new Error(opened.error);
  return opened.value.store;
}

const PROMPT = 'Checkout API for ACME secret project, no cold starts';
const URL = 'https://git.example.com/acme/secret-checkout';

describe.each(backends())('learning memory on $name', (backend) => {
  const test = onBackend(backend);

  test('shares a case anonymised: never its repository URL, prompt, name or comment', async () => {
    const db = await backend.fresh();
    const store = await storeOn(db);
    await store.record(record({
      xrUid: 's1', name: 'secret-checkout', namespace: 'team-c', shared: true, outcome: 'failed', causes: ['cold-start'],
      app: { language: 'python', framework: 'flask', prompt: PROMPT }, feedback: -1, feedbackComment: 'cold starts hurt ACME checkout',
      failureReason: 'Ready False on secret-checkout-x', metadata: { url: URL, commit: 'c0ffee' },
    }));
    const found = await store.search(flaskQuery({ tenant: 'team-a', app: { language: 'python', framework: 'flask', prompt: 'checkout, no cold starts' } }));
    const { rows } = await db.pool.query<{ metadata: unknown; summary: string; intent: string[] }>('SELECT metadata, summary, intent FROM deployments');
    const everything = JSON.stringify({ cases: found.ok ? found.value.cases : found.error, rows });
    expect({
      leaks: [URL, PROMPT, 'secret-checkout', 'ACME', 'c0ffee'].filter((s) => everything.includes(s)),
      seen: found.ok && found.value.cases.map((c) => ({ id: /^shared\/[0-9a-f]{8}@hash-1$/.test(c.id), name: c.name, causes: c.causes, intent: c.intent, shared: c.shared })),
    }).toEqual({
      leaks: [],
      seen: [{ id: true, name: 'shared case', causes: ['cold-start'], intent: ['low-latency'], shared: true }],
    });
  });

  test('scores the app\'s traits and the intent apart: the same words never make another app alike', async () => {
    const db = await backend.fresh();
    const store = await storeOn(db);
    const words = 'Public API, high availability';
    await store.record(record({ xrUid: 'same-app', name: 'same-app', app: { language: 'python', framework: 'flask', dependencies: ['flask', 'pandas'], prompt: 'nightly batch reports' } }));
    await store.record(record({ xrUid: 'same-words', name: 'same-words', app: { language: 'python', framework: 'flask', dependencies: ['flask', 'celery', 'redis', 'boto3'], prompt: words } }));
    const found = await store.search({ app: { language: 'python', framework: 'flask', dependencies: ['flask', 'pandas'], prompt: words }, tenant: 'team-a', k: 5 });
    const parts = found.ok ? Object.fromEntries(found.value.cases.map((c) => [c.name, { traits: c.scoreParts.similarity, intent: c.scoreParts.intent }])) : {};
    expect({
      traits: (parts['same-app']?.traits ?? 0) > (parts['same-words']?.traits ?? 1),
      sameAppTraits: parts['same-app']?.traits,
      intents: [parts['same-app']?.intent, parts['same-words']?.intent],
    }).toEqual({ traits: true, sameAppTraits: 1, intents: [0, 1] });
  });
});

describe('rerank', () => {
  const base = { distance: 0.02, intent: [] as string[], costMonthly: 10, recordedAt: NOW };
  it('keeps a third of the places for the most alike negative examples', () => {
    const positives = Array.from({ length: 8 }, (_, i) => ({ ...base, id: `p${i}`, distance: 0.05, outcome: 'success', feedback: 1 }));
    const negatives = [{ ...base, id: 'n-far', distance: 0.5, outcome: 'failed', feedback: -1 }, { ...base, id: 'n-near', distance: 0, outcome: 'success', feedback: -1 }];
    const ranked = rerank([...positives, ...negatives], { weights: DEFAULT_WEIGHTS, now: NOW, k: 6 });
    expect(ranked.map((r) => r.candidate.id).sort()).toEqual(['n-far', 'n-near', 'p0', 'p1', 'p2', 'p3']);
  });

  it('gives the negative places to the most alike negatives, even when less alike ones score higher', () => {
    const positives = Array.from({ length: 8 }, (_, i) => ({ ...base, id: `p${i}`, distance: 0.4, outcome: 'success', feedback: 0 }));
    // Two negatives of other apps that match the intent outscore everything; the app's own failure, a year old, scores last.
    const others = [0, 1].map((i) => ({ ...base, id: `n-other${i}`, distance: 0.3, intent: ['cheapest'], outcome: 'failed', feedback: 0 }));
    const own = { ...base, id: 'n-own', distance: 0, intent: ['low-latency'], outcome: 'failed', feedback: -1, recordedAt: new Date(NOW.getTime() - 365 * 86_400_000) };
    const ranked = rerank([...positives, ...others, own], { weights: DEFAULT_WEIGHTS, now: NOW, intent: ['cheapest'], k: 6 });
    expect(ranked.map((r) => r.candidate.id)).toEqual(['n-other0', 'n-other1', 'p0', 'p1', 'p2', 'n-own']);
  });

  it('keeps one place per lesson: copies of one failure never crowd out another', () => {
    const positives = Array.from({ length: 8 }, (_, i) => ({ ...base, id: `p${i}`, distance: 0.05, outcome: 'success', feedback: 1 }));
    const expensive = [0, 1].map((i) => ({ ...base, id: `n-cost${i}`, distance: 0, outcome: 'success', feedback: -1, strategy: 'vm', causes: ['too-expensive'] }));
    const gpu = { ...base, id: 'n-gpu', distance: 0, outcome: 'failed', feedback: 0, strategy: 'vm', causes: ['needs-gpu'] };
    const ranked = rerank([...positives, ...expensive, gpu], { weights: DEFAULT_WEIGHTS, now: NOW, k: 6 });
    expect(ranked.map((r) => r.candidate.id).sort()).toEqual(['n-cost0', 'n-gpu', 'p0', 'p1', 'p2', 'p3']);
  });

  it('compares intents by the Jaccard index', () => {
    expect([jaccard([], []), jaccard(['a'], []), jaccard(['a', 'b'], ['b', 'c'])]).toEqual([1, 0, 1 / 3]);
  });
});
