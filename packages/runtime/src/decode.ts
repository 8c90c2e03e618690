import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { DeepReader, MAX_JSON_DEPTH } from './deep-reader.js';
import { decodeRequestLazy } from './wire-decode.js';
import { encodeResponse } from './wire-encode.js';
import { FunctionRunnerServiceService, RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';

export { MAX_JSON_DEPTH };

const failures = new WeakMap<RunFunctionRequest, string>();

/** TOO_DEEP is why a request nested past MAX_JSON_DEPTH is refused. */
export const TOO_DEEP = `its JSON nests deeper than the ${MAX_JSON_DEPTH} levels a function reads`;

/** WireCodec names how a server reads requests and writes responses: `lazy` (wire-decode.ts, wire-encode.ts, the default) or `sdk` (the SDK's ts-proto codec). */
export type WireCodec = 'sdk' | 'lazy';

export const WIRE_CODECS: readonly WireCodec[] = ['lazy', 'sdk'];

/** DEFAULT_WIRE_CODEC is the codec a server runs when none is named. */
export const DEFAULT_WIRE_CODEC: WireCodec = 'lazy';

/**
 * decodeRequest reads a RunFunctionRequest, with the SDK's decoder (`sdk`,
 * the default here) or the runtime's lazy one (`lazy`: see
 * decodeRequestLazy). One nested past even the widened limit is valid
 * protobuf the server will not walk: it comes back with only its meta.tag
 * (read on its own) and the reason, which undecodable() returns, so the
 * caller answers it with a result rather than gRPC INTERNAL. Bytes that are
 * not a RunFunctionRequest at all still throw.
 */
export function decodeRequest(bytes: Uint8Array, codec: WireCodec = 'sdk'): RunFunctionRequest {
  try {
    return codec === 'lazy' ? decodeRequestLazy(bytes) : RunFunctionRequest.decode(new DeepReader(bytes));
  } catch (err) {
    if (!(err instanceof Error) || !/recursion limit/.test(err.message)) throw err;
    return unreadable(tagOf(bytes));
  }
}

/** unreadable is the request that stands for one nested too deep to read: its tag, and why (see undecodable). */
export function unreadable(tag: string): RunFunctionRequest {
  const req = RunFunctionRequest.fromPartial({ meta: { tag } });
  failures.set(req, TOO_DEEP);
  return req;
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

const sdkSerialize = FunctionRunnerServiceService.runFunction.responseSerialize;

/** encodeResponseWith writes a RunFunctionResponse with `codec`'s encoder: the runtime's (encodeResponse) for `lazy`, the SDK's for `sdk`. */
export function encodeResponseWith(codec: WireCodec): (rsp: RunFunctionResponse) => Buffer {
  return codec === 'lazy' ? encodeResponse : sdkSerialize;
}

/**
 * functionServiceDefinition is the SDK's service definition with requests
 * read by decodeRequest and responses written by `codec`, and responses read
 * by decodeResponse (for clients).
 */
export function functionServiceDefinition(codec: WireCodec): typeof FunctionRunnerServiceService {
  return {
    ...FunctionRunnerServiceService,
    runFunction: {
      ...FunctionRunnerServiceService.runFunction,
      requestDeserialize: (value: Buffer): RunFunctionRequest => decodeRequest(value, codec),
      responseSerialize: encodeResponseWith(codec),
      responseDeserialize: (value: Buffer): RunFunctionResponse => decodeResponse(value),
    },
  };
}
