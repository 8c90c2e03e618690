import { readFile } from 'node:fs/promises';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { Kind, execute, subscribe, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Response as HttpResponse } from 'graphql-http';
import { createHandler } from 'graphql-http/lib/use/http';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { StoreHandle } from '@scia/rag';
import { silentLogger, splitHostPort, type Logger } from '@scia/runtime';
import { Access } from './access.js';
import { ClusterCache } from './cache.js';
import { Cases } from './cases.js';
import { Semaphore, apiError, type Ctx, type Deps } from './context.js';
import { QueryCompiler } from './jit.js';
import { UserKube, tokenKey } from './kube.js';
import { RateLimiter } from './limits.js';
import { ConsoleMetrics } from './metrics.js';
import { DEFAULT_LIMITS, authenticate, bearer, isRefusal, prepare, type Limits, type Refusal } from './operation.js';
import type { Previewer } from './preview.js';
import { SCHEMA_FILE, consoleSchema } from './schema.js';
import { serveStatic } from './static.js';

export interface ConsoleOptions {
  /** kubeConfig is the console's own identity (informers) and cluster (every user's calls). */
  kubeConfig: KubeConfig;
  /** address is host:port to listen on (default 127.0.0.1:0). */
  address?: string;
  /** tls serves HTTPS and WSS with this key pair. */
  tls?: { cert: Buffer; key: Buffer };
  logger?: Logger;
  /** store is the deployments store behind similarCases and cited cases; without it they are unavailable. */
  store?: StoreHandle;
  /** previewer runs previewDeployment; without it previews are unavailable. */
  previewer?: Previewer;
  /** webDir holds the dashboard's build, served at `/`. */
  webDir?: string;
  limits?: Partial<Limits>;
  /** accessTtlMs is how long an RBAC answer is kept (default 10 s). */
  accessTtlMs?: number;
  fieldManager?: string;
}

/** ConsoleServer is a running console. */
export interface ConsoleServer {
  /** url is the GraphQL endpoint over HTTP(S); wsUrl the same over WebSocket. */
  url: string;
  wsUrl: string;
  port: number;
  metrics: ConsoleMetrics;
  cache: ClusterCache;
  /** synced resolves once the informers have listed. */
  synced: Promise<void>;
  close(): Promise<void>;
}

/**
 * startConsole serves the console's GraphQL API at `/graphql` (HTTP and
 * graphql-ws), Prometheus metrics at `/metrics`, health at `/healthz`, the SDL
 * at `/schema.graphql`, and the dashboard from `webDir` at `/`.
 */
