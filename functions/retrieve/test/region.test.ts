import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextKey, RequiredName } from '@scia/api';
import { runFunction, type Retriever } from '@scia/function-retrieve';
import { hashingEmbedder, openDatabase, openStore, type CaseQueryInput, type Database, type Store } from '@scia/rag';
import { fixedClock } from '../../../test/support/rag-fixtures.js';
import { analysis, xr } from '../../../test/support/xr-request.js';

let db: Database;
let store: Store;
beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  const opened = await openStore({ db, embedder: hashingEmbedder(), clock: fixedClock });
  if (!opened.ok) throw new Error(opened.error);
  store = opened.value.store;
});
afterAll(async () => {
  await store.close();
});

/** request is a claim of team-a naming `cloud`, with Crossplane's answer for CloudProvider acme when `defaultRegion` is given. */
function request(spec: Record<string, unknown>, defaultRegion?: string): RunFunctionRequest {
  const { region: _, ...claim } = xr()['spec'] as Record<string, unknown>;
  const cp = { apiVersion: 'scia.io/v1alpha1', kind: 'CloudProvider', metadata: { name: 'acme', namespace: 'team-a' }, spec: { credentials: { source: 'Secret', secretRef: { name: 'aws' } }, defaultRegion } };
  return RunFunctionRequest.fromPartial({
    meta: { tag: 't' },
    observed: { composite: { resource: { ...xr(), spec: { ...claim, ...spec } } } },
    context: { [ContextKey.analysis]: analysis() },
    ...(defaultRegion === undefined ? {} : { requiredResources: { [RequiredName.cloudProvider]: { items: [{ resource: cp }] } } }),
  });
}

describe('retrieve step, effective region', () => {
  const cases = {
    fromCloudProvider: { reason: 'a claim without spec.region searches in its CloudProvider\'s defaultRegion', spec: { cloudProvider: 'acme' }, defaultRegion: 'eu-central-1', want: { fatal: [], asked: true, region: 'eu-central-1' } },
    explicitWins: { reason: 'a claim\'s own spec.region wins, and no CloudProvider is asked for it', spec: { cloudProvider: 'acme', region: 'us-east-1' }, defaultRegion: undefined, want: { fatal: [], asked: false, region: 'us-east-1' } },
    pending: { reason: 'nothing is searched before Crossplane answers', spec: { cloudProvider: 'acme' }, defaultRegion: undefined, want: { fatal: [], asked: true, region: undefined } },
    platformWithoutRegion: {
      reason: 'on aws spec.region is required',
      spec: { cloudProvider: 'aws' },
      defaultRegion: undefined,
      want: { fatal: ['cannot read the claim: spec.region: required unless spec.cloudProvider names a CloudProvider with a defaultRegion'], asked: false, region: undefined },
    },
  };
  it.each(Object.entries(cases))('%s', async (_, c) => {
    const queries: CaseQueryInput[] = [];
    const retriever: Retriever = { search: (q) => { queries.push(q); return store.search(q); } };
    const rsp = await runFunction(request(c.spec, c.defaultRegion), { retriever, budgetMs: 5000 });
    expect({
      fatal: rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message),
      asked: rsp.requirements?.resources?.[RequiredName.cloudProvider] !== undefined,
      region: queries[0]?.app.region,
    }, c.reason).toEqual(c.want);
  });
});
