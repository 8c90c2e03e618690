/**
 * PendingWork runs at most one job per key: a second caller for the same key
 * joins the running job instead of starting another. A finished job leaves the
 * table, so its result must be kept elsewhere (the decision cache).
 */
export class PendingWork<T> {
  readonly #running = new Map<string, Promise<T>>();

  /** run starts `job` for `key`, or returns the job already running for it. */
  run(key: string, job: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running !== undefined) return running;
    const started = job().finally(() => this.#running.delete(key));
    this.#running.set(key, started);
    return started;
  }

  /** has tells whether a job for `key` is running. */
  has(key: string): boolean {
    return this.#running.has(key);
  }

  /** idle resolves once every job running now has settled. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }
}

export type Raced<T> = { done: true; value: T } | { done: false };

/** within waits for `work` at most `ms` milliseconds; the work goes on either way. */
export async function within<T>(work: Promise<T>, ms: number): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Raced<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then((value): Raced<T> => ({ done: true, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
