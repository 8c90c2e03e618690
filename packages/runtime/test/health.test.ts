import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { FUNCTION_SERVICE, dialFunction, newHealth, respond, serveHealth, startFunctionServer } from '@scia/runtime';
import { healthClient } from '../../../test/support/health-client.js';

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('the plaintext health listener', () => {
  it('reports NOT_SERVING until the function serves, SERVING while it does, NOT_SERVING once it drains', async () => {
    const health = newHealth();
    const listener = await serveHealth(health, '127.0.0.1:0');
    const client = healthClient(listener.address);
    const watched: string[] = [];
    const stop = client.watch('', (s) => watched.push(s));
    try {
      const before = await Promise.all([client.check(''), client.check(FUNCTION_SERVICE)]);
      const fn = await startFunctionServer({ name: 'f', run: (req) => respond(req, 60), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), health });
      const serving = await Promise.all([client.check(''), client.check(FUNCTION_SERVICE)]);
      await fn.shutdown(1000);
      const after = await client.check('');
      await until(() => watched.length >= 3);
      expect({ before, serving, after, watched }).toEqual({
        before: [{ status: 'NOT_SERVING' }, { status: 'NOT_SERVING' }],
        serving: [{ status: 'SERVING' }, { status: 'SERVING' }],
        after: { status: 'NOT_SERVING' },
        watched: ['NOT_SERVING', 'SERVING', 'NOT_SERVING'],
      });
    } finally {
      stop();
      client.close();
      await listener.close();
    }
  });

  it('answers an unknown service with NOT_FOUND and serves no function calls', async () => {
    const listener = await serveHealth(newHealth(), '127.0.0.1:0');
    const client = healthClient(listener.address);
    const fn = dialFunction(listener.address, grpc.credentials.createInsecure());
    try {
      await expect(client.check('no.such.Service')).rejects.toThrow(/NOT_FOUND/);
      await expect(fn.run(RunFunctionRequest.fromPartial({ meta: { tag: 't' } }), 5000)).rejects.toThrow(/does not implement/);
    } finally {
      fn.close();
      client.close();
      await listener.close();
    }
  });

  it('fails to start with a clear error when its port is taken', async () => {
    const first = await serveHealth(newHealth(), '127.0.0.1:0');
    try {
      await expect(serveHealth(newHealth(), first.address)).rejects.toThrow(`cannot listen for health checks on ${first.address}`);
    } finally {
      await first.close();
    }
  });
});
