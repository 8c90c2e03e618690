import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { Decision } from '@scia/api';

/** CachedDecision is a finished decision with the warnings reported when it was made. */
export const CachedDecision = z.object({ decision: Decision, warnings: z.array(z.string()) });
export type CachedDecision = z.infer<typeof CachedDecision>;

/**
 * DecisionCache keeps finished decisions by input hash, so that a restart or a
 * second replica never asks the model again for the same inputs.
 */
export interface DecisionCache {
  get(hash: string): Promise<CachedDecision | undefined>;
  put(hash: string, entry: CachedDecision): Promise<void>;
}

/** MemoryDecisionCache keeps the `maxEntries` most recently used decisions, in this process only. */
export class MemoryDecisionCache implements DecisionCache {
  readonly #entries: LRUCache<string, CachedDecision>;

  constructor(readonly maxEntries = 10_000) {
    this.#entries = new LRUCache({ max: maxEntries });
  }

  get(hash: string): Promise<CachedDecision | undefined> {
    return Promise.resolve(this.#entries.get(hash));
  }

  put(hash: string, entry: CachedDecision): Promise<void> {
    this.#entries.set(hash, entry);
    return Promise.resolve();
  }
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * FileDecisionCache keeps one JSON file per decision under `dir`, written
 * atomically (temp file, then rename) and validated when read back; a file that
 * no longer validates is a miss.
 */
export class FileDecisionCache implements DecisionCache {
  constructor(readonly dir: string) {}

  async get(hash: string): Promise<CachedDecision | undefined> {
    if (!HASH.test(hash)) return undefined;
    let text: string;
    try {
      text = await readFile(join(this.dir, `${hash}.json`), 'utf8');
    } catch {
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return undefined;
    }
    const parsed = CachedDecision.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  }

  async put(hash: string, entry: CachedDecision): Promise<void> {
    if (!HASH.test(hash)) throw new Error(`cannot cache decision: ${JSON.stringify(hash)} is not a sha256 hex digest`);
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${hash}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(entry)}\n`);
    await rename(tmp, file);
  }
}

/**
 * LayeredDecisionCache reads the fast layer first and fills it from the slow
 * one. A write goes to the slow layer first and the fast layer keeps what the
 * slow one holds afterwards, which may be another replica's decision.
 */
export class LayeredDecisionCache implements DecisionCache {
  constructor(readonly fast: DecisionCache, readonly slow: DecisionCache) {}

  async get(hash: string): Promise<CachedDecision | undefined> {
    const hit = await this.fast.get(hash);
    if (hit !== undefined) return hit;
    const slow = await this.slow.get(hash);
    if (slow !== undefined) await this.fast.put(hash, slow);
    return slow;
  }

  async put(hash: string, entry: CachedDecision): Promise<void> {
    await this.slow.put(hash, entry);
    await this.fast.put(hash, (await this.slow.get(hash)) ?? entry);
  }
}
