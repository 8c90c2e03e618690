import * as grpc from '@grpc/grpc-js';
import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { FUNCTION_SERVICE_DEFINITION } from './decode.js';

const ClientConstructor = grpc.makeGenericClientConstructor(FUNCTION_SERVICE_DEFINITION, 'FunctionRunnerService');

/** FunctionClient calls one function's RunFunction over gRPC. */
export interface FunctionClient {
  run(req: RunFunctionRequest, timeoutMs?: number): Promise<RunFunctionResponse>;
  /** waitForReady resolves once the server answers, or rejects after timeoutMs. */
  waitForReady(timeoutMs: number): Promise<void>;
  close(): void;
}

/** dialFunction connects to a function at `target` (host:port). */
export function dialFunction(target: string, credentials = grpc.credentials.createInsecure()): FunctionClient {
  const client = new ClientConstructor(target, credentials, { 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  return {
    run: (req, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const deadline = new Date(Date.now() + timeoutMs);
        const method = client['runFunction'] as (
          r: RunFunctionRequest,
          m: grpc.Metadata,
          o: grpc.CallOptions,
          cb: (err: grpc.ServiceError | null, rsp?: RunFunctionResponse) => void,
        ) => void;
        method.call(client, req, new grpc.Metadata(), { deadline }, (err, rsp) => {
          if (err !== null) reject(new Error(`cannot run function at ${target}: ${err.details || err.message}`, { cause: err }));
          else if (rsp === undefined) reject(new Error(`cannot run function at ${target}: empty response`));
          else resolve(rsp);
        });
      }),
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
