/**
 * SeenWrites remembers the writes this process made, so that a reconcile that
 * would write the same thing again costs no database round trip. Bounded: it
 * forgets everything when full (the store's upserts stay idempotent anyway).
 */
export class SeenWrites {
  readonly #keys = new Set<string>();
  constructor(readonly capacity = 10_000) {}

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  add(key: string): void {
    if (this.#keys.size >= this.capacity) this.#keys.clear();
    this.#keys.add(key);
  }
}
