import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { notFound, sendJson, sendStatus, type Target } from './kube-http.js';
import { parseSelector, pathOf } from './kube-patch.js';
import { create, parseBody, patch } from './kube-writes.js';
import { authorize, forbiddenMessage, type Rule, type UserInfo } from './kube-rbac.js';
import { BUILTIN_RESOURCES, REVIEW_RESOURCES, crdResources } from './kube-resources.js';
import { KubeStore, resourceKey, type KubeObject, type ResourceDef } from './kube-store.js';
import { discovery } from './kube-discovery.js';
import { watchResponse } from './kube-watch.js';

export interface KubeApiServerOptions {
  /** xrd is which XRD's CRDs to serve: v1 (XR + claim, default) or v2 (namespaced XR). */
  xrd?: 'v1' | 'v2';
  /** tokens maps bearer tokens to users; any other token is answered 401. */
  tokens: Record<string, UserInfo>;
  /** rules is the RBAC table (Roles and their bindings in one). */
  rules: Rule[];
  /** resources are further kinds to serve, such as composed managed resources. */
  resources?: ResourceDef[];
  /** historySize bounds each resource's change log; a watch from before it gets 410 Gone (default 1000). */
  historySize?: number;
  /** bookmarkMs is how often a watch that allows bookmarks gets one (default 1000). */
  bookmarkMs?: number;
  /** maxWatchSeconds ends every watch after this long, as API servers do (default 300). */
  maxWatchSeconds?: number;
}

/** RequestRecord is one request the server answered, for tests to count calls. */
export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  user: string | undefined;
  status: number;
}

/** KubeApiServer is a running loopback API server and its store, for tests to act as controllers. */
export interface KubeApiServer {
  url: string;
  store: KubeStore;
  requests: RequestRecord[];
  resources: ResourceDef[];
  /** resourceFor finds the served resource of an apiVersion and kind. */
  resourceFor(apiVersion: string, kind: string): ResourceDef;
  /** put writes an object as a controller would (status included), emitting watch events. */
  put(obj: KubeObject): KubeObject;
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** endWatches closes every open watch, as an API server restart does. */
  endWatches(): void;
  /** holdWatches ends every watch and holds new ones unanswered until the returned function is called (a long disconnection). */
  holdWatches(): () => void;
  close(): Promise<void>;
}

/**
 * startKubeApiServer serves the parts of the Kubernetes API a client uses, on
 * 127.0.0.1 and an ephemeral port: discovery, list and watch (resourceVersion,
 * bookmarks, 410 Gone), get, create, server-side apply and merge patch, delete,
 * core/v1 events, the CRDs generated from xrds/, SelfSubjectAccessReview and
 * SelfSubjectReview; bearer tokens from a table (401) and RBAC rules (403).
 */
