import * as grpc from '@grpc/grpc-js';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';

/** RUN_FUNCTION_V1 and RUN_FUNCTION_V1BETA1 are the RunFunction methods; the messages are identical on the wire. */
export const RUN_FUNCTION_V1 = '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction';
export const RUN_FUNCTION_V1BETA1 = '/apiextensions.fn.proto.v1beta1.FunctionRunnerService/RunFunction';

/** RenderClient calls one function for a render, until a shared deadline. */
export interface RenderClient {
  run(req: RunFunctionRequest, deadline: number): Promise<RunFunctionResponse>;
  close(): void;
}

const serialize = (req: RunFunctionRequest): Buffer => Buffer.from(RunFunctionRequest.encode(req).finish());
const deserialize = (bytes: Buffer): RunFunctionResponse => RunFunctionResponse.decode(bytes);

/**
 * dialRender connects to a function in plaintext, as `crossplane render` does:
 * each call first waits for the server to be ready (until the deadline), calls
 * the v1 RunFunction and, when the server does not implement it, falls back
 * to v1beta1.
 */
export function dialRender(target: string): RenderClient {
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  const waitForReady = (deadline: number): Promise<void> =>
    new Promise((resolve, reject) => {
      client.waitForReady(new Date(deadline), (err) => {
        if (err !== undefined && err !== null) reject(new Error(`cannot reach function at ${target}: ${err.message}`, { cause: err }));
        else resolve();
      });
    });
  const call = (path: string, req: RunFunctionRequest, deadline: number): Promise<RunFunctionResponse> =>
    new Promise((resolve, reject) => {
      client.makeUnaryRequest(path, serialize, deserialize, req, new grpc.Metadata(), { deadline: new Date(deadline) }, (err, rsp) => {
        if (err !== null) reject(err);
        else if (rsp === undefined) reject(new Error('empty response'));
        else resolve(rsp);
      });
    });
  return {
    async run(req, deadline) {
      await waitForReady(deadline);
      try {
        return await call(RUN_FUNCTION_V1, req, deadline).catch((err: unknown) => {
          if (isStatus(err, grpc.status.UNIMPLEMENTED)) return call(RUN_FUNCTION_V1BETA1, req, deadline);
          throw err;
        });
      } catch (err) {
        throw new Error(`cannot run function at ${target}: ${describe(err)}`, { cause: err });
      }
    },
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
