import { BinaryReader } from '@bufbuild/protobuf/wire';
import type { Resource, State } from '@crossplane-org/function-sdk-typescript';
import { enter, readStruct, RECURSION_LIMIT } from './wire-json.js';
import { nestsTooDeep } from './wire-depth.js';
import { lazyResource } from './wire-lazy-resource.js';
import { dictionaryObject, Stamp } from './lazy-fields.js';
import { passBack } from './wire-state-raw.js';

/** LazyResources stamps a State whose `resources` map is not read yet with the bytes of its fields and how deep they sit (see Stamp). */
class LazyResources extends Stamp {
  #bytes: Uint8Array;
  #depth: number;
  /** #value is the map read, kept here only when the State cannot take it as a plain property (frozen or sealed). */
  #value: Record<string, Resource> | undefined;
  /** #raw are the map's entries as they came, when the encoder may write them so while the map is unread (passBack). */
  #raw: Uint8Array | undefined;

  constructor(state: State, bytes: Uint8Array, depth: number, raw: Uint8Array | undefined) {
    super(state);
    this.#bytes = bytes;
    this.#depth = depth;
    this.#value = undefined;
    this.#raw = raw;
  }

  /** untouched returns the map entries of `state` as they came while its `resources` is the lazy accessor, unread (and they qualify). */
  static untouched(state: object): Uint8Array | undefined {
    if (!(#bytes in state) || state.#raw === undefined || state.#value !== undefined) return undefined;
    return Object.getOwnPropertyDescriptor(state, 'resources')?.get === RESOURCES.get ? state.#raw : undefined;
  }

  /** fields returns the fields of `state` as they came (composite and map entries) while its `resources` is the lazy accessor, unread. */
  static fields(state: object): Uint8Array | undefined {
    if (!(#bytes in state) || state.#value !== undefined) return undefined;
    return Object.getOwnPropertyDescriptor(state, 'resources')?.get === RESOURCES.get ? state.#bytes : undefined;
  }

  /** holder finds the State whose own lazy `resources` is read through `receiver` (itself, or a prototype of it). */
  static holder(receiver: object): LazyResources {
    for (let o: object | null = receiver; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      if (#bytes in o && Object.prototype.hasOwnProperty.call(o, 'resources')) return o;
    }
    throw new TypeError('cannot read resources: its accessor was moved off the State that decoded it');
  }

  /** read reads the map of `state` (a State holder returned), walking its fields again as readState did, and makes it a plain property. */
  static read(state: LazyResources): Record<string, Resource> {
    if (state.#value !== undefined) return state.#value;
    const value = walkState(new BinaryReader(state.#bytes), state.#bytes.length, state.#depth, true, false).resources;
    if (!Reflect.defineProperty(state, 'resources', { value, writable: true, enumerable: true, configurable: true })) state.#value = value;
    return value;
  }
}

/** RESOURCES is the accessor every State read with a lazy map shares. */
const RESOURCES: PropertyDescriptor = {
  get(this: object): Record<string, Resource> {
    return LazyResources.read(LazyResources.holder(this));
  },
  set(this: object, value: unknown): void {
    if (!Reflect.defineProperty(LazyResources.holder(this), 'resources', { value, writable: true, enumerable: true, configurable: true })) throw new TypeError('cannot assign to resources: the State is frozen or sealed');
  },
  enumerable: true,
  configurable: true,
};

/**
 * readState reads a State (at `r`, in `bytes`) as the SDK's decoder does,
 * but for its composed resources: they are only walked (every header the
 * SDK's decoder reads, nothing built, so the same bytes are refused now) and
 * the map is built on first read of `resources`. A step that reads only the
 * composite, as most do of the observed state, does not pay for 28 composed
 * resources; the desired ones, unread, go back as they came (untouchedResources).
 */
export function readState(r: BinaryReader, bytes: Uint8Array, len: number, depth: number, lazyMap: 'observed' | 'desired'): State {
  const start = r.pos;
  // Desired resources go back as they came when unread: checked for depth now, as the SDK's codec checks them, so nothing too deep for a reader of the response is passed back.
  const state = walkState(r, len, depth, false, lazyMap === 'desired');
  const fields = bytes.subarray(start, r.pos);
  Object.defineProperty(state, 'resources', RESOURCES);
  new LazyResources(state, fields, depth, lazyMap === 'desired' ? passBack(fields) : undefined);
  return state;
}

/**
 * untouchedResources returns the map entries of a desired State decoded by
 * decodeRequestLazy whose `resources` no one has read or written since, when
 * they are the bytes the encoder would write for them (passBack): the
 * encoder writes them back as they came. Undefined for any other object.
 */
export function untouchedResources(state: object): Uint8Array | undefined {
  return LazyResources.untouched(state);
}

/**
 * unreadStateFields returns the fields of a State decoded by
 * decodeRequestLazy (its composite and its map entries, as they came) while
 * no one has read or written its `resources`; undefined for any other object.
 * See untouchedResourceStructs, which reads the map's Structs from them.
 */
export function unreadStateFields(state: object): Uint8Array | undefined {
  return LazyResources.fields(state);
}

/** resourcesUnread tells whether `state`'s map is still the lazy accessor, unread (a read would build it). */
export function resourcesUnread(state: object): boolean {
  return Object.getOwnPropertyDescriptor(state, 'resources')?.get === RESOURCES.get;
}

const UNREAD: Record<string, Resource> = Object.freeze({});

/** walkState reads a State's fields, building its map of composed resources when `build` (else only walking them); with `deep`, every resource's Struct is checked for its depth (nestsTooDeep). */
function walkState(r: BinaryReader, len: number, depth: number, build: boolean, deep: boolean): State {
  enter(depth);
  const end = r.pos + len;
  // Walking only, the map is left to the accessor readState puts in its place.
  const state: State = { composite: undefined, resources: build ? dictionaryObject<Resource>() : UNREAD };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) {
      state.composite = readResource(r, r.uint32(), depth + 1, true, deep);
      continue;
    }
    if (tag === 18) {
      const entry = readResourcesEntry(r, r.uint32(), depth + 1, build, deep);
      if (entry !== undefined && entry.value !== undefined) state.resources[entry.key] = entry.value;
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  return state;
}

/** readResourcesEntry reads one entry of a State's map; without `build` it only walks it (undefined). */
function readResourcesEntry(r: BinaryReader, len: number, depth: number, build: boolean, deep: boolean): { key: string; value: Resource | undefined } | undefined {
  enter(depth);
  const end = r.pos + len;
  let key = '';
  let value: Resource | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) {
      if (build) key = r.string();
      else r.skip(2);
      continue;
    }
    if (tag === 18) {
      value = readResource(r, r.uint32(), depth + 1, build, deep);
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  return build ? { key, value } : undefined;
}

/** readResource reads a Resource; without `build` it only walks it (undefined), reading through what the SDK's decoder would refuse. */
function readResource(r: BinaryReader, len: number, depth: number, build: boolean, deep: boolean): Resource | undefined {
  enter(depth);
  const end = r.pos + len;
  const connectionDetails: Record<string, Buffer> | undefined = build ? {} : undefined;
  let ready = 0;
  let struct: Uint8Array | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10) {
      // An earlier Struct for the same field is still read through, so that bytes the SDK refuses are refused here too.
      if (struct !== undefined) readStruct(new BinaryReader(struct), struct.length, depth + 1);
      struct = r.bytes();
      continue;
    }
    if (tag === 18) {
      readConnectionDetail(r, r.uint32(), depth + 1, connectionDetails);
      continue;
    }
    if (tag === 24) {
      ready = r.int32();
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  if (deep && struct !== undefined && nestsTooDeep(struct, depth + 1)) throw new Error(RECURSION_LIMIT);
  if (connectionDetails === undefined) return undefined;
  if (struct !== undefined) return lazyResource(struct, depth + 1, connectionDetails, ready);
  return { resource: undefined, connectionDetails, ready };
}

/** readConnectionDetail reads one connection detail into `into`; with none, it only walks it. */
function readConnectionDetail(r: BinaryReader, len: number, depth: number, into: Record<string, Buffer> | undefined): void {
  enter(depth);
  const end = r.pos + len;
  let key = '';
  let value: Buffer | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === 10 && into !== undefined) {
      key = r.string();
      continue;
    }
    if (tag === 18 && into !== undefined) {
      value = Buffer.from(r.bytes());
      continue;
    }
    if ((tag & 7) === 4 || tag === 0) break;
    r.skip(tag & 7);
  }
  if (into !== undefined) into[key] = value ?? Buffer.alloc(0);
}
