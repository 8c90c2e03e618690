import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decision } from '@scia/api';
import { main } from '@scia/cli';
import { newPreviewer } from '@scia/console-api';
import { startTestCluster, type TestCluster } from '@scia/console-api/testing';
import { lazyStore, storeFromEnv, type Store, type StoreHandle } from '@scia/rag';
import { claim, eventually, gql } from './support/client.js';

// previewDeployment must decide exactly as `scia decide` does for the same inputs,
// and the store's cases must stay inside the namespace that owns them.
const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const APP = join(ROOT, 'examples', 'apps', 'flask-api');
const PROMPT = 'Python API for our mobile app, high availability, under $200/month';
const dirs: string[] = [];
let c: TestCluster;
let handle: StoreHandle;

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'scia-console-preview-'));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  const env = { SCIA_DATA_DIR: tempDir() };
  handle = lazyStore(() => storeFromEnv(env, { cwd: ROOT }));
  c = await startTestCluster({ console: { store: handle, previewer: newPreviewer(env, ROOT, true) } });
}, 120_000);
afterAll(async () => {
  await c.close();
  await handle.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const PREVIEW = `mutation($input: DeploymentInput!) { previewDeployment(input: $input) {
  decision { strategy reason confidence decidedBy model inputHash config alternatives { strategy reason confidence estimatedMonthlyCost }
    estimatedMonthlyCost costBreakdown { item monthly } services citedCases { id name shared } analysis }
  warnings errors { field message } } }`;
const input = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  namespace: 'team-a', name: 'flask-api', repository: { url: APP }, prompt: PROMPT, region: 'eu-west-3',
  budget: { maxMonthlyCost: 200 }, policies: ['require-https'], ...over,
});

async function scia(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const sink = (write: (s: string) => void): Writable => new Writable({ write(chunk: Buffer, _e, done) { write(chunk.toString()); done(); } });
  const code = await main(args, { stdout: sink((s) => (stdout += s)), stderr: sink(() => undefined), env, cwd: ROOT });
  return { code, stdout };
}

async function store(): Promise<Store> {
  const opened = await handle.get();
  if (!opened.ok) throw new Error(opened.error);
  return opened.value.store;
}

describe('Mutation.previewDeployment', () => {
  it('returns the decision `scia decide` takes on examples/apps/flask-api, applying nothing', async () => {
    const cli = await scia(['decide', '--repo', APP, '--prompt', PROMPT, '--region', 'eu-west-3', '--budget', '200', '--policy', 'require-https', '--json'], { SCIA_DATA_DIR: tempDir() });
    expect(cli.code).toBe(0);
    const want = Decision.parse(JSON.parse(cli.stdout));
    const before = c.kube.requests.filter((q) => q.method !== 'GET' && q.method !== 'POST').length;
    const r = await gql(c.console.url, 'alice-token', PREVIEW, { input: input() });
    expect(r.errors).toBeUndefined();
    const got = (r.data as { previewDeployment: { decision: Record<string, unknown>; errors: unknown[] } }).previewDeployment;
    expect(got.errors).toEqual([]);
    expect(got.decision).toMatchObject({
      strategy: want.strategy, reason: want.reason, confidence: want.confidence, decidedBy: want.decidedBy, model: want.model ?? null,
      inputHash: want.inputHash, config: want.config, alternatives: want.alternativeStrategies.map((a) => ({ ...a, estimatedMonthlyCost: a.estimatedMonthlyCost ?? null })),
      estimatedMonthlyCost: want.estimatedMonthlyCost, costBreakdown: want.costBreakdown,
    });
    expect((got.decision['citedCases'] as Array<{ id: string }>).map((k) => k.id)).toEqual(want.citedCases);
    expect(got.decision['analysis']).toMatchObject({ language: 'python', framework: 'flask' });
    expect(c.kube.requests.filter((q) => q.method !== 'GET' && q.method !== 'POST').length).toBe(before);
    expect(c.kube.store.get('deployments.scia.io', 'team-a', 'flask-api')).toBeUndefined();
  }, 120_000);

  it.each(Object.entries({
    'a user who may not create in the namespace': { token: 'carol-token', over: {}, errors: [{ field: 'namespace', message: expect.stringContaining('forbidden by RBAC') as string }] },
    'an invalid region': { token: 'alice-token', over: { region: 'nowhere' }, errors: [{ field: 'spec.region', message: 'must be an AWS region such as eu-west-3' }] },
  }))('refuses %s', async (_reason, { token, over, errors }) => {
    const r = await gql(c.console.url, token, PREVIEW, { input: input(over) });
    expect(r.data).toEqual({ previewDeployment: { decision: null, warnings: [], errors } });
  });
});

describe('past cases from the store', () => {
  it('show a namespace its own cases and shared ones, never another namespace\'s', async () => {
    const s = await store();
    const app = { language: 'python', framework: 'flask', prompt: 'flask api', services: [], dependencies: ['flask'] };
    const rec = async (namespace: string, name: string, shared: boolean): Promise<string> => {
      const r = await s.record({ xrUid: `uid-${name}`, decisionHash: 'h', name, namespace, shared, app, strategy: 'vm', outcome: 'success', costMonthly: 40 });
      if (!r.ok) throw new Error(r.error);
      return r.value.id;
    };
    const mine = await rec('team-a', 'a-private-flask', false);
    const theirs = await rec('team-b', 'b-private-flask', false);
    const common = await rec('', 'shared-flask', true);
    const analysis = { commit: 'c0ffee', language: 'python', framework: 'flask', kind: 'web-api' };
    const status = { deployment: { strategy: 'vm', reason: 'r', confidence: 0.5, decidedBy: 'rules', inputHash: 'h', citedCases: [mine, theirs, common] } };
    c.kube.put(claim('team-a', 'flask-a', { spec: { prompt: 'flask api' }, status: { ...status, analysis } }));
    c.kube.put(claim('team-b', 'flask-b', { spec: { prompt: 'flask api' }, status: { ...status, analysis } }));
    await eventually(() => expect(c.console.cache.get('team-b', 'flask-b')).toBeDefined());
    const Q = 'query($id: ID!) { similarCases(id: $id, first: 20) { id name shared similarity } deployment(id: $id) { decision { citedCases { id name } } } }';
    const a = await gql(c.console.url, 'alice-token', Q, { id: 'team-a/flask-a' });
    expect(a.errors).toBeUndefined();
    const names = (r: typeof a): string[] => ((r.data as { similarCases: Array<{ name: string }> }).similarCases).map((k) => k.name);
    expect(names(a)).toContain('a-private-flask');
    expect(names(a)).toContain('shared-flask');
    expect(names(a)).not.toContain('b-private-flask');
    expect((a.data as { deployment: { decision: { citedCases: unknown } } }).deployment.decision.citedCases).toEqual([{ id: mine, name: 'a-private-flask' }, { id: common, name: 'shared-flask' }]);
    const b = await gql(c.console.url, 'bob-token', Q, { id: 'team-b/flask-b' });
    expect(names(b)).toContain('b-private-flask');
    expect(names(b)).not.toContain('a-private-flask');
    const denied = await gql(c.console.url, 'bob-token', Q, { id: 'team-a/flask-a' });
    // similarCases is non-null: its refusal nulls the whole answer.
    expect(denied.data).toBeNull();
    expect(denied.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  }, 60_000);
});
