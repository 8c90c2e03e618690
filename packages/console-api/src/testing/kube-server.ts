import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { applyPatch, fieldsV1, mergePatch, parseSelector, pathOf, schemaErrors } from './kube-patch.js';
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

interface Ctx {
  opts: KubeApiServerOptions;
  resources: ResourceDef[];
  store: KubeStore;
  watches: Set<ServerResponse>;
  /** applied keeps each field manager's last applied configuration per object. */
  applied: Map<string, unknown>;
  /** held collects watches waiting while watches are held. */
  held: Array<() => void> | undefined;
}

/** Target is a parsed resource path. */
interface Target {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
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

function create(ctx: Ctx, res: ServerResponse, t: Target, body: unknown): void {
  const obj = body as KubeObject | undefined;
  const name = obj?.metadata?.name;
  if (obj === undefined || name === undefined) return sendStatus(res, 400, 'BadRequest', 'the object has no metadata.name');
  const res_ = resourceKey(t.def);
  if (ctx.store.get(res_, t.namespace, name) !== undefined) return sendStatus(res, 409, 'AlreadyExists', `${res_} "${name}" already exists`);
  const fresh = { ...obj, metadata: { ...obj.metadata, ...(t.namespace === undefined ? {} : { namespace: t.namespace }) } };
  if (invalid(res, t, fresh)) return;
  sendJson(res, 201, ctx.store.put(res_, t.def.status ? withoutStatus(fresh) : fresh));
}

function patch(ctx: Ctx, res: ServerResponse, t: Target, type: string, body: string, q: URLSearchParams): void {
  const res_ = resourceKey(t.def);
  const name = t.name ?? '';
  const live = ctx.store.get(res_, t.namespace, name);
  const isApply = type.startsWith('application/apply-patch+yaml');
  if (!isApply && !type.startsWith('application/merge-patch+json')) return sendStatus(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format: ${type}`);
  const doc = parseBody(body, isApply);
  if (typeof doc !== 'object' || doc === null) return sendStatus(res, 400, 'BadRequest', 'cannot parse the patch');
  if (live === undefined && !isApply) return notFound(res, t);
  const onStatus = t.subresource === 'status';
  let next: KubeObject;
  if (isApply) {
    const manager = q.get('fieldManager');
    if (manager === null || manager === '') return sendStatus(res, 400, 'BadRequest', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const key = `${res_}/${t.namespace ?? ''}/${name}/${manager}/${onStatus ? 'status' : ''}`;
    const merged = applyPatch(live ?? {}, doc, ctx.applied.get(key)) as KubeObject;
    ctx.applied.set(key, doc);
    const others = (live?.metadata.managedFields ?? []).filter((f) => (f as { manager?: string }).manager !== manager);
    next = { ...merged, metadata: { ...merged.metadata, name, ...(t.namespace === undefined ? {} : { namespace: t.namespace }), managedFields: [...others, { manager, operation: 'Apply', apiVersion: apiVersionOf(t.def), fieldsType: 'FieldsV1', fieldsV1: fieldsV1(doc) }] } };
  } else {
    next = mergePatch(live, doc) as KubeObject;
  }
  if (t.def.status) next = onStatus ? { ...(live ?? next), status: next['status'] } : { ...withoutStatus(next), ...(live?.['status'] === undefined ? {} : { status: live['status'] }) };
  if (invalid(res, t, next)) return;
  const specChanged = JSON.stringify(live?.['spec']) !== JSON.stringify(next['spec']);
  sendJson(res, live === undefined ? 201 : 200, ctx.store.put(res_, next, { specChanged }));
}

function invalid(res: ServerResponse, t: Target, obj: KubeObject): boolean {
  const { metadata: _m, apiVersion: _a, kind: _k, ...content } = obj;
  const schema = t.def.schema as { properties?: Record<string, unknown> } | undefined;
  const errs = schema === undefined ? [] : schemaErrors({ ...schema, properties: { ...schema.properties, metadata: undefined } }, content);
  if (errs.length === 0) return false;
  const name = obj.metadata.name ?? '';
  const message = `${t.def.kind} "${name}" is invalid: ${errs.map((e) => `${e.field.replace(/^\./, '')}: ${e.message}`).join(', ')}`;
  sendJson(res, 422, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', code: 422, details: { name, group: t.def.group, kind: t.def.kind, causes: errs.map((e) => ({ reason: 'FieldValueInvalid', message: e.message, field: e.field.replace(/^\./, '') })) } });
  return true;
}

function withoutStatus(obj: KubeObject): KubeObject {
  const { status: _s, ...rest } = obj;
  return rest;
}

function parseBody(body: string, yaml: boolean): unknown {
  try {
    return yaml ? parseYaml(body) : JSON.parse(body);
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function notFound(res: ServerResponse, t: Target): void {
  sendStatus(res, 404, 'NotFound', `${resourceKey(t.def)} "${t.name ?? ''}" not found`);
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** sendStatus answers with a metav1.Status, as the API server does for every failure. */
export function sendStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  if (res.headersSent) return void res.end();
  sendJson(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

export type { Server };
