import type { App } from './apps.js';
import type { Random } from './random.js';

/** Prompt is one thing a team asks for, with what it silently expects. */
export interface Prompt {
  id: string;
  text: string;
  budget?: { maxMonthlyCost: number; enforcementMode: 'soft' | 'hard' };
  /** latencySensitive: the team notices cold starts, whatever its words say. */
  latencySensitive: boolean;
}

/** PROMPTS are the world's ten requests; not every expectation is in the words. */
export const PROMPTS: readonly Prompt[] = [
  { id: 'admin', text: 'Internal admin tool for a handful of people, cheapest possible', budget: { maxMonthlyCost: 60, enforcementMode: 'soft' }, latencySensitive: false },
  { id: 'mobile', text: 'Public API for our mobile app, high availability, under $300/month', budget: { maxMonthlyCost: 300, enforcementMode: 'soft' }, latencySensitive: false },
  { id: 'checkout', text: 'Checkout service: customers abandon the cart when a page hangs', budget: { maxMonthlyCost: 400, enforcementMode: 'soft' }, latencySensitive: true },
  { id: 'reports', text: 'Reports generated a few times a day for the finance team', latencySensitive: false },
  { id: 'lunch', text: 'Spiky traffic: busy at lunch, idle at night', budget: { maxMonthlyCost: 200, enforcementMode: 'soft' }, latencySensitive: false },
  { id: 'dashboard', text: 'Real-time dashboard for the operations team', budget: { maxMonthlyCost: 500, enforcementMode: 'soft' }, latencySensitive: true },
  { id: 'mvp', text: 'MVP for a startup, must stay under $80/month', budget: { maxMonthlyCost: 80, enforcementMode: 'hard' }, latencySensitive: false },
  { id: 'marketplace', text: 'Marketplace backend expecting heavy load, autoscaling', budget: { maxMonthlyCost: 2500, enforcementMode: 'soft' }, latencySensitive: false },
  { id: 'demo', text: 'Conference demo, low traffic, keep it cheap', budget: { maxMonthlyCost: 40, enforcementMode: 'soft' }, latencySensitive: false },
  { id: 'partner', text: 'Partner integration API, under $150/month', budget: { maxMonthlyCost: 150, enforcementMode: 'soft' }, latencySensitive: true },
];

/** Decided is what the pipeline chose, as the XR's status reports it. */
export interface Decided {
  strategy: 'vm' | 'kubernetes' | 'serverless';
  config: Record<string, unknown>;
  costMonthly: number;
}

/** Cause is what went wrong, as the world knows it (the pipeline learns it only from signals and comments). */
export type Cause = 'out-of-memory' | 'no-gpu' | 'websockets' | 'cold-start' | 'over-budget';

/** Verdict is how a decision fares in the world: fine, or failed for a cause, visible in the cluster or only to the team. */
export type Verdict = { ok: true } | { ok: false; cause: Cause; inCluster: boolean; hardBudgetBroken: boolean };

const MEMORY_GIB: Record<string, number> = {
  't3.micro': 1, 't3.small': 2, 't3.medium': 4, 't3.large': 8, 't3.xlarge': 16, 't3.2xlarge': 32, 'm5.large': 8, 'm5.xlarge': 16,
  'm5.2xlarge': 32, 'm5.4xlarge': 64, 'm6i.large': 8, 'm6i.xlarge': 16, 'm6i.2xlarge': 32, 'm6i.4xlarge': 64, 'c5.large': 4,
  'c5.xlarge': 8, 'c5.2xlarge': 16, 'c6i.large': 4, 'c6i.xlarge': 8, 'c6i.2xlarge': 16, 'r5.large': 16, 'r5.xlarge': 32,
  'r6i.large': 16, 'r6i.xlarge': 32, 'g4dn.xlarge': 16, 'g4dn.2xlarge': 32,
};

/**
 * capacityMb is the memory the app gets: a VM's memory less the OS's share, a
 * Kubernetes node's less the system pods' and a neighbour's, a Lambda's size.
 */
export function capacityMb(d: Decided): number {
  if (d.strategy === 'serverless') return Number(d.config['memoryMb'] ?? 512);
  const type = typeOf(d) ?? 't3.small';
  return (MEMORY_GIB[type] ?? 2) * 1024 * (d.strategy === 'vm' ? 0.85 : 0.6);
}

function typeOf(d: Decided): string | undefined {
  const t = d.config[d.strategy === 'vm' ? 'instanceType' : 'nodeInstanceType'];
  return typeof t === 'string' ? t : undefined;
}

function hasGpu(d: Decided): boolean {
  if (d.strategy === 'serverless') return false;
  return (typeOf(d) ?? '').startsWith('g');
}

/**
 * judge is the world's hidden rule book, checked in this order: a GPU app
 * without a GPU crashes; an app given less memory than it uses is killed;
 * websockets drop on Lambda; a latency-sensitive team rejects Lambda for an
 * app that starts slowly (over 1 s); a bill over the budget is rejected. Only
 * crashes show in the cluster; the rest only the team sees.
 */
