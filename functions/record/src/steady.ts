import { LRUCache } from 'lru-cache';
import { fieldAt, freezeJson, KeptJson, untouchedEntry, type JsonObject } from '@scia/runtime';
import type { FeedbackAnnotations } from './feedback.js';
import type { SeenWrites } from './seen.js';

/**
 * STATUS_READ are the fields of the XR's status that a judgment and its
 * write's id read (the analysis and the spec are read only to write a row).
 */
const STATUS_READ: readonly (readonly string[])[] = [
  ['status', 'deployment'],
  ['status', 'outcome'],
  ['status', 'conditions'],
  ['status', 'phase'],
  ['status', 'message'],
  ['status', 'cost', 'estimatedMonthly'],
];

/** Inputs are what a call reads that decides its answer: the XR's key and tenant, its feedback annotations as they are, and the bytes of STATUS_READ (null: absent). */
export interface Inputs {
  xr: string;
  tenant: string;
  feedback: FeedbackAnnotations;
  status: Array<Uint8Array | null>;
}

/** Answer is a lasting answer kept: its inputs' bytes, the status.outcome it set (frozen), and the id of the write that holds it (none: nothing to write). */
interface Answer {
  tenant: string;
  feedback: FeedbackAnnotations;
  status: Array<KeptJson | null>;
  outcome: JsonObject;
  write: string | undefined;
  size: number;
}

/**
 * SteadyRecords keeps, per XR, the last answer whose judgment read neither
 * the clock nor the composed resources (a lasting one: Ready and Synced, or
 * still settling with nothing False) once the store held its write: a call
 * whose inputs are the same (status fields by their bytes, whatever order Go
 * wrote their map entries in, see KeptJson) gets the same `status.outcome`
 * without judging or naming its write again, while the memory of writes
 * still holds that write. Bounded by about the bytes it keeps.
 */
export class SteadyRecords {
  readonly #answers: LRUCache<string, Answer>;

  constructor(maxBytes = 16 << 20) {
    this.#answers = new LRUCache({ maxSize: Math.max(1, maxBytes), sizeCalculation: (a) => Math.max(1, a.size) });
  }

  /** inputs reads a call's inputs from the XR's status bytes (before anything reads status); undefined when status was read already, or has bytes fieldAt cannot tell of. */
  static inputs(xr: JsonObject, key: string, tenant: string, feedback: FeedbackAnnotations): Inputs | undefined {
    if (!plain(feedback.value) || !plain(feedback.comment)) return undefined;
    const entry = untouchedEntry(xr, 'status');
    if (entry === undefined) return undefined;
    const status: Array<Uint8Array | null> = [];
    for (const path of STATUS_READ) {
      const bytes = fieldAt(entry, path);
      if (bytes === undefined) return undefined;
      status.push(bytes);
    }
    return { xr: key, tenant, feedback, status };
  }

  /** answer returns the status.outcome kept for inputs the same as `now`, when `seen` still holds its write. */
  answer(now: Inputs, seen: SeenWrites): JsonObject | undefined {
    const kept = this.#answers.get(now.xr);
    if (kept === undefined || kept.tenant !== now.tenant || kept.feedback.value !== now.feedback.value || kept.feedback.comment !== now.feedback.comment) return undefined;
    for (let i = 0; i < kept.status.length; i++) {
      const k = kept.status[i];
      const b = now.status[i];
      if (k === null || k === undefined || b === null || b === undefined ? k !== b : !k.same(b)) return undefined;
    }
    return kept.write === undefined || seen.has(kept.write) ? kept.outcome : undefined;
  }

  /** keep keeps the lasting answer of a call: its status.outcome, and the write the store holds (none when it wrote nothing). */
  keep(inputs: Inputs, outcome: JsonObject, write: string | undefined): void {
    const status: Array<KeptJson | null> = [];
    let size = 256;
    for (const bytes of inputs.status) {
      const kept = bytes === null ? null : KeptJson.keep(bytes, 'value');
      if (kept === undefined) return;
      status.push(kept);
      size += 3 * (bytes?.length ?? 0);
    }
    this.#answers.set(inputs.xr, { tenant: inputs.tenant, feedback: inputs.feedback, status, outcome: freezeJson(outcome), write, size });
  }

  /** forget drops what is kept for XR `key` (its inputs changed and its answer is not a lasting one). */
  forget(key: string): void {
    this.#answers.delete(key);
  }
}

/** plain tells whether an annotation's value compares by value: a string, or absent. */
function plain(v: unknown): boolean {
  return v === undefined || typeof v === 'string';
}
