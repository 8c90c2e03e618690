import { BinaryReader } from '@bufbuild/protobuf/wire';

/**
 * DEPTH_SCALE widens the SDK's protobuf decode limit. Its decoders (ts-proto)
 * refuse a message nested 100 deep, and every JSON level of a resource costs
 * three (Struct, field entry, Value): an object 32 levels deep, which the API
 * server accepts, could not be read. Counting one for every DEPTH_SCALE levels
 * lets ~130 JSON levels through and keeps the recursion bounded (400 frames).
 */
export const DEPTH_SCALE = 4;

/** MAX_JSON_DEPTH is about how deep a resource's JSON may nest before a request is refused. */
export const MAX_JSON_DEPTH = Math.floor((100 * DEPTH_SCALE) / 3);

/**
 * DeepReader is the BinaryReader requests and responses are decoded with.
 * ts-proto keeps its depth in `__tsProtoDecodeDepth`: it reads it, stores it
 * plus one on the way into a message and the value it read on the way out.
 * The accessor turns those writes into entering and leaving, and reports the
 * depth scaled down. `level` is the unscaled count of messages entered, which
 * the runtime's own codec (wire-decode.ts) sets before handing a field to an
 * SDK decoder.
 */
export class DeepReader extends BinaryReader {
  level = 0;

  get __tsProtoDecodeDepth(): number {
    return Math.floor(this.level / DEPTH_SCALE);
  }

  set __tsProtoDecodeDepth(v: number) {
    this.level += v > Math.floor(this.level / DEPTH_SCALE) ? 1 : -1;
  }
}
