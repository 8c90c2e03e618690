import type { BinaryReader } from '@bufbuild/protobuf/wire';
import type { JsonObject } from '@scia/api';

/**
 * Stamp's constructor returns the object it is given, so that a subclass's
 * private fields are added to that object: the runtime keeps a lazily
 * decoded object's undecoded bytes on the object itself, where no
 * Object.keys, spread, JSON.stringify, structuredClone or deep equality sees
 * them, and they go with it (no WeakMap entry to insert and collect per object).
 */
export class Stamp {
  constructor(target: object) {
    return target;
  }
}

/** LazyField is a field of a lazily decoded object whose value has not been read: where in `bytes` its whole Struct entry (written back as it came) and its Value lie. */
export interface LazyField {
  readonly bytes: Uint8Array;
  /** reader reads `bytes`, shared by the fields of one object to decode each (decoding is synchronous and never re-enters it). */
  readonly reader: BinaryReader;
  /** at and end bound the entry, tag and length included. */
  readonly at: number;
  readonly end: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** depth is how many messages deep the Value sits. */
  readonly depth: number;
  /** nest: an object value decodes to a lazy object itself (one level more). */
  readonly nest: boolean;
}

/** Decoder turns a field's bytes into its value, as the SDK would. */
export type Decoder = (field: LazyField) => unknown;

/** State is a lazy object's undecoded fields (a field leaves once read or written through its accessor) and their decoder. */
interface State {
  fields: Map<string, LazyField>;
  decode: Decoder;
  /** cached holds the values read from an object that cannot take a data property (frozen or sealed): decoded once, then kept. */
  cached?: Map<string, unknown>;
}

class LazyState extends Stamp {
  #state: State;

  constructor(obj: object, state: State) {
    super(obj);
    this.#state = state;
  }

  /** of returns the state stamped on `obj` itself, not on its prototypes. */
  static of(obj: unknown): State | undefined {
    return typeof obj === 'object' && obj !== null && #state in obj ? obj.#state : undefined;
  }
}

/** holderOf finds the object whose own lazy field `key` is read through `receiver` (itself, or a prototype of it). */
function holderOf(receiver: object, key: string): { obj: object; state: State } {
  for (let o: object | null = receiver; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const state = LazyState.of(o);
    if (state !== undefined && Object.prototype.hasOwnProperty.call(o, key)) return { obj: o, state };
  }
  throw new TypeError(`cannot read field ${key}: its accessor was moved off the object that decoded it`);
}

/** read decodes field `key` on its first read and makes it a plain property holding the value. */
function read(receiver: object, key: string): unknown {
  const { obj, state } = holderOf(receiver, key);
  if (state.cached?.has(key) === true) return state.cached.get(key);
  const field = state.fields.get(key);
  if (field === undefined) throw new TypeError(`cannot read field ${key}: it is not a lazily decoded field`);
  return settle(obj, state, key, state.decode(field));
}

function settle(obj: object, state: State, key: string, value: unknown): unknown {
  state.fields.delete(key);
  if (!Reflect.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true })) {
    // A frozen or sealed object keeps its accessor: the value is decoded once and kept here.
    (state.cached ??= new Map()).set(key, value);
  }
  return value;
}

/** ACCESSORS holds one accessor per field name, shared by every lazy object: no closure per field, and objects with the same fields share a shape. */
const ACCESSORS = new Map<string, PropertyDescriptor>();
/** MAX_ACCESSORS bounds ACCESSORS: past it, a name gets an accessor of its own each time. */
const MAX_ACCESSORS = 4096;

function accessorOf(key: string): PropertyDescriptor {
  let accessor = ACCESSORS.get(key);
  if (accessor !== undefined) return accessor;
  accessor = {
    get(this: object): unknown {
      return read(this, key);
    },
    set(this: object, value: unknown): void {
      const { obj, state } = holderOf(this, key);
      state.fields.delete(key);
      // As assigning to a frozen object's field throws in strict code.
      if (!Reflect.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true })) throw new TypeError(`cannot assign to field ${key}: the object is frozen or sealed`);
    },
    enumerable: true,
    configurable: true,
  };
  if (ACCESSORS.size < MAX_ACCESSORS) ACCESSORS.set(key, accessor);
  return accessor;
}

