import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { ContextKey, Similar } from '@scia/api';
import * as record from '@scia/function-record';
import * as retrieve from '@scia/function-retrieve';
import { storeFromEnv } from '@scia/rag';
import { silentLogger, type BuiltFunction } from '@scia/runtime';
import { analysis, outcome, request, xr } from './support/xr-request.js';
import { matching } from './support/matchers.js';

const NOW = '2026-06-01T12:00:00Z';
const decision = { strategy: 'vm', reason: 'steady API', confidence: 0.8, decidedBy: 'rules', inputHash: 'h1', config: { instanceType: 't3.small' } };
const ready = { conditions: [{ type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: '2026-06-01T11:55:00Z' }] };
const retrieveReq = request(xr(), { [ContextKey.analysis]: analysis() });
const recordReq = request(xr({ uid: 'uid-opening', status: { deployment: decision, analysis: analysis(), cost: { estimatedMonthly: 17.5 }, ...ready } }));

/** untilAnswered calls `fn` until its response has no Warning, for at most two minutes (a fresh store's initdb on a busy machine). */
async function untilAnswered(fn: BuiltFunction, req: typeof retrieveReq): Promise<RunFunctionResponse> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const rsp = await fn.run(req, silentLogger());
    if (!rsp.results.some((r) => r.severity === Severity.SEVERITY_WARNING) || Date.now() > deadline) return rsp;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('a function binary on an embedded store that is still opening', () => {
  it('serves at once: calls meanwhile find the memory unavailable, never empty; calls after get real results, and the outcome is recorded', async () => {
    // No template anywhere: the store runs initdb, migrates and seeds, which takes seconds.
    const env = { SCIA_DATA_DIR: mkdtempSync(join(tmpdir(), 'scia-opening-')), SCIA_CACHE_DIR: mkdtempSync(join(tmpdir(), 'scia-cache-')), SCIA_CALL_BUDGET_MS: '100', SCIA_NOW: NOW };
    const started = Date.now();
    const [retriever, recorder] = await Promise.all([
      retrieve.definition.build({ env, logger: silentLogger(), background: true }),
      record.definition.build({ env, logger: silentLogger(), background: true }),
    ]);
    const built = Date.now() - started;
    try {
      const early = { retrieve: outcome(await retriever.run(retrieveReq, silentLogger()), [ContextKey.similar]), record: outcome(await recorder.run(recordReq, silentLogger()), []) };
      const late = { retrieve: await untilAnswered(retriever, retrieveReq), record: await untilAnswered(recorder, recordReq) };
      const store = await storeFromEnv(env);
      if (!store.ok) throw new Error(store.error);
      const { rows } = await store.value.store.db.pool.query<{ outcome: string }>("SELECT outcome FROM deployments WHERE xr_uid = 'uid-opening'");
      await store.value.store.close();
      expect({ built: built < 1000, early, late: { retrieve: outcome(late.retrieve, []), record: outcome(late.record, []), cases: (Similar.parse(late.retrieve.context?.[ContextKey.similar]).cases.length) > 0 }, rows }).toEqual({
        built: true,
        early: {
          retrieve: {
            ttl: 60,
            results: [{ severity: Severity.SEVERITY_WARNING, reason: 'RetrievalDegraded', message: 'cannot retrieve similar deployments: the store did not answer within 100 ms' }],
            context: { [ContextKey.similar]: { embedder: 'none', queryHash: matching(/^[0-9a-f]{64}$/), cases: [], unavailable: 'the store did not answer within 100 ms' } },
          },
          record: {
            ttl: record.RETRY_TTL_SECONDS,
            results: [{ severity: Severity.SEVERITY_WARNING, reason: 'RecordDegraded', message: 'cannot record the outcome of flask-api: the store did not answer within 100 ms' }],
            context: {},
          },
        },
        late: { retrieve: { ttl: 60, results: [], context: {} }, record: { ttl: 60, results: [], context: {} }, cases: true },
        rows: [{ outcome: 'success' }],
      });
    } finally {
      await Promise.all([retriever.close(), recorder.close()]);
    }
  }, 180_000);
});