export function judge(app: App, prompt: Prompt, d: Decided): Verdict {
  const hard = prompt.budget?.enforcementMode === 'hard' && d.costMonthly > prompt.budget.maxMonthlyCost;
  const fail = (cause: Cause, inCluster: boolean): Verdict => ({ ok: false, cause, inCluster, hardBudgetBroken: hard });
  if (app.hidden.gpu && !hasGpu(d)) return fail('no-gpu', d.strategy !== 'serverless');
  if (capacityMb(d) < app.hidden.memoryMb) return fail('out-of-memory', d.strategy !== 'serverless');
  if (app.hidden.websockets && d.strategy === 'serverless') return fail('websockets', false);
  if (prompt.latencySensitive && d.strategy === 'serverless' && app.hidden.coldStartMs > 1000) return fail('cold-start', false);
  if (prompt.budget !== undefined && d.costMonthly > prompt.budget.maxMonthlyCost) return fail('over-budget', false);
  return hard ? fail('over-budget', false) : { ok: true };
}

const COMMENTS: Record<Cause, readonly string[]> = {
  'out-of-memory': [
    'the app keeps getting OOMKilled under load',
    'ran out of memory and restarted every few minutes',
    'MemoryError in the logs, the process is killed',
    'crashes: memory limit exceeded',
  ],
  'no-gpu': [
    'CUDA error: no CUDA-capable device is detected',
    'torch cannot find a GPU, inference falls over',
    'model server exits: no NVIDIA driver found',
  ],
  websockets: [
    'websocket connections drop after a few seconds',
    'live updates never arrive, the socket keeps disconnecting',
    'clients cannot keep a websocket open on this',
  ],
  'cold-start': [
    'cold starts of several seconds, customers see timeouts',
    'first request after idle takes 6 s, way too slow',
    'latency spikes every time it scales from zero',
  ],
  'over-budget': [
    'the bill is far above what we agreed to spend',
    'too expensive for what it does',
    'costs more than our budget allows',
  ],
};

/** comment is what a team writes with its thumbs-down for a cause. */
export function comment(cause: Cause, r: Random): string {
  return r.pick(COMMENTS[cause]);
}

const TYPES = Object.keys(MEMORY_GIB);
const LAMBDA_MB = [512, 1024, 2048, 3008, 4096, 6144, 8192, 10240];

/**
 * fixable tells whether any decision at all passes the world's rules for an
 * app and a prompt: every instance type on one VM, on two Kubernetes nodes,
 * and every Lambda size, priced by `price`. Some requests cannot be met (a
 * GPU app on a $60 budget); the benchmark reports re-decisions over the
 * fixable ones apart.
 */
export function fixable(app: App, prompt: Prompt, price: (d: Omit<Decided, 'costMonthly'>) => number): boolean {
  const candidates: Omit<Decided, 'costMonthly'>[] = [
    ...TYPES.map((t) => ({ strategy: 'vm' as const, config: { instanceType: t, desiredCapacity: 1, minSize: 1, maxSize: 2 } })),
    ...TYPES.map((t) => ({ strategy: 'kubernetes' as const, config: { nodeInstanceType: t, desiredNodes: 2, minNodes: 2, maxNodes: 4, replicas: 2 } })),
    ...LAMBDA_MB.map((m) => ({ strategy: 'serverless' as const, config: { memoryMb: m, timeoutSeconds: 30 } })),
  ];
  return candidates.some((d) => judge(app, prompt, { ...d, costMonthly: price(d) }).ok);
}

/** Said is what the pipeline told the team about a request before anything ran. */
export interface Said {
  /** refused: a step returned a Fatal result (nothing was applied), with its message. */
  refused?: string;
  /** cannotFit: a result said no configuration that meets the app's needs fits the budget. */
  cannotFit: boolean;
}

/** CANNOT_FIT are the decider's words for a budget that nothing meeting the app's needs fits (soft: a Warning; hard: a Fatal). */
const CANNOT_FIT = [/no configuration that meets the app's floor fits the soft budget/, /cannot fit the hard budget/];

/** saidCannotFit tells whether any of `messages` says the budget cannot be met. */
export function saidCannotFit(messages: readonly string[]): boolean {
  return messages.some((m) => CANNOT_FIT.some((p) => p.test(m)));
}

/**
 * right scores one decision (or a refusal) of a request. A request some
 * decision can meet (see fixable) is right when the decision passes the
 * world's rules; refusing it is wrong. A request no decision can meet is
 * right when the pipeline says so before anything runs: it refuses (a hard
 * budget, nothing applied), or it warns that nothing meeting the app's needs
 * fits the budget and what it applies fails for its cost alone (it runs, the
 * team was told what it costs). Deploying something that crashes, or going
 * over the budget without a word, is wrong either way.
 */
export function right(verdict: Verdict | undefined, fixable: boolean, said: Said): boolean {
  if (fixable) return verdict?.ok === true;
  if (verdict === undefined) return said.refused !== undefined && saidCannotFit([said.refused]);
  return said.cannotFit && !verdict.ok && verdict.cause === 'over-budget';
}
