import type { JsonObject } from '@scia/render';
import type { App } from './apps.js';
import { reportFor } from './cloud.js';
import { Controller, field, type Pipeline, type Reconciled } from './cluster.js';
import type { Random } from './random.js';
import { comment, judge, right, saidCannotFit, type Decided, type Prompt, type Said, type Verdict } from './world.js';

/** Attempt is one decision a deployment ran under, and how it fared. */
export interface Attempt {
  strategy: string;
  config: Record<string, unknown>;
  costMonthly: number;
  inputHash: string;
  /** verdict is how the decision fared in the world; undefined when the pipeline refused (nothing applied). */
  verdict?: Verdict | undefined;
  /** said is what the pipeline told the team; right, how the attempt scores (see the world's right). */
  said: Said;
  right: boolean;
  /** reason is the decision's `status.deployment.reason` (a refusal's message); cases, the ids of the cases it cites. */
  reason: string;
  cases: string[];
}

export interface Deployed {
  app: string;
  prompt: string;
  attempts: Attempt[];
  /** phase is the XR's last phase. */
  phase: string;
  /** fixable: some decision satisfies this app and prompt (see the world's fixable). */
  fixable: boolean;
}

/** MAX_ATTEMPTS bounds how many decisions the benchmark waits for per deployment. */
const MAX_ATTEMPTS = 4;
/** WAIT_STEPS is how many times the team waits (10 simulated minutes each) for a re-decision. */
const WAIT_STEPS = 6;

const pending = (r: Reconciled): boolean => r.fatal === undefined && ['Analyzing', 'Deciding'].includes(String(field(r.xr, 'status', 'phase')));

const messagesOf = (r: Reconciled): string[] => r.results.flatMap((x) => (typeof x['message'] === 'string' ? [x['message']] : []));

/** claimFor is the XR of a team's claim for `app` with `prompt`. */
export function claimFor(app: App, dir: string, prompt: Prompt, i: number, namespace: string): JsonObject {
  const name = `${app.name}-${prompt.id}-${i}`;
  return {
    apiVersion: 'scia.io/v1alpha1',
    kind: 'XDeployment',
    metadata: {
      name: `${name}-x`,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      generation: 1,
      labels: { 'crossplane.io/claim-name': name, 'crossplane.io/claim-namespace': namespace, 'crossplane.io/composite': `${name}-x` },
    },
    spec: {
      claimRef: { apiVersion: 'scia.io/v1alpha1', kind: 'Deployment', name, namespace },
      compositionRef: { name: 'deployment-aws' },
      compositionUpdatePolicy: 'Automatic',
      repository: { url: dir, ref: 'HEAD' },
      prompt: prompt.text,
      cloudProvider: 'aws',
      region: 'eu-west-3',
      ...(prompt.budget === undefined ? {} : { budget: { ...prompt.budget, alertThreshold: 0.8 } }),
      policies: [],
      strategy: 'auto',
      artifact: { image: `123456789012.dkr.ecr.eu-west-3.amazonaws.com/${app.name}:1.0.0` },
      providerConfigName: 'default',
    },
  };
}

type StatusDecision = { strategy?: Decided['strategy']; config?: Record<string, unknown>; inputHash?: string; reason?: string; cases?: { id: string; usedFor: string }[] };

function decidedOf(r: Reconciled): Decided & { inputHash: string; reason: string; cases: string[] } {
  const d = field(r.xr, 'status', 'deployment') as StatusDecision | undefined;
  if (d?.strategy === undefined || d.inputHash === undefined) throw new Error(`no decision in status: ${JSON.stringify(field(r.xr, 'status'))}`);
  const cases = (d.cases ?? []).map((c) => `${c.id} (${c.usedFor})`);
  return { strategy: d.strategy, config: d.config ?? {}, costMonthly: Number(field(r.xr, 'status', 'cost', 'estimatedMonthly') ?? 0), inputHash: d.inputHash, reason: d.reason ?? '', cases };
}

function annotate(c: Controller, value: string, text?: string): void {
  const metadata = c.xr['metadata'] as JsonObject;
  const annotations = { 'scia.io/feedback': value, ...(text === undefined ? {} : { 'scia.io/feedback-comment': text }) };
  c.xr = { ...c.xr, metadata: { ...metadata, annotations } };
}

/**
 * deploy runs one claim as a cluster and a team would: reconcile until
 * decided, let the cloud report on what was rendered, let the record step see
 * the outcome (after 16 minutes when the workload never comes up), and thumb
 * a failure down with a comment. Then it waits, 10 minutes at a time, for the
 * pipeline to decide again, and judges each new decision the same way.
 */
export async function deploy(pipeline: Pipeline, xr: JsonObject, app: App, prompt: Prompt, fixable: boolean, r: Random): Promise<Deployed> {
  const c = new Controller(pipeline, xr);
  let res = await c.reconcileWhile(pending);
  const attempts: Attempt[] = [];
  for (let n = 1; n <= MAX_ATTEMPTS; n++) {
    if (res.fatal !== undefined) {
      // Nothing is applied: the team reads the refusal and has nothing to thumb down.
      const said = { refused: res.fatal, cannotFit: saidCannotFit([res.fatal]) };
      attempts.push({ strategy: 'none', config: {}, costMonthly: 0, inputHash: '', said, right: right(undefined, fixable, said), reason: res.fatal, cases: [] });
      break;
    }
    const d = decidedOf(res);
    const verdict = judge(app, prompt, d);
    const said = { cannotFit: saidCannotFit(messagesOf(res)) };
    attempts.push({ ...d, verdict, said, right: right(verdict, fixable, said) });
    c.report = reportFor(verdict, d);
    res = await c.reconcile();
    if (verdict.ok) {
      if (r.chance(0.3)) annotate(c, '+1', 'works well');
      res = await c.reconcile();
      res = await c.reconcile();
      break;
    }
    if (verdict.inCluster) c.elapse(16 * 60);
    res = await c.reconcile();
    // A team that sees a failure again says so, rather than repeating itself word for word.
    const words = comment(verdict.cause, r);
    annotate(c, '-1', n === 1 ? words : `still failing after change ${n - 1}: ${words}`);
    const next = await redecided(c, d.inputHash);
    if (next === undefined) break;
    res = next;
  }
  return { app: app.name, prompt: prompt.id, attempts, phase: String(field(res.xr, 'status', 'phase')), fixable };
}

/** redecided reconciles (10 simulated minutes apart) until the pinned decision changes, or gives up. */
async function redecided(c: Controller, inputHash: string): Promise<Reconciled | undefined> {
  for (let i = 0; i < WAIT_STEPS; i++) {
    const r = await c.reconcile();
    if (r.fatal !== undefined) return r;
    if (pending(r)) return c.reconcileWhile(pending);
    if (field(r.xr, 'status', 'deployment', 'inputHash') !== inputHash) return r;
    if (field(r.xr, 'status', 'phase') === 'Failed' && field(r.xr, 'status', 'deployment', 'attempt') !== undefined) return undefined;
    c.elapse(10 * 60);
  }
  return undefined;
}
