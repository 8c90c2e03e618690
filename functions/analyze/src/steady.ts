import type { Analysis } from '@scia/api';
import { contentHash, fieldAt, KeptJson, untouchedEntry, type JsonObject } from '@scia/runtime/step';

/** Inputs are the bytes of the claim's spec.repository and of the pinned status.analysis, as a call found them. */
export interface Inputs {
  repository: Uint8Array;
  analysis: Uint8Array;
  hash: number;
}

/** Kept is a pinned analysis a call reused, with its inputs' bytes and the times (ms since the epoch) it may be reused in, [from, until). */
interface Kept {
  repository: KeptJson;
  analysis: KeptJson;
  pinned: Analysis;
  from: number;
  until: number;
}

/**
 * SteadyAnalyses keeps the pinned analyses calls reused with no network (the
 * claim names no Secret, the pin is of its repository and still fresh), by
 * the bytes of spec.repository and status.analysis: a call whose two fields
 * hold the same JSON (whatever order Go wrote their map entries in, see
 * KeptJson), within the pin's freshness, reuses the same pinned analysis
 * without parsing or checking either again. Bounded: the least recently
 * used go first.
 */
export class SteadyAnalyses {
  readonly #kept = new Map<number, Kept>();

  constructor(private readonly max = 256) {}

  /** inputs reads a call's inputs from the XR's bytes (before anything reads spec or status); undefined when either was read already, is absent, or has bytes fieldAt cannot tell of. */
  static inputs(xr: JsonObject): Inputs | undefined {
    const spec = untouchedEntry(xr, 'spec');
    const status = untouchedEntry(xr, 'status');
    if (spec === undefined || status === undefined) return undefined;
    const repository = fieldAt(spec, REPOSITORY);
    const analysis = fieldAt(status, ANALYSIS);
    const hash = repository === undefined || repository === null ? undefined : contentHash(repository);
    if (hash === undefined || analysis === undefined || analysis === null) return undefined;
    return { repository: repository as Uint8Array, analysis, hash };
  }

  /** answer returns the pinned analysis kept for inputs the same as `now`'s, while `at` (ms since the epoch) is within its freshness. */
  answer(now: Inputs, at: number): Analysis | undefined {
    const kept = this.#kept.get(now.hash);
    if (kept === undefined || at < kept.from || at >= kept.until || !kept.repository.same(now.repository) || !kept.analysis.same(now.analysis)) return undefined;
    this.#kept.delete(now.hash);
    this.#kept.set(now.hash, kept);
    return kept.pinned;
  }

  /** keep keeps `pinned` (frozen), reused by a call of these inputs, fresh in [from, until). */
  keep(inputs: Inputs, pinned: Analysis, from: number, until: number): void {
    const repository = KeptJson.keep(inputs.repository, 'value');
    const analysis = KeptJson.keep(inputs.analysis, 'value');
    if (repository === undefined || analysis === undefined || !(from < until)) return;
    this.#kept.delete(inputs.hash);
    this.#kept.set(inputs.hash, { repository, analysis, pinned, from, until });
    if (this.#kept.size > this.max) this.#kept.delete(this.#kept.keys().next().value as number);
  }
}

const REPOSITORY = ['spec', 'repository'];
const ANALYSIS = ['status', 'analysis'];