export async function startConsole(opts: ConsoleOptions): Promise<ConsoleServer> {
  const logger = opts.logger ?? silentLogger();
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const kube = new UserKube(opts.kubeConfig);
  const cache = new ClusterCache(opts.kubeConfig, logger);
  const metrics = new ConsoleMetrics({ defaultMetrics: true, cachedCount: () => cache.all().length });
  const deps: Deps = {
    cache, kube, logger, metrics,
    access: new Access(kube, opts.accessTtlMs ?? 10_000),
    cases: opts.store === undefined ? undefined : new Cases(opts.store),
    previewer: opts.previewer,
    fieldManager: opts.fieldManager ?? 'scia-console',
    previewSlots: new Semaphore(limits.previews),
  };
  const schema = consoleSchema();
  const limiter = new RateLimiter(limits.ratePerSecond, limits.burst);
  const compiler = new QueryCompiler(schema);
  const timed = (transport: 'http' | 'ws') => async (args: ExecutionArgs): Promise<ExecutionResult> => {
    const start = performance.now();
    const kind = args.document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)?.operation ?? 'query';
    const result = await ((kind === 'query' ? compiler.run(args) : undefined) ?? execute(args));
    const seconds = (performance.now() - start) / 1000;
    metrics.seconds.observe({ transport, operation: kind }, seconds);
    metrics.requests.inc({ transport, operation: kind, outcome: result.errors === undefined ? 'ok' : 'error' });
    const who = (args.contextValue as Ctx).who.username;
    logger.info({ transport, user: who, operation: args.operationName ?? kind, ms: Math.round(seconds * 1000), errors: result.errors?.map((e) => e.message) }, 'graphql');
    return result;
  };
  const refuse = (r: Refusal): HttpResponse =>
    [JSON.stringify({ errors: r.errors.map((e) => e.toJSON()) }), { status: r.status, statusText: r.status === 401 ? 'Unauthorized' : r.status === 429 ? 'Too Many Requests' : 'Bad Request', headers: { 'content-type': 'application/json; charset=utf-8', ...(r.status === 401 ? { 'www-authenticate': 'Bearer' } : {}) } }];
  const graphqlHttp = createHandler<Ctx>({
    schema,
    execute: timed('http'),
    async onSubscribe(req, params) {
      const ctx = await authenticate(deps, limiter, bearer(req.raw.headers.authorization));
      if (isRefusal(ctx)) return refuse(ctx);
      const args = prepare(schema, limits, params, ctx);
      return isRefusal(args) ? refuse(args) : args;
    },
    onOperation(req, _args, result) {
      // A successful result needs no error formatting: serialising it without a replacer is several times faster on large pages.
      if ('errors' in result && result.errors !== undefined) return;
      const json = (req.raw.headers.accept ?? '').includes('application/graphql-response+json');
      return [JSON.stringify(result), { status: 200, statusText: 'OK', headers: { 'content-type': `${json ? 'application/graphql-response+json' : 'application/json'}; charset=utf-8` } }];
    },
  });
  const server: Server = opts.tls === undefined ? createHttp() : createHttps({ cert: opts.tls.cert, key: opts.tls.key });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((err: unknown) => {
      logger.error({ err: String(err) }, 'cannot answer a request');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
    });
  });
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://console').pathname;
    if (path === '/graphql') return graphqlHttp(req, res);
    if (path === '/metrics') return void res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
    if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (path === '/schema.graphql') return void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(await readFile(SCHEMA_FILE));
    if (opts.webDir !== undefined && (await serveStatic(opts.webDir, req, res, path))) return;
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const sockets = new WeakMap<object, Ctx>();
  const ws = useServer<Record<string, unknown>, { socket: object }>({
    schema,
    execute: timed('ws'),
    subscribe,
    async onConnect(c) {
      const header = c.connectionParams?.['authorization'] ?? c.extra.request.headers.authorization;
      const ctx = await authenticate(deps, limiter, bearer(header));
      if (isRefusal(ctx)) {
        (c.extra.socket as { close(code: number, reason: string): void }).close(ctx.status === 401 ? CloseCode.Unauthorized : CloseCode.TooManyInitialisationRequests, ctx.errors[0]?.message.slice(0, 120) ?? 'refused');
        return false;
      }
      sockets.set(c.extra.socket, ctx);
      return true;
    },
    onSubscribe(c, _id, payload) {
      const ctx = sockets.get(c.extra.socket);
      if (ctx === undefined) return [apiError('UNAUTHENTICATED', 'cannot subscribe: the connection is not authenticated')];
      if (!limiter.take(tokenKey(ctx.token))) {
        metrics.rejected.inc({ reason: 'rate_limited' });
        return [apiError('RATE_LIMITED', 'cannot serve the request: too many requests for this token; slow down')];
      }
      const args = prepare(schema, limits, payload, ctx);
      return isRefusal(args) ? args.errors : args;
    },
  }, wss);
  const { host, port } = splitHostPort(opts.address ?? '127.0.0.1:0');
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  const bound = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const scheme = opts.tls === undefined ? 'http' : 'https';
  logger.info({ address: `${shown}:${bound}`, tls: opts.tls !== undefined }, 'console listening');
  return {
    url: `${scheme}://${shown}:${bound}/graphql`,
    wsUrl: `${scheme === 'https' ? 'wss' : 'ws'}://${shown}:${bound}/graphql`,
    port: bound,
    metrics,
    cache,
    synced: cache.synced,
    async close() {
      await ws.dispose();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((ok) => wss.close(() => ok()));
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await cache.stop();
      await opts.previewer?.close();
    },
  };
}

