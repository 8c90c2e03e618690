import { HEALTH_SERVICE, type FunctionHealth } from './health-service.js';
import { GrpcStatus, StatusError } from './h2-wire.js';
import type { UnaryHandler } from './h2-server.js';

/** HEALTH_CHECK and HEALTH_LIST are the standard health service's unary methods. */
export const HEALTH_CHECK = '/grpc.health.v1.Health/Check';
export const HEALTH_LIST = '/grpc.health.v1.Health/List';

type HealthCheckResponse = Parameters<typeof HEALTH_SERVICE.check.responseSerialize>[0];
type Check = (call: { request: { service: string } }, done: (err: { code?: number; details?: string } | null, value?: HealthCheckResponse) => void) => void;

/**
 * healthCheck answers grpc.health.v1.Health/Check from `health`'s own Check
 * (taken through its public addToServer), so both transports report the same
 * state: HealthCheckRequest { string service = 1 } in, HealthCheckResponse
 * { ServingStatus status = 1 } out, NOT_FOUND for a service it does not know.
 */
export function healthCheck(health: FunctionHealth): UnaryHandler {
  let check: Check | undefined;
  health.addToServer({ addService: (_service, impl) => { check = impl['check'] as unknown as Check; } });
  const found = check;
  if (found === undefined) throw new Error('cannot serve health checks: the health implementation registered no Check');
  return (bytes) => new Promise((resolve, reject) => {
    found({ request: { service: serviceOf(bytes) } }, (err, value) => {
      if (err !== null) return reject(new StatusError(err.code ?? GrpcStatus.INTERNAL, err.details ?? 'health check failed'));
      resolve(HEALTH_SERVICE.check.responseSerialize(value ?? { status: 'UNKNOWN' }));
    });
  });
}

/** serviceOf reads the HealthCheckRequest's service name as the grpc-js transport does (HEALTH_SERVICE). */
function serviceOf(bytes: Uint8Array): string {
  try {
    return HEALTH_SERVICE.check.requestDeserialize(bytes).service;
  } catch (err) {
    throw new StatusError(GrpcStatus.INTERNAL, `cannot read the health check request: ${(err as Error).message}`);
  }
}

type ListResponse = Parameters<typeof HEALTH_SERVICE.list.responseSerialize>[0];
type List = (call: unknown, done: (err: { code?: number; details?: string } | null, value?: ListResponse) => void) => void;

/**
 * healthList answers grpc.health.v1.Health/List from `health`'s own List
 * (taken as healthCheck takes Check): HealthListRequest {} in,
 * HealthListResponse { map<string, HealthCheckResponse> statuses = 1 } out.
 */
export function healthList(health: FunctionHealth): UnaryHandler {
  let list: List | undefined;
  health.addToServer({ addService: (_service, impl) => { list = impl['list'] as unknown as List; } });
  const found = list;
  if (found === undefined) throw new Error('cannot serve health lists: the health implementation registered no List');
  return (bytes) => new Promise((resolve, reject) => {
    try {
      HEALTH_SERVICE.list.requestDeserialize(bytes);
    } catch (err) {
      throw new StatusError(GrpcStatus.INTERNAL, `cannot read the health list request: ${(err as Error).message}`);
    }
    found({}, (err, value) => {
      if (err !== null) return reject(new StatusError(err.code ?? GrpcStatus.INTERNAL, err.details ?? 'health list failed'));
      resolve(HEALTH_SERVICE.list.responseSerialize(value ?? { statuses: {} }));
    });
  });
}
