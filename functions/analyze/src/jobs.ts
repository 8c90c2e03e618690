/** Raced is the outcome of waiting for work within a budget. */
export type Raced<T> = { done: true; value: T } | { done: false };

/**
 * Jobs runs background work keyed by its inputs: one job per key at a time;
 * a caller waits up to its budget, and a job that outlives it keeps running, its
 * result held (at most `keep` of them) for the next caller with the same key,
 * who takes it. Jobs must not reject: they return results.
 */
export class Jobs {
  readonly #running = new Map<string, Promise<unknown>>();
  readonly #finished = new Map<string, unknown>();
  readonly #joined = new Map<string, Promise<unknown>>();
  readonly #keep: number;

  constructor(keep = 64) {
    this.#keep = keep;
  }

  /** attempt takes the finished result for `key`, or joins or starts `job` and waits at most `ms` for it. */
  async attempt<T>(key: string, job: () => Promise<T>, ms: number): Promise<Raced<T>> {
    if (this.#finished.has(key)) {
      const value = this.#finished.get(key) as T;
      this.#finished.delete(key);
      return { done: true, value };
    }
    const running = (this.#running.get(key) as Promise<T> | undefined) ?? this.#start(key, job);
    const raced = await within(running, ms);
    if (raced.done) this.#finished.delete(key);
    return raced;
  }

  /** join returns the running job for `key`, or starts `job`; it waits for the end and keeps no result behind. */
  join<T>(key: string, job: () => Promise<T>): Promise<T> {
    const running = this.#joined.get(key) as Promise<T> | undefined;
    if (running !== undefined) return running;
    const started = job();
    this.#joined.set(key, started);
    started.then(() => this.#joined.delete(key), () => this.#joined.delete(key));
    return started;
  }

  /** pending tells whether a job for `key` is running. */
  pending(key: string): boolean {
    return this.#running.has(key);
  }

  /** idle resolves once every job running now has settled. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }

  #start<T>(key: string, job: () => Promise<T>): Promise<T> {
    const started = job();
    this.#running.set(key, started);
    // A job that throws (a bug, not an expected failure) keeps no result, so the next call retries it;
    // its caller, if still waiting, gets the rejection, and no rejection goes unhandled.
    started.then(
      (value) => {
        this.#running.delete(key);
        this.#finished.set(key, value);
        for (const old of this.#finished.keys()) {
          if (this.#finished.size <= this.#keep) break;
          this.#finished.delete(old);
        }
      },
      () => this.#running.delete(key),
    );
    return started;
  }
}

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
