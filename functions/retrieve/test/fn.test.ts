import { Severity } from '@crossplane-org/function-sdk-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextKey, DeploymentSpec, Similar } from '@scia/api';
import { runFunction, type Retriever } from '@scia/function-retrieve';
import { MODEL_NONE, decisionInputHash } from '@scia/decider';
import { hashingEmbedder, lazyStore, openDatabase, openStore, storeFromEnv, type Database, type Embedder, type Store } from '@scia/rag';
import { startSilentServer, type SilentServer } from '../../../test/support/silent-server.js';
import { fixedClock, record } from '../../../test/support/rag-fixtures.js';
import { freePort } from '../../../test/support/ports.js';
import { analysis, outcome, request, xr } from '../../../test/support/xr-request.js';
import { matching, anyOf } from '../../../test/support/matchers.js';

let db: Database;
let store: Store;
let silent: SilentServer;
let calls = 0;
let embedded = 0;
const base = hashingEmbedder();
// Counts the texts the store embeds: one per search, however far it widens.
const counting: Embedder = { id: base.id, dimensions: base.dimensions, embed: (texts) => { embedded += texts.length; return base.embed(texts); } };
const counted: Retriever = {
  search: (q) => {
    calls++;
    return store.search(q);
  },
};

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  const opened = await openStore({ db, embedder: counting, clock: fixedClock });
  if (!opened.ok) throw new Error(opened.error);
  store = opened.value.store;
  await store.record(record({ xrUid: 'a', name: 'flask-on-vm', namespace: 'team-a' }));
  await store.record(record({ xrUid: 'b', name: 'flask-of-team-b', namespace: 'team-b' }));
  await store.record(record({ xrUid: 'c', name: 'flask-shared-fn', namespace: '', shared: true, strategy: 'serverless', config: { memoryMb: 512 }, costMonthly: 4 }));
  await store.record(record({ xrUid: 'd', name: 'express-api', app: { language: 'javascript', framework: 'express', prompt: 'API' } }));
  await store.record(record({ xrUid: 'e', name: 'flask-too-dear', costMonthly: 900 }));
  silent = await startSilentServer();
});
afterAll(async () => {
  await store.close();
  await silent.close();
});

const pinnedHash = decisionInputHash(DeploymentSpec.parse(xr()['spec']) as DeploymentSpec, analysis().commit, MODEL_NONE);
const pinnedStatus = { deployment: { strategy: 'vm', reason: 'r', confidence: 0.8, decidedBy: 'rules', inputHash: pinnedHash } };
const names = (rsp: Awaited<ReturnType<typeof runFunction>>): string[] | undefined =>
  Similar.safeParse(rsp.context?.[ContextKey.similar]).data?.cases.map((c) => c.name);

