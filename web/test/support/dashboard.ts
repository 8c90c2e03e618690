import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { lazyStore, storeFromEnv } from '@scia/rag';
import { newPreviewer, startConsole, type ConsoleServer } from '@scia/console-api';
import { managedResource, startKubeApiServer, type KubeApiServer, type KubeObject, type Rule } from '@scia/console-api/testing';
import { INSTANCE } from './seed.js';

/** WEB_DIR is the dashboard's build, which `npm run build` makes. */
export const WEB_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));

/** REPO_ROOT is the repository, whose examples/apps the preview analyses. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** TOKENS are the bearer tokens of the console itself and of one user per team. */
export const TOKENS = { console: 'console-token', alice: 'alice-token', bob: 'bob-token', carol: 'carol-token' } as const;

const TEAM_VERBS = ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'];

/**
 * RULES: the console's ServiceAccount reads everything (its informers); alice
 * works in team-a, bob in team-b and carol in team-c (which has no
 * Deployments yet), each on the Deployments and events of
 * their namespace, and may read composed resources by name.
 */
export const RULES: Rule[] = [
  { subjects: ['system:serviceaccount:scia:console'], verbs: ['get', 'list', 'watch'], resources: ['*'] },
  ...([['alice', 'team-a'], ['bob', 'team-b'], ['carol', 'team-c']] as const).flatMap(([user, namespace]): Rule[] => {
    return [
      { subjects: [user], verbs: TEAM_VERBS, resources: ['deployments.scia.io'], namespace },
      { subjects: [user], verbs: ['get', 'list', 'watch'], resources: ['events'], namespace },
      // Composed resources of a v1 claim are cluster-scoped: a team reads them by name through its claim's XR.
      { subjects: [user], verbs: ['get'], resources: ['xdeployments.scia.io', `${INSTANCE.plural}.ec2.aws.upbound.io`] },
    ];
  }),
];

/** kubeConfigFor points @kubernetes/client-node at the loopback API server with one token. */
export function kubeConfigFor(url: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'loopback', server: url, skipTLSVerify: true }],
    users: [{ name: 'console', token }],
    contexts: [{ name: 'loopback', cluster: 'loopback', user: 'console' }],
    currentContext: 'loopback',
  });
  return kc;
}

/** Dashboard is `scia console` serving the built app against a loopback Kubernetes API server. */
export interface Dashboard {
  kube: KubeApiServer;
  console: ConsoleServer;
  /** pageUrl opens the dashboard as a user, the token handed over in the fragment. */
  pageUrl(token: string, route?: string): string;
  close(): Promise<void>;
}

/**
 * startDashboard serves the dashboard over the given objects. With `preview`,
 * previewDeployment runs the real analyze, retrieve and decide steps on an
 * embedded store (PGlite in a temporary directory, seeded with the examples).
 */
export async function startDashboard(objects: readonly KubeObject[], opts: { preview?: boolean } = {}): Promise<Dashboard> {
  if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error(`cannot serve the dashboard: no build in ${WEB_DIR} (run npm run build)`);
  const kube = await startKubeApiServer({
    tokens: {
      [TOKENS.console]: { username: 'system:serviceaccount:scia:console', groups: ['system:serviceaccounts'] },
      [TOKENS.alice]: { username: 'alice', groups: ['team-a'] },
      [TOKENS.bob]: { username: 'bob', groups: ['team-b'] },
      [TOKENS.carol]: { username: 'carol', groups: ['team-c'] },
    },
    rules: RULES,
    resources: [managedResource(INSTANCE.apiVersion, INSTANCE.kind, INSTANCE.plural, false)],
  });
  for (const o of objects) kube.put(o);
  // The console's cases and the preview's retrieve step each open an embedded store of their own
  // (one PGlite per directory), both seeded with the same example knowledge, so case ids agree.
  const dataDirs = [mkdtempSync(join(tmpdir(), 'scia-web-cases-')), mkdtempSync(join(tmpdir(), 'scia-web-preview-'))] as const;
  const env = (dir: string): Record<string, string> => ({ SCIA_DATA_DIR: dir, SCIA_EMBEDDER: 'hashing' });
  const store = opts.preview === true ? lazyStore(() => storeFromEnv(env(dataDirs[0]), { cwd: REPO_ROOT })) : undefined;
  const console = await startConsole({
    kubeConfig: kubeConfigFor(kube.url, TOKENS.console),
    webDir: WEB_DIR,
    ...(store === undefined ? {} : { store, previewer: newPreviewer(env(dataDirs[1]), REPO_ROOT, true) }),
  });
  // Open (and seed) the embedded store now, so no test waits for it.
  const [, opened] = await Promise.all([console.synced, store?.get()]);
  if (opened !== undefined && !opened.ok) throw new Error(`cannot open the test store: ${opened.error}`);
  const origin = console.url.replace(/\/graphql$/, '');
  return {
    kube,
    console,
    pageUrl: (token, route = '/') => `${origin}/#token=${encodeURIComponent(token)}&${route}`,
    async close() {
      await console.close();
      await store?.close();
      await kube.close();
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}
