import { LRUCache } from 'lru-cache';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { deepFreeze } from '@scia/api';
import { fieldAt, KeptJson, observedResources, untouchedEntry, untouchedResourceStructs, type JsonObject } from '@scia/runtime';
import { ATPROVIDER_READ, readObserved, type Observed } from './observed.js';

/** Part is what one call read from one part of an XR's request, that part's bytes kept to compare (a copy: the request's own are let go), and about how much memory both hold. */
interface Part {
  value: unknown;
  raw: KeptJson | KeptObserved | ByValue | Array<KeptJson | null>;
  size: number;
}

/** ByValue is a key compared by value (see ReadMemo.matched). */
class ByValue {
  constructor(readonly key: unknown) {}
}

/** ObservedBytes are, per observed composed resource, the bytes of what readObserved reads of it: status.conditions, and status.atProvider for a resource it copies facts from (null: absent). */
type ObservedBytes = Map<string, { conditions: Uint8Array | null; atProvider: Uint8Array | null }>;
/** KeptObserved are ObservedBytes kept to compare. */
type KeptObserved = Map<string, { conditions: KeptJson | null; atProvider: KeptJson | null }>;

/**
 * ReadMemo keeps, per XR, what the last call read and validated from each
 * part of its request (the claim's spec, a context value, the observed
 * composed resources) beside that part's bytes. A call whose part holds the
 * same JSON, whatever order Go wrote its map entries in (see KeptJson),
 * takes the kept result without decoding or validating the part again; any
 * other call reads it afresh and keeps that. Only a lazily decoded request
 * whose parts are still undecoded has bytes to compare: any other request is
 * read afresh every time. Results are shared by the calls that take them and
 * frozen: nothing may change them.
 */
export class ReadMemo {
  readonly #parts: LRUCache<string, Part>;

  constructor(maxBytes: number) {
    this.#parts = new LRUCache({ maxSize: Math.max(1, maxBytes), sizeCalculation: (p) => Math.max(1, p.size) });
  }

  /**
   * matched is `read()`, re-using the result `xr`'s last call had for `part`
   * when `same(key it had, key)`: `key` stands for everything `read` reads,
   * by value, and must not change after.
   */
  matched<K, T>(xr: string, part: string, key: K, same: (kept: K, now: K) => boolean, read: () => T): T {
    const id = `${xr}\n${part}`;
    const kept = this.#parts.get(id);
    if (kept !== undefined && kept.raw instanceof ByValue && same(kept.raw.key as K, key)) return kept.value as T;
    const value = deepFreeze(read());
    this.#parts.set(id, { value, raw: new ByValue(key), size: 1024 });
    return value;
  }

  /**
   * field is `read(holder[key])`, re-using the result `xr`'s last call had for
   * `part` when the field's bytes are the same. `read` must be pure: what it
   * returns depends on the value alone.
   */
  field<T>(xr: string, part: string, holder: JsonObject, key: string, read: (value: unknown) => T): T {
    const entry = untouchedEntry(holder, key);
    if (entry === undefined) return read(holder[key]);
    const id = `${xr}\n${part}`;
    const kept = this.#parts.get(id);
    if (kept !== undefined && kept.raw instanceof KeptJson && kept.raw.same(entry)) return kept.value as T;
    const value = deepFreeze(read(holder[key]));
    const raw = KeptJson.keep(entry, 'struct');
    // A result holds about as much again as the JSON it was read from, and its index as much.
    if (raw !== undefined) this.#parts.set(id, { value, raw, size: 6 * entry.length });
    return value;
  }

