import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { FUNCTION_SERVICE, FunctionHealth, newHealth, respond, serveHealth, startFunctionServer, TRANSPORTS } from '@scia/runtime';
import { healthClient } from '../../../test/support/health-client.js';

// The client reads List's answer with protobufjs from grpc-health-check's own health.proto: an encoder independent of the server's.
describe('grpc.health.v1.Health/List', () => {
  it('answers every service with its status on the plaintext health listener', async () => {
    const health = newHealth();
    const listener = await serveHealth(health, '127.0.0.1:0');
    const client = healthClient(listener.address);
    try {
      const before = await client.list();
      health.setStatus(FUNCTION_SERVICE, 'SERVING');
      health.setStatus('scia.io/extra', 'UNKNOWN');
      expect({ before, after: await client.list() }).toEqual({
        before: { statuses: { '': { status: 'NOT_SERVING' }, [FUNCTION_SERVICE]: { status: 'NOT_SERVING' } } },
        after: { statuses: { '': { status: 'NOT_SERVING' }, [FUNCTION_SERVICE]: { status: 'SERVING' }, 'scia.io/extra': { status: 'UNKNOWN' } } },
      });
    } finally {
      client.close();
      await listener.close();
    }
  });

  it.each(TRANSPORTS)('answers every service with its status on the function port (%s)', async (transport) => {
    const server = await startFunctionServer({ name: 'f', run: (req) => respond(req, 60), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), transport });
    const client = healthClient(server.address);
    try {
      expect(await client.list()).toEqual({ statuses: { '': { status: 'SERVING' }, [FUNCTION_SERVICE]: { status: 'SERVING' } } });
    } finally {
      client.close();
      await server.shutdown(100);
    }
  });

  it.each(TRANSPORTS)('refuses to list more than 100 services with RESOURCE_EXHAUSTED (%s)', async (transport) => {
    const health = new FunctionHealth(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`svc-${i}`, 'SERVING' as const])));
    const server = await startFunctionServer({ name: 'f', run: (req) => respond(req, 60), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), transport, health });
    const client = healthClient(server.address);
    try {
      await expect(client.list()).rejects.toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED });
    } finally {
      client.close();
      await server.shutdown(100);
    }
  });
});
