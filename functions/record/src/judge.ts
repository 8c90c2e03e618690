import type { Outcome } from '@scia/api';

/** Condition is a Crossplane status condition as it appears in the observed XR. */
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** Verdict is an observed deployment's outcome, or undefined while it is still settling. */
export type Verdict = { outcome: Outcome; reason?: string } | undefined;

/**
 * judge reads an XR's status: Ready True is a success (degraded when Synced has
 * been False for `failAfterSeconds`); Ready or Synced False for that long, or
 * phase Failed, is a failure with the condition's reason and message. Anything
 * younger is still settling.
 */
export function judge(status: unknown, now: Date, failAfterSeconds: number): Verdict {
  const s = typeof status === 'object' && status !== null ? (status as Record<string, unknown>) : {};
  const conditions = readConditions(s['conditions']);
  const ready = conditions.find((c) => c.type === 'Ready');
  const synced = conditions.find((c) => c.type === 'Synced');
  const stuck = (c: Condition | undefined): boolean => c?.status === 'False' && ageSeconds(c, now) >= failAfterSeconds;
  if (s['phase'] === 'Failed') return { outcome: 'failed', reason: typeof s['message'] === 'string' && s['message'] !== '' ? s['message'] : 'phase Failed' };
  if (ready?.status === 'True') return stuck(synced) ? { outcome: 'degraded', reason: describe(synced) } : { outcome: 'success' };
  if (stuck(ready)) return { outcome: 'failed', reason: describe(ready) };
  if (stuck(synced)) return { outcome: 'failed', reason: describe(synced) };
  return undefined;
}

function readConditions(raw: unknown): Condition[] {
  if (!Array.isArray(raw)) return [];
  return (raw as unknown[]).filter(
    (c): c is Condition => typeof c === 'object' && c !== null && 'type' in c && typeof c.type === 'string' && 'status' in c && typeof c.status === 'string',
  );
}

function ageSeconds(c: Condition, now: Date): number {
  const at = Date.parse(c.lastTransitionTime ?? '');
  // Without a transition time the condition's age is unknown: never old enough.
  return Number.isNaN(at) ? -1 : (now.getTime() - at) / 1000;
}

function describe(c: Condition | undefined): string {
  if (c === undefined) return '';
  const head = `${c.type} ${c.status}${c.reason === undefined || c.reason === '' ? '' : ` (${c.reason})`}`;
  return (c.message === undefined || c.message === '' ? head : `${head}: ${c.message}`).slice(0, 2000);
}
