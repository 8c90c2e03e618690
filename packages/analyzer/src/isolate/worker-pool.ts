import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** PoolResult is what a job in a worker answers, or why it has no answer. */
export type PoolResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** PoolOptions bound a WorkerPool. */
export interface PoolOptions {
  /** size is the most worker threads, hence jobs, running at once; later jobs wait their turn. */
  size: number;
  /** maxHeapMb caps each worker's JavaScript heap; a worker over it is stopped, not the process. */
  maxHeapMb: number;
}

interface Job {
  op: string;
  args: unknown;
  timeoutMs: number;
  done: (r: PoolResult<unknown>) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

/**
 * WorkerPool runs jobs in at most `size` worker threads, so CPU-heavy work on
 * untrusted input (inflating packs, scanning manifests) never blocks the event
 * loop that answers other requests. A job runs alone in its worker; one past
 * its deadline, or whose worker dies (out of memory, a crash), gets an error
 * result and its worker is terminated and replaced. Idle workers do not keep
 * the process alive. The worker module answers `{ id, result }` to each
 * `{ id, op, args }` message, `result` a PoolResult.
 */
export class WorkerPool {
  readonly #script: URL;
  readonly #opts: PoolOptions;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #next = 0;

  constructor(script: URL, opts: PoolOptions) {
    this.#script = script;
    this.#opts = opts;
  }

  /** run queues `op` and resolves with its result; it never rejects. */
  run<T>(op: string, args: unknown, timeoutMs: number): Promise<PoolResult<T>> {
    return new Promise((resolve) => {
      this.#queue.push({ op, args, timeoutMs, done: resolve as (r: PoolResult<unknown>) => void });
      this.#drain();
    });
  }

  /** warm starts a first worker, if none runs, so it has loaded its modules by the time a job comes. */
  warm(): void {
    if (this.#slots.length === 0) this.#spawn();
  }

  /** close terminates every worker; queued jobs get an error result. */
  async close(): Promise<void> {
    for (const job of this.#queue.splice(0)) job.done({ ok: false, error: 'the analysis workers were shut down' });
    await Promise.all(this.#slots.splice(0).map((s) => s.worker.terminate()));
  }

  #drain(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find((s) => !s.busy) ?? (this.#slots.length < this.#opts.size ? this.#spawn() : undefined);
      const job = slot === undefined ? undefined : this.#queue.shift();
      if (slot === undefined || job === undefined) return;
      this.#start(slot, job);
    }
  }

  #spawn(): Slot {
    const worker = new Worker(this.#script, { resourceLimits: { maxOldGenerationSizeMb: this.#opts.maxHeapMb } });
    worker.unref();
    const slot: Slot = { worker, busy: false };
    this.#slots.push(slot);
    return slot;
  }

  #start(slot: Slot, job: Job): void {
    const id = this.#next++;
    slot.busy = true;
    slot.worker.ref();
    let settled = false;
    const finish = (result: PoolResult<unknown>, broken: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      slot.worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (broken) this.#retire(slot);
      else {
        slot.busy = false;
        slot.worker.unref();
      }
      job.done(result);
      this.#drain();
    };
    const onMessage = (m: { id: number; result: PoolResult<unknown> }): void => {
      if (m.id === id) finish(m.result, false);
    };
    const onError = (err: Error): void => finish({ ok: false, error: `the analysis worker stopped: ${firstLine(err)}` }, true);
    const onExit = (code: number): void => finish({ ok: false, error: `the analysis worker exited with code ${code}` }, true);
    const timer = setTimeout(() => finish({ ok: false, error: `took longer than the ${job.timeoutMs} ms time cap` }, true), job.timeoutMs);
    slot.worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    slot.worker.postMessage({ id, op: job.op, args: job.args });
  }

  #retire(slot: Slot): void {
    const i = this.#slots.indexOf(slot);
    if (i >= 0) this.#slots.splice(i, 1);
    void slot.worker.terminate();
  }
}

/**
 * builtScript returns the URL of a compiled worker module `name` (a path
 * relative to `from`, ending in .js): beside `from` as compiled; from
 * TypeScript sources (a test runner compiling on the fly), the package's built
 * copy under dist/, which `tsc -b` writes (a worker thread cannot load
 * TypeScript); in a bundle, the same file name with .mjs beside the bundle.
 */
export function builtScript(name: string, from: string): URL {
  const here = new URL(name, from);
  const candidates = [here, new URL(here.href.replace(/\/src\/(?!.*\/src\/)/, '/dist/')), new URL(`./${(name.split('/').pop() ?? name).replace(/\.js$/, '.mjs')}`, from)];
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) throw new Error(`cannot start ${name}: none of ${candidates.map((c) => c.pathname).join(', ')} exists (build with npx tsc -b)`);
  return found;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split('\n')[0] ?? '').slice(0, 200);
}
