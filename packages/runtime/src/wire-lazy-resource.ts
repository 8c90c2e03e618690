import type { Resource } from '@crossplane-org/function-sdk-typescript';
import type { JsonObject } from '@scia/api';
import { RECURSION_LIMIT } from './wire-json.js';
import { nestsTooDeep } from './wire-depth.js';
import { lazyObject, mergedField } from './wire-lazy-object.js';
import { Stamp } from './lazy-fields.js';

/** LazyStruct stamps a Resource whose `resource` Struct is not decoded yet with its bytes and how deep they sit (see Stamp); the Resource stays a plain object, so its methods are static. */
class LazyStruct extends Stamp {
  #bytes: Uint8Array;
  #depth: number;
  /** #value is the Struct decoded, kept here only when the Resource cannot take it as a plain property (frozen or sealed). */
  #value: JsonObject | undefined;

  constructor(res: Resource, bytes: Uint8Array, depth: number) {
    super(res);
    this.#bytes = bytes;
    this.#depth = depth;
    this.#value = undefined;
  }

  /** holder finds the Resource whose own lazy `resource` is read through `receiver` (itself, or a prototype of it). */
  static holder(receiver: object): LazyStruct {
    for (let o: object | null = receiver; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      if (#bytes in o && Object.prototype.hasOwnProperty.call(o, 'resource')) return o;
    }
    throw new TypeError('cannot read resource: its accessor was moved off the Resource that decoded it');
  }

  /** untouched returns the Struct bytes of `res` while its `resource` is the lazy accessor, unread. */
  static untouched(res: object): Uint8Array | undefined {
    if (!(#bytes in res) || res.#value !== undefined) return undefined;
    return Object.getOwnPropertyDescriptor(res, 'resource')?.get === RESOURCE.get ? res.#bytes : undefined;
  }

  /** depthOf returns how deep the Struct of `res` sits, when untouched() returns its bytes. */
  static depthOf(res: object): number {
    return #depth in res ? res.#depth : 0;
  }

  /** read decodes the `resource` of `res` (a Resource holder returned) and makes it a plain property. */
  static read(res: LazyStruct): JsonObject {
    if (res.#value !== undefined) return res.#value;
    // Refused whole on first read, as the SDK's codec refuses the request, even when the deep part lies in a field never read.
    if (nestsTooDeep(res.#bytes, res.#depth)) throw new Error(RECURSION_LIMIT);
    const value = lazyObject(res.#bytes, res.#depth);
    // A frozen or sealed Resource keeps its accessor: the value is decoded once and kept here.
    if (!Reflect.defineProperty(res, 'resource', { value, writable: true, enumerable: true, configurable: true })) res.#value = value;
    return value;
  }
}

/** RESOURCE is the accessor every lazily decoded Resource shares: no closure per Resource, and one shape for all. */
const RESOURCE: PropertyDescriptor = {
  get(this: object): JsonObject {
    return LazyStruct.read(LazyStruct.holder(this));
  },
  set(this: object, value: unknown): void {
    // As assigning to a frozen object's field throws in strict code.
    if (!Reflect.defineProperty(LazyStruct.holder(this), 'resource', { value, writable: true, enumerable: true, configurable: true })) throw new TypeError('cannot assign to resource: the Resource is frozen or sealed');
  },
  enumerable: true,
  configurable: true,
};

/**
 * untouchedStruct returns the original Struct bytes of a Resource decoded by
 * decodeRequestLazy whose `resource` no one has read, written or deleted
 * since: those bytes are its value, and encodeResponse writes them back as
 * they came. Undefined for any other object.
 */
export function untouchedStruct(res: object): Uint8Array | undefined {
  return LazyStruct.untouched(res);
}

/**
 * withMergedField returns `{ ...res.resource, [key]: { ...res.resource[key], ...fields } }`
 * for a Resource whose `resource` no one has read (else undefined): its keys
 * and those of `key` are read from the bytes into new objects, every other
 * field staying undecoded (and written back as it came). The Resource itself
 * is left unread: the runtime merges on a step's behalf, the step reads nothing.
 */
export function withMergedField(res: object, key: string, fields: JsonObject): JsonObject | undefined {
  const bytes = LazyStruct.untouched(res);
  if (bytes === undefined) return undefined;
  try {
    const fresh = lazyObject(bytes, LazyStruct.depthOf(res));
    // A new object no one else holds: the field is replaced in its place (or added last), as a spread would.
    fresh[key] = mergedField(fresh, key, fields);
    return fresh;
  } catch {
    // Bytes a lazy object does not take: read as usual, which refuses what the SDK refuses.
    return undefined;
  }
}

/**
 * lazyResource is a Resource whose `resource` reads `bytes` on first read
 * (its keys; each value on its own first read, see lazyObject); a write
 * before any read replaces it undecoded. Bytes nested past the limit throw on
 * that first read (nestsTooDeep), which the server answers as it answers a
 * request refused at decoding. An observed resource no one reads is never
 * walked (it is not written back); a desired one, which goes back as it came
 * when unread, is checked at decoding (wire-state.ts), so nothing too deep
 * for a reader of the response is passed on, and no stack is at risk.
 */
export function lazyResource(bytes: Uint8Array, depth: number, connectionDetails: Record<string, Buffer>, ready: number): Resource {
  const res = {} as Resource;
  Object.defineProperty(res, 'resource', RESOURCE);
  res.connectionDetails = connectionDetails;
  res.ready = ready;
  new LazyStruct(res, bytes, depth);
  return res;
}
