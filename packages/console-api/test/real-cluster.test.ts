import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { startConsole, type ConsoleServer } from '@scia/console-api';
import { gql } from './support/client.js';

// Against a real cluster (kind, k3s, ...) with SCIA's XRD installed: the console's
// identity is KUBECONFIG's current context; the user is the bearer token in
// SCIA_CONSOLE_TEST_TOKEN, else the kubeconfig user's own token.
const kubeconfig = process.env['KUBECONFIG'];
const kc = new KubeConfig();
if (kubeconfig !== undefined && kubeconfig !== '') kc.loadFromFile(kubeconfig.split(':')[0] ?? '');
const token = process.env['SCIA_CONSOLE_TEST_TOKEN'] ?? kc.getCurrentUser()?.token;
const skip = kubeconfig === undefined || kubeconfig === '' ? 'set KUBECONFIG to a cluster with the SCIA XRD installed'
  : token === undefined ? 'set SCIA_CONSOLE_TEST_TOKEN (the kubeconfig user has no bearer token)' : undefined;

describe.skipIf(skip !== undefined)(`the console against a real cluster${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
  let server: ConsoleServer;
  beforeAll(async () => {
    server = await startConsole({ kubeConfig: kc });
    await server.synced;
  }, 60_000);
  afterAll(async () => server.close());

  it('lists the Deployments the token may see, and refuses a request without one', async () => {
    const r = await gql(server.url, token, '{ namespaces deployments(first: 10) { totalCount edges { node { id phase } } } }');
    expect(r.status).toBe(200);
    expect(r.errors?.filter((e) => e.extensions?.code !== 'FORBIDDEN') ?? []).toEqual([]);
    expect((await gql(server.url, undefined, '{ namespaces }')).status).toBe(401);
  });
});