  /**
   * fieldsAt is `read()`, re-using the result `xr`'s last call had for `part`
   * when the Values at each of `paths` in `holder[key]` are the same (a path
   * missing on both counts as the same): `read` must read nothing else of
   * the field. Read afresh when the field has no bytes left, or fieldAt
   * cannot tell.
   */
  fieldsAt<T>(xr: string, part: string, holder: JsonObject, key: string, paths: readonly (readonly string[])[], read: () => T): T {
    const entry = untouchedEntry(holder, key);
    const now = entry === undefined ? undefined : paths.map((p) => fieldAt(entry, [key, ...p]));
    if (now === undefined || now.includes(undefined)) return read();
    const values = now as Array<Uint8Array | null>;
    const id = `${xr}\n${part}`;
    const kept = this.#parts.get(id);
    if (Array.isArray(kept?.raw) && kept.raw.every((k, i) => sameBytes(k, values[i] as Uint8Array | null))) return kept.value as T;
    const value = deepFreeze(read());
    const raw = values.map((v) => (v === null ? null : KeptJson.keep(v, 'value')));
    if (!raw.includes(undefined)) this.#parts.set(id, { value, raw: raw as Array<KeptJson | null>, size: 6 * values.reduce((n, v) => n + (v?.length ?? 0), 64) });
    return value;
  }

  /** observed is readObserved(observedResources(req)), re-using the result `xr`'s last call had when what it reads is the same. */
  observed(xr: string, req: RunFunctionRequest): Observed {
    // Read from the map's bytes, unbuilt: a request with no observed state has no resources.
    const structs = req.observed === undefined ? [] : untouchedResourceStructs(req.observed);
    if (structs === undefined) return readObserved(observedResources(req));
    const id = `${xr}\nobserved.resources`;
    const kept = this.#parts.get(id);
    if (kept?.raw instanceof Map && sameObserved(kept.raw, structs)) return kept.value as Observed;
    const bytes = observedBytes(structs);
    const read = deepFreeze(readObserved(observedResources(req)));
    const raw = bytes === undefined ? undefined : keepObserved(bytes);
    if (raw !== undefined) this.#parts.set(id, { value: read, raw: raw.kept, size: 6 * raw.size });
    return read;
  }
}

const CONDITIONS = ['status', 'conditions'];
const AT_PROVIDER = ['status', 'atProvider'];

/** observedBytes reads the bytes of what readObserved reads of each observed resource (its name and Struct), undefined when fieldAt cannot tell of some. */
function observedBytes(structs: ReadonlyArray<readonly [string, Uint8Array]>): ObservedBytes | undefined {
  const out: ObservedBytes = new Map();
  for (const [name, struct] of structs) {
    const conditions = fieldAt(struct, CONDITIONS);
    const atProvider = ATPROVIDER_READ.has(name) ? fieldAt(struct, AT_PROVIDER) : null;
    if (conditions === undefined || atProvider === undefined) return undefined;
    out.set(name, { conditions, atProvider });
  }
  return out;
}

function keepObserved(bytes: ObservedBytes): { kept: KeptObserved; size: number } | undefined {
  const kept: KeptObserved = new Map();
  let size = 0;
  for (const [name, b] of bytes) {
    const conditions = b.conditions === null ? null : KeptJson.keep(b.conditions, 'value');
    const atProvider = b.atProvider === null ? null : KeptJson.keep(b.atProvider, 'value');
    if (conditions === undefined || atProvider === undefined) return undefined;
    kept.set(name, { conditions, atProvider });
    size += (b.conditions?.length ?? 0) + (b.atProvider?.length ?? 0) + name.length;
  }
  return { kept, size };
}

/** sameObserved tells whether each observed resource (its name and Struct, each name once) holds what `kept` holds of it, and no other resource is kept. */
function sameObserved(kept: KeptObserved, structs: ReadonlyArray<readonly [string, Uint8Array]>): boolean {
  if (kept.size !== structs.length) return false;
  for (const [name, struct] of structs) {
    const k = kept.get(name);
    if (k === undefined) return false;
    const conditions = fieldAt(struct, CONDITIONS);
    if (conditions === undefined || !sameBytes(k.conditions, conditions)) return false;
    if (!ATPROVIDER_READ.has(name)) continue;
    const atProvider = fieldAt(struct, AT_PROVIDER);
    if (atProvider === undefined || !sameBytes(k.atProvider, atProvider)) return false;
  }
  return true;
}

function sameBytes(kept: KeptJson | null, now: Uint8Array | null): boolean {
  return kept === null || now === null ? kept === now : kept.same(now);
}
