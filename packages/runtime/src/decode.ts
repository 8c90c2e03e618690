import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { FunctionRunnerServiceService, RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';

/**
 * DEPTH_SCALE widens the SDK's protobuf decode limit. Its decoders (ts-proto)
 * refuse a message nested 100 deep, and every JSON level of a resource costs
 * three (Struct, field entry, Value): an object 32 levels deep, which the API
 * server accepts, could not be read. Counting one for every DEPTH_SCALE levels
 * lets ~130 JSON levels through and keeps the recursion bounded (400 frames).
 */
const DEPTH_SCALE = 4;

/** MAX_JSON_DEPTH is about how deep a resource's JSON may nest before a request is refused. */
export const MAX_JSON_DEPTH = Math.floor((100 * DEPTH_SCALE) / 3);

/**
 * DeepReader is the BinaryReader the request is decoded with. ts-proto keeps
 * its depth in `__tsProtoDecodeDepth`: it reads it, stores it plus one on the
 * way into a message and the value it read on the way out. The accessor turns
 * those writes into entering and leaving, and reports the depth scaled down.
 */
class DeepReader extends BinaryReader {
  #depth = 0;

  get __tsProtoDecodeDepth(): number {
    return Math.floor(this.#depth / DEPTH_SCALE);
  }

  set __tsProtoDecodeDepth(v: number) {
    this.#depth += v > Math.floor(this.#depth / DEPTH_SCALE) ? 1 : -1;
  }
}

const failures = new WeakMap<RunFunctionRequest, string>();

/**
 * decodeRequest reads a RunFunctionRequest. One nested past even the widened
 * limit is valid protobuf the server will not walk: it comes back with only its
 * meta.tag (read on its own) and the reason, which undecodable() returns, so
 * the caller answers it with a result rather than gRPC INTERNAL. Bytes that
 * are not a RunFunctionRequest at all still throw.
 */
export function decodeRequest(bytes: Uint8Array): RunFunctionRequest {
  try {
    return RunFunctionRequest.decode(new DeepReader(bytes));
  } catch (err) {
    if (!(err instanceof Error) || !/recursion limit/.test(err.message)) throw err;
    const req = RunFunctionRequest.fromPartial({ meta: { tag: tagOf(bytes) } });
    failures.set(req, `its JSON nests deeper than the ${MAX_JSON_DEPTH} levels a function reads`);
    return req;
  }
}

/** undecodable returns why decodeRequest could not read `req`, or undefined when it could. */
export function undecodable(req: RunFunctionRequest): string | undefined {
  return failures.get(req);
}

/** tagOf reads only meta.tag (field 1, then its field 1) from an encoded request, skipping everything else unparsed. */
function tagOf(bytes: Uint8Array): string {
  try {
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field !== 1 || wire !== WireType.LengthDelimited) {
        reader.skip(wire);
        continue;
      }
      const meta = new BinaryReader(reader.bytes());
      while (meta.pos < meta.len) {
        const [f, w] = meta.tag();
        if (f === 1 && w === WireType.LengthDelimited) return meta.string();
        meta.skip(w);
      }
    }
  } catch {
    // A request too broken to find its tag is answered without one.
  }
  return '';
}

/** decodeResponse reads a RunFunctionResponse as deep as decodeRequest reads requests; it throws on one it cannot read. */
export function decodeResponse(bytes: Uint8Array): RunFunctionResponse {
  return RunFunctionResponse.decode(new DeepReader(bytes));
}

/**
 * FUNCTION_SERVICE_DEFINITION is the SDK's service definition with requests
 * read by decodeRequest and responses by decodeResponse, for servers and
 * clients alike.
 */
export const FUNCTION_SERVICE_DEFINITION = {
  ...FunctionRunnerServiceService,
  runFunction: {
    ...FunctionRunnerServiceService.runFunction,
    requestDeserialize: (value: Buffer): RunFunctionRequest => decodeRequest(value),
    responseDeserialize: (value: Buffer): RunFunctionResponse => decodeResponse(value),
  },
};
