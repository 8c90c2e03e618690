import { LRUCache } from 'lru-cache';
import type { Result } from '@scia/api';

/** Raced is the outcome of waiting for work within a budget. */
export type Raced<T> = { done: true; value: T } | { done: false };

/** within waits for `work` at most `ms` milliseconds; the work goes on either way. */
export async function within<T>(work: Promise<T>, ms: number): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Raced<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, ms));
    timer.unref();
  });
  try {
    return await Promise.race([work.then((value): Raced<T> => ({ done: true, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * withinResult is `work`'s Result, or a failed one (`<who> did not answer
 * within <ms> ms`) once the budget has passed; the work goes on either way and
 * its late result is dropped.
 */
export async function withinResult<T>(work: Promise<Result<T>>, ms: number, who: string): Promise<Result<T>> {
  const raced = await within(work, ms);
  return raced.done ? raced.value : { ok: false, error: `${who} did not answer within ${ms} ms` };
}

/**
 * SingleFlight runs slow work keyed by its inputs, once per key at a time.
 * `run` joins the job already running for a key or starts one. `attempt` also
 * waits at most a budget: a job that outlives its caller keeps running and its
 * result is held (the `keep` most recent, least recently used dropped first)
 * for the next caller with that key, who takes it. Jobs should return results,
 * not reject; one that rejects keeps nothing, so the next call starts it again.
 */
export class SingleFlight {
  readonly #running = new Map<string, Promise<unknown>>();
  readonly #finished: LRUCache<string, { value: unknown }>;

  constructor(keep = 64) {
    this.#finished = new LRUCache({ max: Math.max(1, keep) });
  }

  /** run returns the job running for `key`, or starts `job`. */
  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key) as Promise<T> | undefined;
    if (running !== undefined) return running;
    const started = job();
    this.#running.set(key, started);
    const done = (): void => void this.#running.delete(key);
    started.then(done, done);
    return started;
  }

  /** attempt takes the held result for `key`, or joins or starts `job` and waits at most `ms` for it. */
  async attempt<T>(key: string, job: () => Promise<T>, ms: number): Promise<Raced<T>> {
    const held = this.#finished.get(key);
    if (held !== undefined) {
      this.#finished.delete(key);
      return { done: true, value: held.value as T };
    }
    const running = this.run(key, job);
    const raced = await within(running, ms);
    // The caller gives up waiting: hold the result for whoever asks next.
    if (!raced.done) running.then((value) => void this.#finished.set(key, { value }), () => undefined);
    return raced;
  }

  /** pending tells whether a job for `key` is running. */
  pending(key: string): boolean {
    return this.#running.has(key);
  }

  /** idle resolves once every job running now has settled. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }
}
