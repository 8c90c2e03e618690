import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { FunctionHealth } from './health-service.js';
import { GrpcStatus, StatusError } from './h2-wire.js';
import type { UnaryHandler } from './h2-server.js';

/** HEALTH_CHECK is the standard health service's unary method. */
export const HEALTH_CHECK = '/grpc.health.v1.Health/Check';

const SERVING_STATUS: Record<string, number> = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 };

type Check = (call: { request: { service: string } }, done: (err: { code?: number; details?: string } | null, value?: { status: string }) => void) => void;

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
      resolve(new BinaryWriter().uint32((1 << 3) | WireType.Varint).int32(SERVING_STATUS[value?.status ?? 'UNKNOWN'] ?? 0).finish());
    });
  });
}

function serviceOf(bytes: Uint8Array): string {
  try {
    const reader = new BinaryReader(bytes);
    let service = '';
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field === 1 && wire === WireType.LengthDelimited) service = reader.string();
      else reader.skip(wire);
    }
    return service;
  } catch (err) {
    throw new StatusError(GrpcStatus.INTERNAL, `cannot read the health check request: ${(err as Error).message}`);
  }
}
