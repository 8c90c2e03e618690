import { isFrozenJson } from './frozen-json.js';
import { sizeStruct, writeStruct } from './wire-json-write.js';
import { WireWriter } from './wire-writer.js';

/** BYTES are the Struct fields of each frozen JSON object encoded so far; an object no one holds any more frees its bytes. */
const BYTES = new WeakMap<object, Uint8Array>();

/**
 * frozenStruct returns the bytes of `obj`'s fields as a google.protobuf.Struct
 * (as writeStruct writes them) when `obj` came from freezeJson, encoding it on
 * the first call only; undefined for any other object, which is walked afresh
 * on every encode since anyone may have changed it.
 */
export function frozenStruct(obj: object): Uint8Array | undefined {
  if (!isFrozenJson(obj)) return undefined;
  let bytes = BYTES.get(obj);
  if (bytes === undefined) {
    // A writer of its own: a frozen object may hold another, encoded on the way.
    const w = new WireWriter();
    w.reset();
    w.start(sizeStruct(w, obj));
    writeStruct(w, obj);
    bytes = w.finish();
    BYTES.set(obj, bytes);
  }
  return bytes;
}
