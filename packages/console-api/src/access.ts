import { kubeError, tokenKey, type UserKube } from './kube.js';
import { Lru } from './lru.js';

/** Who is the user a token authenticates as. */
export interface Who {
  username: string;
  groups: string[];
}

/** ResourceRef names a resource as RBAC does. */
export interface ResourceRef {
  group: string;
  resource: string;
}

export const DEPLOYMENTS: ResourceRef = { group: 'scia.io', resource: 'deployments' };
export const EVENTS: ResourceRef = { group: '', resource: 'events' };

/** Unauthenticated is thrown when the API server refuses a token (401). */
export class Unauthenticated extends Error {}

/**
 * Access asks the API server, as the user, what the user may do:
 * SelfSubjectReview for who a token is (401 when nobody), and
 * SelfSubjectAccessReview per verb, resource and namespace. Answers are kept
 * for `ttlMs` (10 s by default), so a revoked right stops applying within it.
 * This is what lets reads be served from the console's shared informer cache
 * while RBAC still decides, per user and namespace, what each read returns.
 */
export class Access {
  private readonly answers: Lru<string, boolean>;
  private readonly inflight = new Map<string, Promise<boolean>>();
  private readonly users: Lru<string, Who>;

  constructor(private readonly kube: UserKube, ttlMs = 10_000) {
    this.answers = new Lru(100_000, ttlMs);
    this.users = new Lru(10_000, ttlMs * 3);
  }

  /** whoami authenticates a token, throwing Unauthenticated when the API server refuses it. */
  async whoami(token: string): Promise<Who> {
    const key = tokenKey(token);
    const hit = this.users.get(key);
    if (hit !== undefined) return hit;
    let who: Who;
    try {
      const review = await this.kube.forToken(token).authn.createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
      const info = review.status?.userInfo;
      who = { username: info?.username ?? '', groups: info?.groups ?? [] };
    } catch (err) {
      const e = kubeError(err);
      if (e.code === 401) throw new Unauthenticated('the API server refused the token', { cause: err });
      // Clusters before 1.28 lack SelfSubjectReview: any review the token may make proves it.
      if (e.code !== 404) throw new Error(`cannot review the token: ${e.message}`, { cause: err });
      await this.can(token, 'list', DEPLOYMENTS, '');
      who = { username: `token:${key}`, groups: [] };
    }
    this.users.set(key, who);
    return who;
  }

  /** cached is a kept answer for the question, or undefined when it must be asked. */
  cached(token: string, verb: string, ref: ResourceRef, namespace: string): boolean | undefined {
    return this.answers.get(questionKey(token, verb, ref, namespace));
  }

  /** can asks whether the token's user may `verb` the resource in `namespace` ('' for all namespaces). */
  async can(token: string, verb: string, ref: ResourceRef, namespace: string): Promise<boolean> {
    const key = questionKey(token, verb, ref, namespace);
    const hit = this.answers.get(key);
    if (hit !== undefined) return hit;
    const pending = this.inflight.get(key);
    if (pending !== undefined) return pending;
    const asked = this.ask(token, verb, ref, namespace).finally(() => this.inflight.delete(key));
    this.inflight.set(key, asked);
    const allowed = await asked;
    this.answers.set(key, allowed);
    return allowed;
  }

  /** namespaces keeps the candidates the user may `verb` the resource in: all of them when allowed cluster-wide. */
  async namespaces(token: string, verb: string, ref: ResourceRef, candidates: Iterable<string>): Promise<Set<string>> {
    const all = [...candidates];
    if (await this.can(token, verb, ref, '')) return new Set(all);
    const answers = await Promise.all(all.map(async (ns) => [ns, await this.can(token, verb, ref, ns)] as const));
    return new Set(answers.filter(([, ok]) => ok).map(([ns]) => ns));
  }

  private async ask(token: string, verb: string, ref: ResourceRef, namespace: string): Promise<boolean> {
    try {
      const review = await this.kube.forToken(token).authz.createSelfSubjectAccessReview({
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb, group: ref.group, resource: ref.resource, namespace } } },
      });
      return review.status?.allowed === true;
    } catch (err) {
      const e = kubeError(err);
      if (e.code === 401) throw new Unauthenticated('the API server refused the token', { cause: err });
      throw new Error(`cannot review access to ${ref.resource}: ${e.message}`, { cause: err });
    }
  }
}

function questionKey(token: string, verb: string, ref: ResourceRef, namespace: string): string {
  return `${tokenKey(token)}|${verb}|${ref.group}|${ref.resource}|${namespace}`;
}
