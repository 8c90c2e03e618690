import type * as grpc from '@grpc/grpc-js';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/** ServingStatus is a service's state in grpc.health.v1 (SERVICE_UNKNOWN is only ever answered, never set). */
export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING';

/** HealthCheckRequest and HealthCheckResponse are grpc.health.v1's messages, the status by its enum name. */
interface HealthCheckRequest {
  service: string;
}
interface HealthCheckResponse {
  status: ServingStatus | 'SERVICE_UNKNOWN';
}

const STATUS_NUMBERS: Record<HealthCheckResponse['status'], number> = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 };
const STATUS_NAMES = Object.fromEntries(Object.entries(STATUS_NUMBERS).map(([k, v]) => [v, k])) as Record<number, HealthCheckResponse['status']>;

// Both messages hold one field numbered 1: the request's service name (string), the response's status (enum).
const writeRequest = (m: HealthCheckRequest): Buffer => Buffer.from(new BinaryWriter().uint32((1 << 3) | WireType.LengthDelimited).string(m.service).finish());
const writeResponse = (m: HealthCheckResponse): Buffer => Buffer.from(new BinaryWriter().uint32((1 << 3) | WireType.Varint).int32(STATUS_NUMBERS[m.status]).finish());

function readRequest(bytes: Uint8Array): HealthCheckRequest {
  const reader = new BinaryReader(bytes);
  let service = '';
  while (reader.pos < reader.len) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === WireType.LengthDelimited) service = reader.string();
    else reader.skip(wire);
  }
  return { service };
}

function readResponse(bytes: Buffer): HealthCheckResponse {
  const reader = new BinaryReader(bytes);
  let status: HealthCheckResponse['status'] = 'UNKNOWN';
  while (reader.pos < reader.len) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === WireType.Varint) status = STATUS_NAMES[reader.int32()] ?? 'UNKNOWN';
    else reader.skip(wire);
  }
  return { status };
}

/** HealthListResponse is grpc.health.v1's answer to List: every service's status, in the order each was first set. */
interface HealthListResponse {
  statuses: Record<string, HealthCheckResponse>;
}

// HealthListRequest has no fields (any sent are skipped); HealthListResponse is a map<string, HealthCheckResponse> numbered 1.
const readListRequest = (bytes: Uint8Array): Record<string, never> => {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) reader.skip(reader.tag()[1]);
  return {};
};
const writeListRequest = (): Buffer => Buffer.alloc(0);

function writeListResponse(m: HealthListResponse): Buffer {
  const writer = new BinaryWriter();
  for (const [service, { status }] of Object.entries(m.statuses)) {
    writer.uint32((1 << 3) | WireType.LengthDelimited).fork();
    writer.uint32((1 << 3) | WireType.LengthDelimited).string(service);
    writer.uint32((2 << 3) | WireType.LengthDelimited).bytes(writeResponse({ status }));
    writer.join();
  }
  return Buffer.from(writer.finish());
}

function readListResponse(bytes: Buffer): HealthListResponse {
  const reader = new BinaryReader(bytes);
  const statuses: Record<string, HealthCheckResponse> = {};
  while (reader.pos < reader.len) {
    const [field, wire] = reader.tag();
    if (field !== 1 || wire !== WireType.LengthDelimited) {
      reader.skip(wire);
      continue;
    }
    const entry = new BinaryReader(reader.bytes());
    let service = '';
    let value: HealthCheckResponse = { status: 'UNKNOWN' };
    while (entry.pos < entry.len) {
      const [f, w] = entry.tag();
      if (f === 1 && w === WireType.LengthDelimited) service = entry.string();
      else if (f === 2 && w === WireType.LengthDelimited) value = readResponse(Buffer.from(entry.bytes()));
      else entry.skip(w);
    }
    statuses[service] = value;
  }
  return { statuses };
}

const method = <Streams extends boolean>(name: string, responseStream: Streams) => ({
  path: `/grpc.health.v1.Health/${name}`, requestStream: false as const, responseStream, originalName: name.toLowerCase(),
  requestSerialize: writeRequest, requestDeserialize: readRequest, responseSerialize: writeResponse, responseDeserialize: readResponse,
});

const LIST = {
  path: '/grpc.health.v1.Health/List', requestStream: false as const, responseStream: false as const, originalName: 'list',
  requestSerialize: writeListRequest, requestDeserialize: readListRequest, responseSerialize: writeListResponse, responseDeserialize: readListResponse,
};

/**
 * HEALTH_SERVICE is grpc.health.v1.Health's Check, Watch and List for a
 * grpc-js server or client, with its small messages written and read by
 * hand, so that a function process parses no .proto file to serve health.
 */
export const HEALTH_SERVICE = { check: method('Check', false), watch: method('Watch', true), list: LIST } satisfies grpc.ServiceDefinition;

/** MAX_LISTED is how many services List answers; past it, RESOURCE_EXHAUSTED (the health protocol lets a server refuse a long list). */
const MAX_LISTED = 100;
const RESOURCE_EXHAUSTED = 8;

/** HealthServer is what FunctionHealth registers itself with: a grpc-js Server, or anything taking a service the same way. */
export interface HealthServer {
  addService(service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void;
}

const NOT_FOUND = 5;

/**
 * FunctionHealth is one process's health state, served by the standard gRPC
 * health service (grpc.health.v1.Health): Check answers a service's status,
 * or NOT_FOUND for a service never set; Watch answers it at once (or
 * SERVICE_UNKNOWN) and again at every change until the client cancels; List
 * answers every service set, with its status.
 */
export class FunctionHealth {
  readonly #status = new Map<string, ServingStatus>();
  readonly #watchers = new Map<string, Set<(status: ServingStatus) => void>>();

  constructor(initial: Readonly<Record<string, ServingStatus>> = {}) {
    for (const [service, status] of Object.entries(initial)) this.#status.set(service, status);
  }

  /** setStatus sets `service`'s status ('' is the whole server) and tells its watchers. */
  setStatus(service: string, status: ServingStatus): void {
    this.#status.set(service, status);
    for (const watcher of this.#watchers.get(service) ?? []) watcher(status);
  }

  /** addToServer serves Check, Watch and List of this state on `server`. */
  addToServer(server: HealthServer): void {
    const check = (call: { request: HealthCheckRequest }, done: (err: { code: number; details: string } | null, value?: HealthCheckResponse) => void): void => {
      const status = this.#status.get(call.request.service);
      if (status === undefined) done({ code: NOT_FOUND, details: `Health status unknown for service ${call.request.service}` });
      else done(null, { status });
    };
    const watch = (call: grpc.ServerWritableStream<HealthCheckRequest, HealthCheckResponse>): void => {
      const service = call.request.service;
      const watcher = (status: ServingStatus): void => void call.write({ status });
      const watchers = this.#watchers.get(service) ?? new Set();
      this.#watchers.set(service, watchers.add(watcher));
      call.on('cancelled', () => watchers.delete(watcher));
      call.write({ status: this.#status.get(service) ?? 'SERVICE_UNKNOWN' });
    };
    const list = (_call: unknown, done: (err: { code: number; details: string } | null, value?: HealthListResponse) => void): void => {
      if (this.#status.size > MAX_LISTED) return done({ code: RESOURCE_EXHAUSTED, details: `cannot list ${this.#status.size} services: more than the ${MAX_LISTED} this server lists` });
      const statuses: Record<string, HealthCheckResponse> = {};
      for (const [service, status] of this.#status) statuses[service] = { status };
      done(null, { statuses });
    };
    server.addService(HEALTH_SERVICE, { check, watch, list });
  }
}