export async function startKubeApiServer(opts: KubeApiServerOptions): Promise<KubeApiServer> {
  const resources = [...crdResources(opts.xrd ?? 'v1'), ...BUILTIN_RESOURCES, ...REVIEW_RESOURCES, ...(opts.resources ?? [])];
  const store = new KubeStore(opts.historySize ?? 1000);
  const requests: RequestRecord[] = [];
  const watches = new Set<ServerResponse>();
  const applied = new Map<string, unknown>();
  const ctx: Ctx = { opts, resources, store, watches, applied, held: undefined };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const user = authenticate(opts.tokens, req.headers.authorization);
    res.on('finish', () => requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, user: user?.username, status: res.statusCode }));
    handle(ctx, req, res, url, user).catch((err: unknown) => sendStatus(res, 500, 'InternalError', String(err)));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const resourceFor = (apiVersion: string, kind: string): ResourceDef => {
    const def = resources.find((r) => (r.group === '' ? r.version : `${r.group}/${r.version}`) === apiVersion && r.kind === kind);
    if (def === undefined) throw new Error(`cannot find a served resource for ${apiVersion} ${kind}`);
    return def;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    requests,
    resources,
    resourceFor,
    put: (obj) => store.put(resourceKey(resourceFor(obj.apiVersion ?? '', obj.kind ?? '')), obj, { specChanged: true }),
    remove: (apiVersion, kind, namespace, name) => store.remove(resourceKey(resourceFor(apiVersion, kind)), namespace, name),
    endWatches: () => {
      for (const w of watches) w.end();
    },
    holdWatches: () => {
      const held: Array<() => void> = [];
      ctx.held = held;
      for (const w of watches) w.end();
      return () => {
        ctx.held = undefined;
        for (const go of held) go();
      };
    },
    close: async () => {
      for (const w of watches) w.destroy();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

export interface Ctx {
  opts: KubeApiServerOptions;
  resources: ResourceDef[];
  store: KubeStore;
  watches: Set<ServerResponse>;
  /** applied keeps each field manager's last applied configuration per object. */
  applied: Map<string, unknown>;
  /** held collects watches waiting while watches are held. */
  held: Array<() => void> | undefined;
}


function authenticate(tokens: Record<string, UserInfo>, header: string | undefined): UserInfo | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return m?.[1] === undefined ? undefined : tokens[m[1].trim()];
}

async function handle(ctx: Ctx, req: IncomingMessage, res: ServerResponse, url: URL, user: UserInfo | undefined): Promise<void> {
  if (user === undefined) return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
  const doc = discovery(ctx.resources, url.pathname);
  if (doc !== undefined) return sendJson(res, 200, doc);
  const target = parseTarget(ctx.resources, url.pathname);
  if (target === undefined) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'DELETE' ? '' : await readBody(req);
  if (target.def.group === 'authorization.k8s.io') return review(ctx, res, user, body);
  if (target.def.group === 'authentication.k8s.io') {
    return sendJson(res, 201, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: { userInfo: user } });
  }
  const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  const verb = verbOf(method, target, watch);
  const res_ = resourceKey(target.def);
  const attrs = { verb, resource: res_, ...(target.subresource === undefined ? {} : { subresource: target.subresource }), ...(target.namespace === undefined ? {} : { namespace: target.namespace }) };
  if (!target.def.verbs.includes(verb)) return sendStatus(res, 405, 'MethodNotAllowed', `${verb} is not supported on ${res_}`);
  if (!authorize(ctx.opts.rules, user, attrs)) return sendStatus(res, 403, 'Forbidden', forbiddenMessage(user, attrs, target.name));
  const labels = parseSelector(url.searchParams.get('labelSelector'), (o, k) => pathOf(o, 'metadata.labels')?.[k as never]);
  const fields = parseSelector(url.searchParams.get('fieldSelector'), pathOf);
  const match = (o: KubeObject): boolean => labels(o) && fields(o);
  switch (verb) {
    case 'watch': {
      const start = (): void => watchResponse(res, ctx.store, res_, target.namespace, match, {
        resourceVersion: url.searchParams.get('resourceVersion') ?? '',
        bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
        bookmarkMs: ctx.opts.bookmarkMs ?? 1000,
        timeoutSeconds: Math.min(Number(url.searchParams.get('timeoutSeconds') ?? Infinity), ctx.opts.maxWatchSeconds ?? 300),
        apiVersion: apiVersionOf(target.def),
        kind: target.def.kind,
      }, ctx.watches);
      if (ctx.held !== undefined) ctx.held.push(start);
      else start();
      return;
    }
    case 'list':
      return sendJson(res, 200, {
        apiVersion: apiVersionOf(target.def), kind: `${target.def.kind}List`,
        metadata: { resourceVersion: String(ctx.store.resourceVersion) },
        items: ctx.store.list(res_, target.namespace).filter(match),
      });
    case 'get': {
      const obj = ctx.store.get(res_, target.namespace, target.name ?? '');
      return obj === undefined ? notFound(res, target) : sendJson(res, 200, obj);
    }
    case 'delete': {
      const gone = ctx.store.remove(res_, target.namespace, target.name ?? '');
      return gone === undefined ? notFound(res, target) : sendJson(res, 200, gone);
    }
    case 'create':
      return create(ctx, res, target, parseBody(body, false));
    case 'patch':
      return patch(ctx, res, target, req.headers['content-type'] ?? '', body, url.searchParams);
    default:
      return sendStatus(res, 405, 'MethodNotAllowed', `${verb} is not served`);
  }
}

function verbOf(method: string, t: Target, watch: boolean): string {
  if (method === 'GET') return watch ? 'watch' : t.name === undefined ? 'list' : 'get';
  if (method === 'POST') return 'create';
  if (method === 'PATCH') return 'patch';
  if (method === 'PUT') return 'update';
  if (method === 'DELETE') return t.name === undefined ? 'deletecollection' : 'delete';
  return method.toLowerCase();
}

function parseTarget(resources: ResourceDef[], path: string): Target | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') [group, rest] = ['', parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length >= 3) [group, rest] = [parts[1] ?? '', parts.slice(3)];
  else return undefined;
  const version = parts[0] === 'api' ? 'v1' : parts[2];
  const find = (plural: string | undefined): ResourceDef | undefined => resources.find((r) => r.group === group && r.version === version && r.plural === plural);
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const def = find(rest[2]);
    if (def?.namespaced !== true) return undefined;
    return { def, namespace: rest[1] ?? '', ...tail(rest.slice(3)) };
  }
  const def = find(rest[0]);
  if (def === undefined) return undefined;
  return { def, ...tail(rest.slice(1)) };
}

function tail(rest: string[]): { name?: string; subresource?: string } {
  return { ...(rest[0] === undefined ? {} : { name: rest[0] }), ...(rest[1] === undefined ? {} : { subresource: rest[1] }) };
}

function apiVersionOf(def: ResourceDef): string {
  return def.group === '' ? def.version : `${def.group}/${def.version}`;
}

function review(ctx: Ctx, res: ServerResponse, user: UserInfo, body: string): void {
  const parsed = parseBody(body, false) as { spec?: { resourceAttributes?: Record<string, string> } } | undefined;
  const a = parsed?.spec?.resourceAttributes ?? {};
  const resource = (a['group'] ?? '') === '' ? a['resource'] ?? '' : `${a['resource'] ?? ''}.${a['group'] ?? ''}`;
  const allowed = authorize(ctx.opts.rules, user, {
    verb: a['verb'] ?? '', resource,
    ...(a['subresource'] === undefined || a['subresource'] === '' ? {} : { subresource: a['subresource'] }),
    ...(a['namespace'] === undefined || a['namespace'] === '' ? {} : { namespace: a['namespace'] }),
  });
  sendJson(res, 201, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: parsed?.spec ?? {}, status: { allowed, ...(allowed ? { reason: 'RBAC: allowed by the rules table' } : {}) } });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

