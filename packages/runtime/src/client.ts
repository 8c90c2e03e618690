import * as grpc from '@grpc/grpc-js';
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { decodeResponse } from './decode.js';

/** RUN_FUNCTION_V1 and RUN_FUNCTION_V1BETA1 are the RunFunction methods; their messages are identical on the wire. */
export const RUN_FUNCTION_V1 = '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction';
export const RUN_FUNCTION_V1BETA1 = '/apiextensions.fn.proto.v1beta1.FunctionRunnerService/RunFunction';

/** FunctionClient calls one function's RunFunction over gRPC. */
export interface FunctionClient {
  run(req: RunFunctionRequest, timeoutMs?: number): Promise<RunFunctionResponse>;
  /** waitForReady resolves once the server answers, or rejects after timeoutMs. */
  waitForReady(timeoutMs: number): Promise<void>;
  close(): void;
}

const serialize = (req: RunFunctionRequest): Buffer => Buffer.from(RunFunctionRequest.encode(req).finish());
// Responses are read as deep as the server reads requests (see decode.ts).
const deserialize = (bytes: Buffer): RunFunctionResponse => decodeResponse(bytes);

/**
 * dialFunction connects to a function at `target` (a gRPC target such as
 * host:port). `run` calls the v1 RunFunction and, when the server does not
 * implement it, the v1beta1 one, as Crossplane does for older functions.
 * Failures read `cannot run function at <target>: <gRPC details>`.
 */
export function dialFunction(target: string, credentials = grpc.credentials.createInsecure()): FunctionClient {
  const client = new grpc.Client(target, credentials, { 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  const call = (path: string, req: RunFunctionRequest, deadline: Date): Promise<RunFunctionResponse> =>
    new Promise((resolve, reject) => {
      client.makeUnaryRequest(path, serialize, deserialize, req, new grpc.Metadata(), { deadline }, (err, rsp) => {
        if (err !== null) reject(err);
        else if (rsp === undefined) reject(new Error('empty response'));
        else resolve(rsp);
      });
    });
  return {
    async run(req, timeoutMs = 60_000) {
      const deadline = new Date(Date.now() + timeoutMs);
      try {
        return await call(RUN_FUNCTION_V1, req, deadline).catch((err: unknown) => {
          if (isStatus(err, grpc.status.UNIMPLEMENTED)) return call(RUN_FUNCTION_V1BETA1, req, deadline);
          throw err;
        });
      } catch (err) {
        throw new Error(`cannot run function at ${target}: ${describe(err)}`, { cause: err });
      }
    },
    waitForReady: (timeoutMs) =>
      new Promise((resolve, reject) => {
        client.waitForReady(new Date(Date.now() + timeoutMs), (err) => {
          if (err !== undefined && err !== null) reject(new Error(`cannot reach function at ${target}: ${err.message}`, { cause: err }));
          else resolve();
        });
      }),
    close: () => client.close(),
  };
}

/** describe is a gRPC error's details, or any error's message. */
function describe(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'details' in err && typeof err.details === 'string' && err.details !== '') return err.details;
  return err instanceof Error ? err.message : String(err);
}

function isStatus(err: unknown, code: grpc.status): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === code;
}
