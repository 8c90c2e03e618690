import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Annotation } from '@scia/api';
import { reply, startOllamaServer, type OllamaServer, type Reply } from './support/ollama-server.js';
import { Controller, NOW, UID, claim, commit, gitRepo, head, field, gate, ready, recordedRows, resourceName, startPipeline, type Pipeline, type Reconciled, type RecordedRow } from './support/reconcile.js';

/**
 * The whole pipeline (analyze, retrieve, decide, render-aws, record) served on
 * loopback and reconciled several times as Crossplane's controller does: each
 * reconcile observes the status and resources the previous one desired, with
 * a context that starts empty. What a single golden render cannot show: that
 * a converged XR stays byte-identical and cheap, that readiness and feedback
 * are recorded once, that an input change re-decides without dropping what
 * is deployed, and that a store that is down degrades to Warnings.
 */
const MODEL = 'qwen2.5-coder:7b';
const ARTIFACT = { image: 'repo/flask-api:1.4.2' };
const FUNCTION_URL = 'https://abcdefghij.lambda-url.eu-west-3.on.aws/';

/** DATABASE is what the Flask app's PostgreSQL adds under enable-monitoring, on every strategy. */
const DATABASE = [
  'alarm-postgresql-connections', 'alarm-postgresql-cpu', 'alarm-postgresql-storage', 'postgresql', 'postgresql-subnets', 'sg-postgresql', 'sg-postgresql-ingress',
  'subnet-private-a', 'subnet-private-b',
];
const VM_MONITORED = [
  'alarm-cpu', 'asg', 'igw', 'instance-profile', 'instance-role', 'instance-role-cloudwatch-agent', 'instance-role-ecr-read', 'instance-role-ssm', 'launch-template', 'logs',
  'rt', 'rt-default', 'rt-subnet-a', 'rt-subnet-b', 'sg-app', 'sg-app-egress', 'sg-app-ingress', 'subnet-a', 'subnet-b', 'vpc', ...DATABASE,
].sort();
const SERVERLESS_MONITORED = [
  'alarm-errors', 'alarm-throttles', 'function', 'function-role', 'function-role-lambda-logs', 'function-role-lambda-vpc', 'function-url', 'logs', 'permission-invoke', 'permission-url',
  'sg-app', 'sg-app-egress', 'vpc', ...DATABASE,
].sort();
/** SERVERLESS_AURORA: a cheap serverless app's PostgreSQL is Aurora Serverless v2, pausing when idle, watched by its capacity. */
const SERVERLESS_AURORA = [...SERVERLESS_MONITORED.filter((r) => r !== 'alarm-postgresql-storage'), 'alarm-postgresql-capacity', 'postgresql-instance-1'].sort();

const vmAnswer = {
  strategy: 'vm',
  reason: 'A small Flask API with steady traffic.',
  confidence: 0.7,
  config: { instanceType: 't3.small', minSize: 1, desiredCapacity: 1, maxSize: 2 },
  alternativeStrategies: [],
  citedCases: [],
};
const serverlessAnswer = {
  strategy: 'serverless',
  reason: 'Spiky traffic, idle at night.',
  confidence: 0.75,
  config: { memoryMb: 1024, timeoutSeconds: 20 },
  alternativeStrategies: [{ strategy: 'vm', reason: 'Steadier, costs more.', confidence: 0.3 }],
  citedCases: [],
};

const pending = (r: Reconciled): boolean => ['Analyzing', 'Deciding'].includes(String(field(r.xr, 'status', 'phase')));
const names = (r: Reconciled): string[] => r.composed.map(resourceName).sort();
const warnings = (r: Reconciled): string[] =>
  r.results.filter((x) => x['severity'] === 'SEVERITY_WARNING').map((x) => `${String(x['step'])}: ${String(x['message'])}`);