/**
 * dictionaryObject returns an empty plain object that V8 keeps in dictionary
 * mode, for keys that come in any order (Go shuffles map entries on every
 * call): in the default mode each new order builds hidden classes of its own,
 * and turning a lazy object's accessor into a value rebuilds them (measured
 * 1.4x dearer to read a request whole, bench/codec).
 */
export function dictionaryObject<T = unknown>(): Record<string, T> {
  const obj: Record<string, T> = { a: undefined as T, b: undefined as T };
  // Deleting a property that is not the last one added moves the object to dictionary mode.
  delete obj['a'];
  delete obj['b'];
  return obj;
}

/** LazyObjectBuilder makes an object whose fields decode on first read, in the order they are added. */
export class LazyObjectBuilder {
  readonly obj: JsonObject = dictionaryObject();
  readonly #fields = new Map<string, LazyField>();

  constructor(readonly decode: Decoder) {}

  /** get returns field `key` as added so far. */
  get(key: string): LazyField | undefined {
    return this.#fields.get(key);
  }

  /** add adds field `key` at the end, or gives a field added before its new bytes, keeping its place (as a repeated map key does). */
  add(key: string, field: LazyField): void {
    if (!this.#fields.has(key)) Object.defineProperty(this.obj, key, accessorOf(key));
    this.#fields.set(key, field);
  }

  /** has tells whether `key` was added or set so far. */
  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.obj, key);
  }

  /** set adds `key` at the end as a plain property holding `value`. */
  set(key: string, value: unknown): void {
    Object.defineProperty(this.obj, key, { value, writable: true, enumerable: true, configurable: true });
  }

  /** done stamps the fields on the object and returns it. */
  done(): JsonObject {
    new LazyState(this.obj, { fields: this.#fields, decode: this.decode });
    return this.obj;
  }
}

/**
 * untouchedEntry returns the original Struct entry bytes of field `key` of a
 * lazily decoded object while that field has not been read, written or
 * deleted: the encoder writes them as they came. Undefined otherwise.
 */
export function untouchedEntry(obj: object, key: string): Uint8Array | undefined {
  const field = untouchedField(obj, key);
  return field?.bytes.subarray(field.at, field.end);
}

/** untouchedField returns field `key` of a lazily decoded object while it has not been read, written or deleted (see untouchedEntry). */
export function untouchedField(obj: object, key: string): LazyField | undefined {
  const state = LazyState.of(obj);
  const field = state?.fields.get(key);
  if (field === undefined || state?.cached?.has(key) === true) return undefined;
  const shared = ACCESSORS.get(key);
  // A name past MAX_ACCESSORS has no shared accessor to recognise: its field counts as read (encoded from its value, decoded then).
  if (shared === undefined || Object.getOwnPropertyDescriptor(obj, key)?.get !== shared.get) return undefined;
  return field;
}

/** isLazyObject tells whether `obj` was decoded lazily (some fields may still be undecoded). */
export function isLazyObject(obj: unknown): obj is object {
  return LazyState.of(obj) !== undefined;
}

/**
 * withField returns `{ ...obj, [key]: value }` without reading `obj`: a field
 * of a lazily decoded object that is still undecoded stays so in the copy
 * (and is written back as it came), the others are copied as the spread
 * copies them. `obj` itself is left as it was.
 */
export function withField(obj: JsonObject, key: string, value: unknown): JsonObject {
  return withFields(obj, { [key]: value });
}

/**
 * withFields returns `{ ...obj, ...fields }` as withField does for one field:
 * keys in the spread's order (a field given takes the place `obj` has for it,
 * a new one comes last), fields of `obj` still undecoded staying so.
 */
export function withFields(obj: JsonObject, fields: JsonObject): JsonObject {
  const state = LazyState.of(obj);
  if (state === undefined) return { ...obj, ...fields };
  const copy = new LazyObjectBuilder(state.decode);
  const set = (k: string, value: unknown): void => {
    Object.defineProperty(copy.obj, k, { value, writable: true, enumerable: true, configurable: true });
  };
  const given = Object.keys(fields);
  for (const k of Object.keys(obj)) {
    if (given.includes(k)) {
      set(k, fields[k]);
      continue;
    }
    const field = untouchedEntry(obj, k) === undefined ? undefined : state.fields.get(k);
    if (field !== undefined) copy.add(k, field);
    else set(k, obj[k]);
  }
  for (const k of given) if (!Object.prototype.hasOwnProperty.call(copy.obj, k)) set(k, fields[k]);
  return copy.done();
}
