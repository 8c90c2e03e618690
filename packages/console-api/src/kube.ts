import { createHash } from 'node:crypto';
import { AuthenticationV1Api, AuthorizationV1Api, KubeConfig, KubernetesObjectApi, type Cluster } from '@kubernetes/client-node';
import { Lru } from './lru.js';

/** UserClients are the API clients that act as one user: every call carries that user's bearer token. */
export interface UserClients {
  objects: KubernetesObjectApi;
  authz: AuthorizationV1Api;
  authn: AuthenticationV1Api;
}

/** tokenKey identifies a token in caches and logs without keeping the token itself. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/**
 * UserKube builds clients per user: the console's cluster (server, CA, TLS
 * settings from its own kubeconfig) with the user's token instead of the
 * console's credentials, so Kubernetes RBAC decides every call. Clients are
 * kept per token (bounded), so discovery is done once per user, not per request.
 */
export class UserKube {
  private readonly clients = new Lru<string, UserClients>(512, 10 * 60_000);
  private readonly cluster: Cluster;

  constructor(readonly base: KubeConfig) {
    const cluster = base.getCurrentCluster();
    if (cluster === null) throw new Error('cannot use the kubeconfig: it names no current cluster');
    this.cluster = cluster;
  }

  forToken(token: string): UserClients {
    const key = tokenKey(token);
    const hit = this.clients.get(key);
    if (hit !== undefined) return hit;
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser(this.cluster, { name: 'scia-console-user', token });
    const made: UserClients = {
      objects: KubernetesObjectApi.makeApiClient(kc),
      authz: kc.makeApiClient(AuthorizationV1Api),
      authn: kc.makeApiClient(AuthenticationV1Api),
    };
    this.clients.set(key, made);
    return made;
  }
}

/** KubeError is what a failed Kubernetes call tells: its HTTP status and the Status message. */
export interface KubeError {
  code: number;
  message: string;
  causes: Array<{ field: string; message: string }>;
}

/** kubeError reads an ApiException (or any error) into a KubeError. */
export function kubeError(err: unknown): KubeError {
  const e = err as { code?: unknown; body?: unknown; message?: unknown; statusCode?: unknown };
  const code = typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : 0;
  let body: unknown = e.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = undefined;
    }
  }
  const status = typeof body === 'object' && body !== null ? (body as { message?: unknown; details?: { causes?: Array<{ field?: unknown; message?: unknown }> } }) : {};
  const message = typeof status.message === 'string' ? status.message : typeof e.message === 'string' ? e.message : String(err);
  const causes = (status.details?.causes ?? []).map((c) => ({ field: typeof c.field === 'string' ? c.field : '', message: typeof c.message === 'string' ? c.message : '' }));
  return { code, message, causes };
}
