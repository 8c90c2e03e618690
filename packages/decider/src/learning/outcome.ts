import type { Outcome, OutcomeEvidence, UnreadyResource } from '@scia/api';
import { excerpt } from '../excerpt.js';
import { classifyText } from './classify.js';

/** FAIL_AFTER_SECONDS: Ready (or Synced) False this long after a decision is a failed deployment. */
export const FAIL_AFTER_SECONDS = 900;

/** ObservedResource is one observed composed resource: its composition name, kind and status. */
export interface ObservedResource {
  name: string;
  kind?: string | undefined;
  status?: unknown;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** Judged is an observed deployment's outcome with its evidence, or undefined while it is still settling. */
export type Judged = { outcome: Outcome; reason?: string; evidence: OutcomeEvidence; since?: number } | undefined;

/**
 * judgeOutcome reads an XR's status and its composed resources. Ready True is
 * a success (degraded when Synced has been False for `failAfterSeconds`);
 * Ready or Synced False, or phase Failed, for `failAfterSeconds` is a failure.
 * Time counts from the condition's transition, or from
 * `status.deployment.decidedAt` when that is later: a new decision gets its
 * own time to come up. The evidence names every resource not ready, for how
 * long and why, the workload's state where provider-kubernetes reports it, and
 * the causes CAUSE_PATTERNS finds in all of it. `resources` is iterated only
 * for that evidence: a Ready deployment's resources are never read.
 * `decidedAt`, when given, stands for `status.deployment.decidedAt`.
 */
export function judgeOutcome(status: unknown, resources: Iterable<ObservedResource>, now: Date, failAfterSeconds: number, decidedAt?: string): Judged {
  const s = record(status);
  const at = decidedAt ?? record(s['deployment'])['decidedAt'];
  const decided = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  const conditions = readConditions(s['conditions']);
  const since = (c: Condition | undefined): number => Math.max(Date.parse(c?.lastTransitionTime ?? '') || Number.NaN, Number.isNaN(decided) ? -Infinity : decided);
  const stuck = (c: Condition | undefined): boolean => c?.status === 'False' && (now.getTime() - since(c)) / 1000 >= failAfterSeconds;
  const ready = conditions.find((c) => c.type === 'Ready');
  const synced = conditions.find((c) => c.type === 'Synced');
  const evidence = (extra?: string): OutcomeEvidence => evidenceOf(resources, now, decided, extra);
  if (ready?.status === 'True') {
    return stuck(synced) ? { outcome: 'degraded', reason: describe(synced), evidence: evidence(synced?.message) } : { outcome: 'success', evidence: { causes: [], unready: [] } };
  }
  const failedPhase = s['phase'] === 'Failed' && (ready === undefined || stuck({ ...ready, status: 'False' }));
  if (failedPhase || stuck(ready) || stuck(synced)) {
    const message = typeof s['message'] === 'string' && s['message'] !== '' ? s['message'] : undefined;
    const c = stuck(ready) ? ready : stuck(synced) ? synced : undefined;
    const reason = c === undefined ? (message ?? 'phase Failed') : describe(c);
    return { outcome: 'failed', reason, evidence: evidence(message), since: since(ready ?? synced) };
  }
  return undefined;
}

function evidenceOf(resources: Iterable<ObservedResource>, now: Date, decidedAt: number, extra?: string): OutcomeEvidence {
  const unready: UnreadyResource[] = [];
  const texts: string[] = extra === undefined ? [] : [extra];
  let workload: string | undefined;
  for (const r of [...resources].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const st = record(r.status);
    const conditions = readConditions(st['conditions']);
    const ready = conditions.find((c) => c.type === 'Ready');
    if (ready === undefined || ready.status === 'True') continue;
    const failed = conditions.find((c) => c.type === 'LastAsyncOperation' && c.status === 'False') ?? conditions.find((c) => c.type === 'Synced' && c.status === 'False') ?? ready;
    const from = Math.max(Date.parse(ready.lastTransitionTime ?? '') || now.getTime(), Number.isNaN(decidedAt) ? -Infinity : decidedAt);
    const state = workloadState(st);
    if (state !== undefined) workload = state;
    texts.push(failed.message ?? '', failed.reason ?? '', state ?? '');
    if (unready.length < 20) {
      unready.push({
        resource: r.name,
        ...(r.kind === undefined ? {} : { kind: r.kind }),
        ...(failed.reason === undefined ? {} : { reason: excerpt(failed.reason, 200) }),
        ...(failed.message === undefined ? {} : { message: excerpt(failed.message, 500) }),
        forSeconds: Math.max(0, Math.round((now.getTime() - from) / 1000)),
      });
    }
  }
  return { causes: classifyText(...texts), unready, ...(workload === undefined ? {} : { workload }) };
}

/** workloadState summarizes a provider-kubernetes Object's observed manifest status: its False conditions and unavailable replicas. */
function workloadState(status: Record<string, unknown>): string | undefined {
  const manifest = record(record(record(status['atProvider'])['manifest'])['status']);
  const conditions = readConditions(manifest['conditions']).filter((c) => c.status === 'False');
  const parts = conditions.map((c) => `${c.type} False${c.reason === undefined ? '' : ` (${c.reason})`}${c.message === undefined ? '' : `: ${c.message}`}`);
  const unavailable = manifest['unavailableReplicas'];
  if (typeof unavailable === 'number' && unavailable > 0) parts.push(`${unavailable} replica(s) unavailable`);
  return parts.length === 0 ? undefined : excerpt(parts.join('; '), 500);
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function readConditions(raw: unknown): Condition[] {
  if (!Array.isArray(raw)) return [];
  return (raw as unknown[]).filter(
    (c): c is Condition => typeof c === 'object' && c !== null && 'type' in c && typeof c.type === 'string' && 'status' in c && typeof c.status === 'string',
  );
}

function describe(c: Condition | undefined): string {
  if (c === undefined) return '';
  const head = `${c.type} ${c.status}${c.reason === undefined || c.reason === '' ? '' : ` (${c.reason})`}`;
  return excerpt(c.message === undefined || c.message === '' ? head : `${head}: ${c.message}`, 2000);
}
