import { HEALTH_SERVICE, type FunctionHealth } from './health-service.js';
import type { WatchHandler } from './h2-frames-call.js';
import { GrpcStatus, StatusError } from './h2-wire.js';

/** HEALTH_WATCH is the standard health service's server-streaming method. */
export const HEALTH_WATCH = '/grpc.health.v1.Health/Watch';

type HealthCheckResponse = Parameters<typeof HEALTH_SERVICE.watch.responseSerialize>[0];
interface WatchCall {
  request: { service: string };
  write(value: HealthCheckResponse): boolean;
  on(event: 'cancelled', listener: () => void): WatchCall;
}
type Watch = (call: WatchCall) => void;

/**
 * healthWatch answers grpc.health.v1.Health/Watch from `health`'s own Watch
 * (taken through its public addToServer, as healthCheck takes Check): the
 * service's status at once, then at every change, until the call is stopped.
 * A request it cannot read is INTERNAL, as for Check.
 */
export function healthWatch(health: FunctionHealth): WatchHandler {
  let watch: Watch | undefined;
  health.addToServer({ addService: (_service, impl) => { watch = impl['watch'] as unknown as Watch; } });
  const found = watch;
  if (found === undefined) throw new Error('cannot serve health watches: the health implementation registered no Watch');
  return (bytes, send) => {
    const cancelled: (() => void)[] = [];
    let service: string;
    try {
      service = HEALTH_SERVICE.watch.requestDeserialize(bytes).service;
    } catch (err) {
      throw new StatusError(GrpcStatus.INTERNAL, `cannot read the health watch request: ${(err as Error).message}`);
    }
    const call: WatchCall = {
      request: { service },
      write: (value) => {
        send(HEALTH_SERVICE.watch.responseSerialize(value));
        return true;
      },
      on: (_event, listener) => {
        cancelled.push(listener);
        return call;
      },
    };
    found(call);
    return () => {
      for (const listener of cancelled) listener();
    };
  };
}
