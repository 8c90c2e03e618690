import type { HistoryEntry, Phase } from './types.js';
import { PHASES } from './types.js';

/** StepState is how one lifecycle step reads for a deployment in a given phase. */
export type StepState = 'done' | 'current' | 'todo' | 'failed';

export interface Step {
  phase: Phase;
  state: StepState;
}

const LIFECYCLE: readonly Phase[] = PHASES.filter((p) => p !== 'Failed');

/**
 * phaseSteps maps a phase onto the lifecycle Pending → Running. A Failed
 * deployment shows the step it failed at (the last phase its history reached
 * before Failed, else Pending) as failed; Running is itself done, not current.
 */
export function phaseSteps(phase: Phase | null, history: readonly HistoryEntry[] = []): Step[] {
  const at = phase === 'Failed' ? failedAt(history) : phase;
  const index = at === null ? -1 : LIFECYCLE.indexOf(at);
  return LIFECYCLE.map((p, i) => {
    if (i < index) return { phase: p, state: 'done' };
    if (i > index) return { phase: p, state: 'todo' };
    if (phase === 'Failed') return { phase: p, state: 'failed' };
    return { phase: p, state: p === 'Running' ? 'done' : 'current' };
  });
}

function failedAt(history: readonly HistoryEntry[]): Phase {
  for (const h of sortHistory(history).reverse()) {
    const p = phaseOf(h.event);
    if (p !== null && p !== 'Failed') return p;
  }
  return 'Pending';
}

/** phaseOf reads a phase from a history event's name (`Running`, `phase Provisioning`), if it names one. */
export function phaseOf(event: string): Phase | null {
  const lower = event.toLowerCase();
  for (const p of PHASES) if (lower.includes(p.toLowerCase())) return p;
  return null;
}

/** sortHistory orders entries oldest first; entries whose time cannot be read keep their place at the end. */
export function sortHistory(history: readonly HistoryEntry[]): HistoryEntry[] {
  const timed = history.filter((h) => !Number.isNaN(Date.parse(h.at)));
  const untimed = history.filter((h) => Number.isNaN(Date.parse(h.at)));
  return [...timed.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)), ...untimed];
}

/** Tone is how a timeline entry is marked: a failure, a success, or neither. */
export type Tone = 'bad' | 'good' | 'neutral';

/** toneOf marks history events and Kubernetes events that read as failures or successes. */
export function toneOf(event: string, type = 'Normal'): Tone {
  if (type === 'Warning' || /fail|error|exceed|denied|rollback/i.test(event)) return 'bad';
  if (/running|ready|success|decided|created/i.test(event)) return 'good';
  return 'neutral';
}
