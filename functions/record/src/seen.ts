import { LRUCache } from 'lru-cache';

/**
 * SeenWrites remembers the writes this process made, so that a reconcile that
 * would write the same thing again costs no database round trip. Bounded: past
 * `capacity` the least recently used are forgotten (the store's upserts stay
 * idempotent anyway), never all at once.
 */
export class SeenWrites {
  readonly #keys: LRUCache<string, true>;

  constructor(readonly capacity = 10_000) {
    this.#keys = new LRUCache({ max: capacity });
  }

  has(key: string): boolean {
    return this.#keys.get(key) === true;
  }

  add(key: string): void {
    this.#keys.set(key, true);
  }
}
