import * as grpc from '@grpc/grpc-js';
import { FunctionHealth } from './health-service.js';
import { FUNCTION_SERVICE } from './server.js';

export { FunctionHealth, HEALTH_SERVICE, type HealthServer, type ServingStatus } from './health-service.js';

/**
 * newHealth is the health state of one function process: the server ('') and
 * the function service, both NOT_SERVING until the function server is bound
 * (startFunctionServer turns them SERVING, and back on shutdown).
 */
export function newHealth(): FunctionHealth {
  return new FunctionHealth({ '': 'NOT_SERVING', [FUNCTION_SERVICE]: 'NOT_SERVING' });
}

/** RunningHealthServer is the plaintext health listener. */
export interface RunningHealthServer {
  /** address is host:port with the port actually bound. */
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * serveHealth serves the standard gRPC health service (grpc.health.v1.Health,
 * Check and Watch) of `health` without TLS on `address` (host:port, port 0 for
 * an ephemeral one), resolving once bound. It exists because the function port
 * speaks mutual TLS only, which kubelet's `grpc` probe cannot: this port
 * answers probes and nothing else. Readiness is the function being built and
 * bound, never an optional dependency such as the deployment memory, whose
 * outage the steps already answer with Warnings.
 */
export async function serveHealth(health: FunctionHealth, address: string): Promise<RunningHealthServer> {
  const server = new grpc.Server();
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (err !== null) reject(new Error(`cannot listen for health checks on ${address}: ${err.message}`, { cause: err }));
      else resolve(bound);
    });
  });
  const host = address.slice(0, address.lastIndexOf(':'));
  return {
    address: `${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Watch streams never end by themselves: give them a moment, then force.
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
