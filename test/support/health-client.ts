import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

/** HealthClient speaks grpc.health.v1.Health in plaintext, as kubelet's grpc probe does. */
export interface HealthClient {
  /** check is one Check call: `{ status }`, or a rejection with the gRPC error (NOT_FOUND for an unknown service). */
  check(service: string): Promise<unknown>;
  /** list is one List call: `{ statuses }` (each `{ status }` by service), or a rejection with the gRPC error. */
  list(): Promise<unknown>;
  /** watch calls `on` with each status the server streams for `service` until the returned stop is called. */
  watch(service: string, on: (status: string) => void): () => void;
  close(): void;
}

/** healthClient dials `address` (host:port) without TLS with the standard health service definition. */
export function healthClient(address: string): HealthClient {
  const Health = grpc.makeGenericClientConstructor(healthService, 'Health');
  const client = new Health(address, grpc.credentials.createInsecure());
  return {
    check: (service) =>
      new Promise((resolve, reject) => {
        const method = client['Check'] as (r: { service: string }, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, v?: unknown) => void) => void;
        method.call(client, { service }, { deadline: Date.now() + 5000 }, (err, value) => (err === null ? resolve(value) : reject(err)));
      }),
    list: () =>
      new Promise((resolve, reject) => {
        const method = client['List'] as (r: object, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, v?: unknown) => void) => void;
        method.call(client, {}, { deadline: Date.now() + 5000 }, (err, value) => (err === null ? resolve(value) : reject(err)));
      }),
    watch(service, on) {
      const method = client['Watch'] as (r: { service: string }) => grpc.ClientReadableStream<{ status: string }>;
      const stream = method.call(client, { service });
      stream.on('data', (m: { status: string }) => on(m.status));
      stream.on('error', () => undefined);
      return () => stream.cancel();
    },
    close: () => client.close(),
  };
}