describe('retrieve', () => {
  const cases = {
    'flask claim': {
      reason: 'a Flask claim gets its tenant\'s and shared Flask cases within budget, never team-b\'s',
      req: request(xr({ spec: { budget: { maxMonthlyCost: 200 } } }), { [ContextKey.analysis]: analysis() }),
      want: { results: [], names: ['flask-shared-fn', 'flask-on-vm'], calls: 1 },
    },
    'other tenant': {
      reason: 'team-b sees its own case and the shared one',
      req: request(xr({ claimNamespace: 'team-b' }), { [ContextKey.analysis]: analysis() }),
      want: { results: [], names: ['flask-shared-fn', 'flask-of-team-b'], calls: 1 },
    },
    'unknown framework': {
      reason: 'a framework nobody deployed widens the search to the language, in one search that embeds the app once',
      req: request(xr(), { [ContextKey.analysis]: analysis({ framework: 'bottle' }) }),
      want: { results: [], names: ['flask-shared-fn', 'flask-on-vm', 'flask-too-dear'], calls: 1 },
    },
    'pinned decision': {
      reason: 'a decision pinned for the same inputs needs no cases: no search at all',
      req: request(xr({ status: pinnedStatus }), { [ContextKey.analysis]: analysis() }),
      want: { results: [], names: undefined, calls: 0 },
    },
    'pinned for other inputs': {
      reason: 'a decision pinned for another commit is looked up again',
      req: request(xr({ status: pinnedStatus }), { [ContextKey.analysis]: analysis({ commit: 'f'.repeat(40) }) }),
      want: { results: [], names: ['flask-shared-fn', 'flask-on-vm', 'flask-too-dear'], calls: 1 },
    },
    'analysis pending': {
      reason: 'while the analysis is pending there is nothing to search for',
      req: request(xr(), {}, { phase: 'Analyzing' }),
      want: { results: [], names: undefined, calls: 0 },
    },
    'invalid analysis': {
      reason: 'an analysis that does not validate is a Warning; the search goes on from the spec',
      req: request(xr(), { [ContextKey.analysis]: { language: 7 } }),
      want: {
        results: [{ severity: Severity.SEVERITY_WARNING, reason: 'ContextInvalid', message: matching(/^cannot read context\[scia\.io\/analysis\]\.url: .*; retrieving without it$/) }],
        // Without an analysis only the spec is known: the traits compare poorly, and every case stays in the running.
        names: ['express-api', 'flask-shared-fn', 'flask-on-vm', 'flask-too-dear'],
        calls: 1,
      },
    },
    'spoofed tenant': {
      reason: "a namespaced XR in team-b labelled as team-a's claim reads nothing: Fatal, naming the label",
      req: request(xr({ namespace: 'team-b', claimNamespace: 'team-a' }), { [ContextKey.analysis]: analysis() }),
      want: {
        results: [{ severity: Severity.SEVERITY_FATAL, reason: 'InvalidClaim', message: 'cannot read the claim: metadata.labels[crossplane.io/claim-namespace]: names "team-a", but this XR lives in namespace "team-b": a namespaced XR\'s tenant is its own namespace' }],
        names: undefined,
        calls: 0,
      },
    },
    'invalid claim': {
      reason: 'a claim that does not validate is Fatal, naming the field',
      req: request(xr({ spec: { region: 'mars-1' } })),
      want: {
        results: [{ severity: Severity.SEVERITY_FATAL, reason: 'InvalidClaim', message: 'cannot read the claim: spec.region: must be an AWS region such as eu-west-3' }],
        names: undefined,
        calls: 0,
      },
    },
  };
  it.each(Object.entries(cases))('%s', async (_, { req, want }) => {
    calls = 0;
    embedded = 0;
    const rsp = await runFunction(req, { retriever: counted, budgetMs: 5000 });
    const got = outcome(rsp, []);
    expect({ results: got['results'], names: names(rsp), calls, embedded, ttl: got['ttl'] }).toEqual({ ...want, embedded: want.calls, ttl: 60 });
  });

  it('writes each case with its score parts, the same on every call', async () => {
    const req = request(xr(), { [ContextKey.analysis]: analysis() });
    const [a, b] = [await runFunction(req, { retriever: store, budgetMs: 5000 }), await runFunction(req, { retriever: store, budgetMs: 5000 })];
    const similar = Similar.parse(a.context?.[ContextKey.similar]);
    expect(b.context?.[ContextKey.similar]).toEqual(a.context?.[ContextKey.similar]);
    const first = similar.cases[0];
    const parts = first?.scoreParts;
    expect(first?.score).toBeCloseTo(0.45 * (parts?.similarity ?? 0) + 0.2 * (parts?.intent ?? 0) + 0.1 * 1 + 0.1 * 0.5 + 0.1 * 0.787611 + 0.05 * 0.961538, 5);
    expect(similar.cases[0]).toEqual({
      id: matching(/^-\/flask-shared-fn@/), name: 'flask-shared-fn', framework: 'flask', language: 'python', strategy: 'serverless', config: { memoryMb: 512 },
      outcome: 'success', costMonthly: 4, feedback: 0, causes: [], intent: anyOf(Array), ageDays: 31, similarity: anyOf(Number), score: anyOf(Number),
      // Success (outcome 1); 31 days old (recency 0.5^(31/90)); $4 of $100 reference (cost 100/104).
      scoreParts: { similarity: anyOf(Number), intent: anyOf(Number), outcome: 1, feedback: 0.5, recency: 0.787611, cost: 0.961538 }, shared: true,
    });
  });
});

describe('retrieve with the store down', () => {
  const down = {
    'refused': { reason: 'a server that refuses connections', url: async () => `postgres://scia@127.0.0.1:${await freePort()}/scia`, error: /ECONNREFUSED/ },
    'silent': { reason: 'a server that accepts and never answers', url: () => Promise.resolve(silent.url), error: /timeout|did not answer/ },
  };
  it.each(Object.entries(down))('%s: Warning and an empty list, never Fatal', async (_, { url, error }) => {
    const env = { SCIA_DATABASE_URL: await url(), SCIA_CALL_BUDGET_MS: '400' };
    const handle = lazyStore(() => storeFromEnv(env));
    const retriever: Retriever = { search: async (q) => { const s = await handle.get(); return s.ok ? s.value.store.search(q) : s; } };
    const rsp = await runFunction(request(xr(), { [ContextKey.analysis]: analysis() }), { retriever, budgetMs: 1000 });
    const got = outcome(rsp, [ContextKey.similar]);
    expect(got).toEqual({
      ttl: 60,
      results: [{ severity: Severity.SEVERITY_WARNING, reason: 'RetrievalDegraded', message: matching(error) }],
      // The memory is unavailable, not empty: decide keeps a deployed decision rather than take it again without it.
      context: { [ContextKey.similar]: { embedder: 'none', queryHash: matching(/^[0-9a-f]{64}$/), cases: [], unavailable: matching(/.+/) } },
    });
  });
});
