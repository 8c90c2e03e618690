import { KubeConfig } from '@kubernetes/client-node';
import { startConsole, type ConsoleOptions, type ConsoleServer } from '../server.js';
import type { Rule, UserInfo } from './kube-rbac.js';
import { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from './kube-server.js';

/** kubeConfigFor is a kubeconfig for `server` authenticating with `token`. */
export function kubeConfigFor(server: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'loopback', server, skipTLSVerify: true }],
    users: [{ name: 'user', token }],
    contexts: [{ name: 'loopback', cluster: 'loopback', user: 'user' }],
    currentContext: 'loopback',
  });
  return kc;
}

/**
 * TEST_TOKENS are the users of the default test cluster: the console's own
 * ServiceAccount; alice of team-a; bob of team-b; carol, who may read team-a
 * but not its events and may change nothing; and root, a cluster admin.
 */
export const TEST_TOKENS: Record<string, UserInfo> = {
  'console-token': { username: 'system:serviceaccount:scia-system:scia-console', groups: ['system:serviceaccounts'] },
  'alice-token': { username: 'alice', groups: ['team-a'] },
  'bob-token': { username: 'bob', groups: ['team-b'] },
  'carol-token': { username: 'carol', groups: [] },
  'root-token': { username: 'root', groups: ['system:masters'] },
};

const RW = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** TEST_RULES give each team its namespace, the console what its informers need, and root everything. */
export const TEST_RULES: Rule[] = [
  { subjects: ['system:serviceaccount:scia-system:scia-console'], verbs: ['get', 'list', 'watch'], resources: ['deployments.scia.io', 'events'] },
  { subjects: ['group:team-a'], namespace: 'team-a', verbs: RW, resources: ['deployments.scia.io', 'events', '*'] },
  { subjects: ['group:team-b'], namespace: 'team-b', verbs: RW, resources: ['deployments.scia.io', 'events', '*'] },
  { subjects: ['carol'], namespace: 'team-a', verbs: ['get', 'list', 'watch'], resources: ['deployments.scia.io'] },
  { subjects: ['group:system:masters'], verbs: ['*'], resources: ['*'] },
];

/** TestCluster is a loopback API server with a console in front of it. */
export interface TestCluster {
  kube: KubeApiServer;
  console: ConsoleServer;
  close(): Promise<void>;
}

/**
 * startTestCluster starts the loopback API server (TEST_TOKENS and TEST_RULES
 * unless given) and a console reading it as `console-token`, resolving once the
 * console's informers have listed. For the dashboard's browser tests too.
 */
export async function startTestCluster(opts: { kube?: Partial<KubeApiServerOptions>; console?: Omit<ConsoleOptions, 'kubeConfig'> } = {}): Promise<TestCluster> {
  const kube = await startKubeApiServer({ tokens: TEST_TOKENS, rules: TEST_RULES, ...opts.kube });
  const console = await startConsole({ kubeConfig: kubeConfigFor(kube.url, 'console-token'), ...opts.console });
  await console.synced;
  return {
    kube,
    console,
    async close() {
      await console.close();
      await kube.close();
    },
  };
}
