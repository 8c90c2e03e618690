/** Deadline is one call's entry in CallDeadlines: drop it once the call ends. */
export interface Deadline {
  readonly at: number;
  readonly expire: () => void;
}

/**
 * CallDeadlines runs each call's `expire` once its deadline passes, from one
 * timer for all the calls of a server rather than a timer per call: the
 * timer is armed for the earliest deadline pending, so a call whose deadline
 * is later than one already armed costs a set insertion and a deletion. A
 * deadline fires no earlier than a per-call setTimeout of the same length
 * would; calls ended before their deadline (drop) never fire. The timer does
 * not keep the process alive.
 */
export class CallDeadlines {
  readonly #pending = new Set<Deadline>();
  #timer: NodeJS.Timeout | undefined;
  #armedAt = Number.POSITIVE_INFINITY;

  /** add runs `expire` in `ms` milliseconds unless the returned deadline is dropped first. */
  add(ms: number, expire: () => void): Deadline {
    const now = performance.now();
    const deadline: Deadline = { at: now + Math.max(0, ms), expire };
    this.#pending.add(deadline);
    if (deadline.at < this.#armedAt) this.#arm(deadline.at, now);
    return deadline;
  }

  /** drop forgets `deadline`: its call has ended. */
  drop(deadline: Deadline): void {
    this.#pending.delete(deadline);
  }

  /** size is how many deadlines are pending. */
  get size(): number {
    return this.#pending.size;
  }

  #arm(at: number, now: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(1, Math.ceil(at - now)));
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    const due: Deadline[] = [];
    for (const deadline of this.#pending) {
      if (deadline.at <= now) due.push(deadline);
      else if (deadline.at < next) next = deadline.at;
    }
    for (const deadline of due) this.#pending.delete(deadline);
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next, now);
    for (const deadline of due) deadline.expire();
  }
}