const withoutXmin = ({ xmin: _, ...row }: RecordedRow): Omit<RecordedRow, 'xmin'> => row;
/** DATABASE_SEEN is the database as observed: its address and the ARN of the secret RDS keeps its password in. */
const DATABASE_SEEN = { address: 'orders.c9akciq32.eu-west-3.rds.amazonaws.com', masterUserSecret: [{ secretArn: 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:rds!db-1-Ab12Cd' }] };
/** upWithUrl reports every resource Ready, the function URL and the database with their addresses. */
const upWithUrl = (name: string) => ready(name === 'function-url' ? { functionUrl: FUNCTION_URL } : name === 'postgresql' ? DATABASE_SEEN : {});

describe('steady state: an auto claim reconciled after it converged', () => {
  let ollama: OllamaServer;
  let pipeline: Pipeline;
  beforeAll(async () => {
    ollama = await startOllamaServer({ chat: () => reply.json(vmAnswer) });
    pipeline = await startPipeline({ OLLAMA_HOST: ollama.url, SCIA_OLLAMA_MODEL: MODEL });
  });
  afterAll(async () => {
    await pipeline?.close();
    await ollama?.close();
  });

  it('renders byte-identical desired state each time, with one analysis and one model call in all', async () => {
    const c = new Controller(pipeline, claim({ artifact: ARTIFACT }));
    await c.reconcileWhile(pending);
    const runs: Reconciled[] = [];
    for (let i = 0; i < 4; i++) runs.push(await c.reconcile());
    const [first] = runs;
    if (first === undefined) throw new Error('no reconcile');
    const status = first.xr['status'];
    expect({
      phase: field(status, 'phase'),
      resources: names(first),
      analysis: { commit: /^tree:[0-9a-f]{16}$/.test(String(field(status, 'analysis', 'commit'))), resolvedAt: field(status, 'analysis', 'resolvedAt'), framework: field(status, 'analysis', 'framework') },
      decision: { strategy: field(status, 'deployment', 'strategy'), decidedBy: field(status, 'deployment', 'decidedBy') },
      modelCalls: ollama.chatCalls.length,
    }).toEqual({
      phase: 'Provisioning',
      resources: VM_MONITORED,
      analysis: { commit: true, resolvedAt: new Date(NOW).toISOString(), framework: 'flask' },
      decision: { strategy: 'vm', decidedBy: 'llm' },
      modelCalls: 1,
    });
    for (const r of runs) {
      // Whole outputs: the desired state as printed, the status (analysis, decision, cost) and every result.
      expect({ text: r.text, status: r.xr['status'], results: r.results }).toEqual({ text: first.text, status, results: first.results });
    }
    // One resolve, one analysis, one model answer across all reconciles.
    expect({ logs: pipeline.logs, modelCalls: ollama.chatCalls.length }).toEqual({ logs: ['analyze: resolved ref', 'analyze: analysed repository'], modelCalls: 1 });
  });
});

describe('readiness and feedback: a serverless claim whose resources come up', () => {
  let pipeline: Pipeline;
  let c: Controller;
  let running: Reconciled | undefined;
  let settled: Reconciled | undefined;
  beforeAll(async () => {
    pipeline = await startPipeline();
    c = new Controller(pipeline, claim({ strategy: 'serverless', artifact: ARTIFACT }));
  });
  afterAll(async () => {
    await pipeline?.close();
  });

  it('goes Running with the function URL once every resource reports Ready, and records the success once', async () => {
    const provisioning = await c.reconcileWhile(pending);
    expect({ phase: field(provisioning.xr, 'status', 'phase'), resources: names(provisioning), rows: await recordedRows(pipeline.dataDir, UID) })
      .toEqual({ phase: 'Provisioning', resources: SERVERLESS_MONITORED, rows: [] });
    c.status = upWithUrl;
    running = await c.reconcile();
    expect({
      phase: field(running.xr, 'status', 'phase'),
      endpoints: field(running.xr, 'status', 'endpoints'),
      ready: (field(running.xr, 'status', 'conditions') as { type: string; status: string }[]).find((x) => x.type === 'Ready')?.status,
      // The record step sees the XR Ready only on the reconcile after: Crossplane applies the status in between.
      rows: await recordedRows(pipeline.dataDir, UID),
    }).toEqual({
      phase: 'Running',
      endpoints: [{ name: 'function-url', url: FUNCTION_URL, type: 'function-url' }],
      ready: 'True',
      rows: [],
    });
    settled = await c.reconcile();
    const recorded = await recordedRows(pipeline.dataDir, UID);
    const inputHash = field(running.xr, 'status', 'deployment', 'inputHash');
    expect(recorded.map(withoutXmin)).toEqual([{ decisionHash: inputHash, strategy: 'serverless', outcome: 'success', feedback: 0, comment: null }]);
    for (let i = 0; i < 3; i++) {
      const again = await c.reconcile();
      expect({ text: again.text, rows: await recordedRows(pipeline.dataDir, UID) }).toEqual({ text: settled.text, rows: recorded });
    }
  });

  // Desired status replaces the XR's: history must be desired on every reconcile,
  // not only on the one whose phase changes.
  it('keeps status.history on the reconciles after a phase change', () => {
    expect(field(settled?.xr, 'status', 'history')).toEqual(field(running?.xr, 'status', 'history'));
  });

  it('records a -1 with its comment on the recorded row once, and writes nothing on the next reconciles', async () => {
    const before = await recordedRows(pipeline.dataDir, UID);
    const metadata = c.xr['metadata'] as Record<string, unknown>;
    c.xr = { ...c.xr, metadata: { ...metadata, annotations: { [Annotation.feedback]: '-1', [Annotation.feedbackComment]: 'cold starts are too slow for checkout' } } };
    const withFeedback = await c.reconcile();
    const after = await recordedRows(pipeline.dataDir, UID);
    // A new xmin: the row was written.
    expect({ rows: after.map(withoutXmin), written: after[0]?.xmin !== before[0]?.xmin })
      .toEqual({ rows: before.map((r) => ({ ...withoutXmin(r), feedback: -1, comment: 'cold starts are too slow for checkout' })), written: true });
    for (let i = 0; i < 3; i++) {
      const again = await c.reconcile();
      expect({ text: again.text, rows: await recordedRows(pipeline.dataDir, UID) }).toEqual({ text: withFeedback.text, rows: after });
    }
  });
});

describe('input change: a new prompt while the model is slow', () => {
  let ollama: OllamaServer;
  let pipeline: Pipeline;
  const slow = gate<Reply>();
  const phases: unknown[] = [];
  beforeAll(async () => {
    ollama = await startOllamaServer({ chat: (_call, n) => (n === 0 ? reply.json(vmAnswer) : slow.promise) });
    pipeline = await startPipeline({ OLLAMA_HOST: ollama.url, SCIA_OLLAMA_MODEL: MODEL, SCIA_CALL_BUDGET_MS: '1000' });
  });
  afterAll(async () => {
    slow.open(reply.json(serverlessAnswer));
    await pipeline?.close();
    await ollama?.close();
  });

  it('keeps what is deployed while Deciding, then renders the new decision under a new input hash', async () => {
    const c = new Controller(pipeline, claim({ artifact: ARTIFACT }));
    c.status = () => ready();
    await c.reconcileWhile(pending);
    const deployed = await c.reconcile();
    const old = field(deployed.xr, 'status', 'deployment') as Record<string, unknown>;
    expect({ phase: field(deployed.xr, 'status', 'phase'), strategy: old['strategy'], resources: names(deployed) })
      .toEqual({ phase: 'Running', strategy: 'vm', resources: VM_MONITORED });

    c.xr = { ...c.xr, spec: { ...(c.xr['spec'] as Record<string, unknown>), prompt: 'Checkout API, idle at night, spiky at lunch, cheapest possible' } };
    for (let i = 0; i < 2; i++) {
      const deciding = await c.reconcile();
      phases.push(field(deciding.xr, 'status', 'phase'));
      expect({
        deployment: field(deciding.xr, 'status', 'deployment'),
        composed: deciding.composed,
        waiting: deciding.results.filter((x) => x['step'] === 'decide'),
        modelCalls: ollama.chatCalls.length,
      }).toEqual({
        deployment: old,
        composed: deployed.composed,
        waiting: [{ apiVersion: 'render.crossplane.io/v1beta1', kind: 'Result', step: 'decide', severity: 'SEVERITY_NORMAL', message: `deciding: waiting for model ${MODEL}` }],
        modelCalls: 2,
      });
    }

    slow.open(reply.json(serverlessAnswer));
    const decided = await c.reconcileWhile((r) => field(r.xr, 'status', 'deployment', 'inputHash') === old['inputHash']);
    const fresh = field(decided.xr, 'status', 'deployment') as Record<string, unknown>;
    expect({ strategy: fresh['strategy'], decidedBy: fresh['decidedBy'], resources: names(decided), modelCalls: ollama.chatCalls.length })
      .toEqual({ strategy: 'serverless', decidedBy: 'llm', resources: SERVERLESS_AURORA, modelCalls: 2 });
  });

  // With the pinned decision kept in context while decide is pending, render-aws
  // keeps what is deployed and the phase decide set, rather than the readiness phase.
  it('shows phase Deciding while the new decision is pending', () => {
    expect(phases).toEqual(['Deciding', 'Deciding']);
  });
});

describe('a new commit on the claimed ref', () => {
  let pipeline: Pipeline;
  let repo: string;
  beforeAll(async () => {
    repo = gitRepo('examples/apps/flask-api');
    // Resolve the ref on every reconcile: cheap, and the only way to see a push.
    pipeline = await startPipeline({ SCIA_REF_TTL_SECONDS: '0' });
  });
  afterAll(async () => {
    await pipeline?.close();
    rmSync(repo, { recursive: true, force: true });
  });

  it('analyses and decides again only when the commit changes', async () => {
    const c = new Controller(pipeline, claim({ artifact: ARTIFACT, repository: { url: repo, ref: 'HEAD' } }));
    await c.reconcileWhile(pending);
    const first = await c.reconcile();
    const again = [await c.reconcile(), await c.reconcile()];
    expect(again.map((r) => r.text)).toEqual([first.text, first.text]);
    const pushed = commit(repo, 'NOTES.md', 'release notes\n');
    const moved = await c.reconcileWhile((r) => field(r.xr, 'status', 'analysis', 'commit') !== pushed);
    const hashes = [first, moved].map((r) => field(r.xr, 'status', 'deployment', 'inputHash'));
    expect({
      logs: pipeline.logs,
      commits: [first, moved].map((r) => field(r.xr, 'status', 'analysis', 'commit')),
      newHash: hashes[0] !== hashes[1],
      // The claim runs an image: a commit changes the decision's key, not what runs.
      composed: moved.composed,
    }).toEqual({
      logs: ['analyze: resolved ref', 'analyze: analysed repository', ...Array<string>(4).fill('analyze: resolved ref'), 'analyze: analysed repository'],
      commits: [head(repo, 'HEAD~1'), pushed],
      newHash: true,
      composed: first.composed,
    });
  });
});

describe('degrade: the database is down', () => {
  let pipeline: Pipeline;
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
    pipeline = await startPipeline({ SCIA_DATABASE_URL: `postgres://scia:scia@127.0.0.1:${port}/scia` });
  });
  afterAll(async () => {
    await pipeline?.close();
  });

  it('still renders, with Warnings from retrieve and record and never a Fatal', async () => {
    const c = new Controller(pipeline, claim({ artifact: ARTIFACT }, { annotations: { [Annotation.feedback]: '+1' } }));
    c.status = () => ready();
    const first = await c.reconcileWhile(pending);
    const second = await c.reconcile();
    const down = `connect ECONNREFUSED 127.0.0.1:${port}`;
    const store = `the deployments store at postgres://scia:***@127.0.0.1:${port}/scia`;
    expect({
      phase: field(second.xr, 'status', 'phase'),
      strategy: field(second.xr, 'status', 'deployment', 'strategy'),
      resources: names(second),
      warnings: [warnings(first), warnings(second)],
    }).toEqual({
      phase: 'Running',
      strategy: 'vm',
      resources: VM_MONITORED,
      warnings: [
        [
          `retrieve: cannot retrieve similar deployments: cannot migrate ${store}: ${down}`,
          `decide: cannot read the decision cache: cannot create table scia_decisions: ${down}`,
          `decide: deciding for the first time without the deployment memory, which cannot be read: cannot migrate ${store}: ${down}`,
          `decide: cannot keep the decision by its input hash: cannot create table scia_decisions: ${down}`,
        ],
        // The decision is pinned now: nothing asks the store but the record step, for the +1.
        [`record: cannot record the outcome of orders-api: cannot migrate ${store}: ${down}`],
      ],
    });
  });
});

/** closedPort is a loopback port where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
