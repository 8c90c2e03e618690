import * as grpc from '@grpc/grpc-js';
import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { isObject } from '@scia/api';
import { DEFAULT_WIRE_CODEC, decodeRequest, encodeResponseWith, functionServiceDefinition, TOO_DEEP, undecodable, unreadable, type WireCodec } from './decode.js';
import { startLeanServer, type LeanServer } from './h2-server.js';
import { HEALTH_CHECK, HEALTH_LIST, healthCheck, healthList } from './h2-health.js';
import { startFramesServer } from './h2-frames-server.js';
import { HEALTH_WATCH, healthWatch } from './h2-frames-health.js';
import type { KeepaliveOptions } from './h2-frames-guard.js';

export type { KeepaliveOptions } from './h2-frames-guard.js';
import { tlsFilesOf } from './tls.js';
import { isDepthError } from './wire-decode.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import type { StepLogger } from './step-logger.js';
import { CallLogger } from './call-logger.js';
import { FunctionMetrics } from './metrics.js';
import { FunctionHealth } from './health-service.js';
import { fatal, respond } from './response.js';

/** RunFn is a function's handler: a request in, a response out. */
export type RunFn = (req: RunFunctionRequest, logger: StepLogger) => Promise<RunFunctionResponse> | RunFunctionResponse;

/** FUNCTION_SERVICE is the name under which gRPC health reports the function service. */
export const FUNCTION_SERVICE = 'apiextensions.fn.proto.v1.FunctionRunnerService';

/**
 * Transport is what serves the gRPC protocol: `http2` (the default), a lean
 * unary server on node:http2 (h2-server.ts), `frames`, the same server
 * speaking HTTP/2 itself on net/tls sockets (h2-frames-server.ts), or
 * `grpc-js`, the gRPC library's server. All answer the same calls with the
 * same bytes and statuses.
 */
export type Transport = 'http2' | 'frames' | 'grpc-js';

export const TRANSPORTS: readonly Transport[] = ['http2', 'frames', 'grpc-js'];

/** DEFAULT_TRANSPORT is the transport a server runs when none is named. */
export const DEFAULT_TRANSPORT: Transport = 'http2';

const MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

/**
 * MAX_CONCURRENT_CALLS is how many calls one client connection may have in
 * flight (HTTP/2 MAX_CONCURRENT_STREAMS); grpc-go, as Crossplane runs it, and
 * grpc-js hold further calls until one ends. Each call in flight holds its
 * request, decoded state and response (hundreds of KB for a realistic
 * request), so this bounds a function's memory under a burst, while leaving
 * room for calls that wait on I/O (a repository fetch, the store, a model).
 */
export const MAX_CONCURRENT_CALLS = 16;
const RUN_FUNCTION_PATH = `/${FUNCTION_SERVICE}/RunFunction`;

export interface FunctionServerOptions {
  /** name identifies the function in logs and Fatal results. */
  name: string;
  run: RunFn;
  /** address is host:port; port 0 binds an ephemeral port (see RunningFunctionServer.port). */
  address: string;
  /** credentials: grpc.ServerCredentials.createInsecure() or mutualTlsCredentials(). */
  credentials: grpc.ServerCredentials;
  logger?: Logger;
  metrics?: FunctionMetrics;
  /** codec reads requests and writes responses: `lazy` (the default; see packages/runtime/README.md) or `sdk`. */
  codec?: WireCodec;
  /** health is the state to report (newHealth()), shared with a plaintext health listener; a new one by default. */
  health?: FunctionHealth;
  /**
   * transport serves the protocol (see Transport). On `http2` the function
   * port answers health Check and List but not Watch (the plaintext health listener
   * answers both; `frames` and `grpc-js` answer both too), and on `http2` and
   * `frames` credentials must be createInsecure() or mutualTlsCredentials().
   */
  transport?: Transport;
  /** maxReceiveBytes refuses a larger request message with RESOURCE_EXHAUSTED (64 MiB by default). */
  maxReceiveBytes?: number;
  /** maxConcurrentCalls bounds the calls one connection has in flight (MAX_CONCURRENT_CALLS by default). */
  maxConcurrentCalls?: number;
  /** keepalive (`frames` only) pings a connection silent for intervalMs and closes it when nothing answers within timeoutMs (5 min and 20 s by default). */
  keepalive?: KeepaliveOptions;
}

export interface RunningFunctionServer {
  readonly name: string;
  /** address is host:port with the port actually bound. */
  readonly address: string;
  readonly port: number;
  readonly metrics: FunctionMetrics;
  readonly health: FunctionHealth;
  /** shutdown stops accepting calls, lets running ones finish for up to graceMs, then forces. */
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * guard wraps a handler so that a thrown error becomes a Fatal result naming the
 * function, with the request's tag echoed; the server never answers with a gRPC
 * error for a handler's failure.
 */
export function guard(name: string, run: RunFn, logger: Logger): (req: RunFunctionRequest) => Promise<RunFunctionResponse> {
  return async (req) => {
    const log = requestLogger(logger, req);
    try {
      return await run(req, log);
    } catch (err) {
      // A composed resource decoded on first read (the lazy codec) may turn out nested too deep only then: refused as at decoding.
      if (isDepthError(err)) return refuse(name, unreadable(req.meta?.tag ?? ''), TOO_DEEP, log);
      const message = err instanceof Error ? err.message : String(err);
      log.error({ err }, `cannot run function ${name}`);
      return fatal(respond(req, 60), `cannot run function ${name}: ${message}`);
    }
  };
}

/**
 * requestLogger is `logger` with the XR's name and the request's tag on every
 * line. Both are read, and the child logger built, on the call's first line
 * (CallLogger): the lazy codec decodes the XR only when something reads it.
 * The logger holds `req` for that; a step should not keep it past its call.
 */
export function requestLogger(logger: Logger, req: RunFunctionRequest): CallLogger {
  return new CallLogger(logger, () => {
    const metadata: unknown = req.observed?.composite?.resource?.['metadata'];
    const xr = isObject(metadata) ? metadata['name'] : undefined;
    return { ...(typeof xr === 'string' ? { xr } : {}), tag: req.meta?.tag ?? '' };
  });
}

/** refuse answers a request the server could not read with a Fatal result: nothing can be rendered from it, so nothing is applied. */
function refuse(name: string, req: RunFunctionRequest, why: string, logger: StepLogger): RunFunctionResponse {
  logger.warn({ tag: req.meta?.tag }, `cannot read a request: ${why}`);
  return fatal(respond(req, 60), `cannot read the request for ${name}: ${why}`);
}

/** startFunctionServer serves `run` over gRPC with health checking and metrics, resolving once bound. */
export async function startFunctionServer(opts: FunctionServerOptions): Promise<RunningFunctionServer> {
  const logger = opts.logger ?? silentLogger();
  const metrics = opts.metrics ?? new FunctionMetrics();
  const run = guard(opts.name, opts.run, logger);
  const health = opts.health ?? new FunctionHealth({ '': 'NOT_SERVING', [FUNCTION_SERVICE]: 'NOT_SERVING' });
  const call = (req: RunFunctionRequest): Promise<RunFunctionResponse> => {
    const started = performance.now();
    metrics.received(opts.name);
    const unreadable = undecodable(req);
    return (unreadable === undefined ? run(req) : Promise.resolve(refuse(opts.name, req, unreadable, logger))).then((rsp) => {
      metrics.observe(opts.name, rsp, (performance.now() - started) / 1000);
      return rsp;
    });
  };
  const codec = opts.codec ?? DEFAULT_WIRE_CODEC;
  const transport = opts.transport ?? DEFAULT_TRANSPORT;
  const served = transport === 'grpc-js' ? await serveGrpcJs(opts, codec, call, health) : await serveLean(opts, codec, call, health, transport);
  health.setStatus('', 'SERVING');
  health.setStatus(FUNCTION_SERVICE, 'SERVING');
  const host = opts.address.slice(0, opts.address.lastIndexOf(':'));
  logger.info({ address: `${host}:${served.port}`, transport }, 'serving function');
  return {
    name: opts.name,
    address: `${host}:${served.port}`,
    port: served.port,
    metrics,
    health,
    shutdown: async (graceMs = 10_000) => {
      health.setStatus('', 'NOT_SERVING');
      health.setStatus(FUNCTION_SERVICE, 'NOT_SERVING');
      await served.close(graceMs);
    },
  };
}

type Call = (req: RunFunctionRequest) => Promise<RunFunctionResponse>;

async function serveLean(opts: FunctionServerOptions, codec: WireCodec, call: Call, health: FunctionHealth, transport: 'http2' | 'frames'): Promise<LeanServer> {
  const tls = tlsFilesOf(opts.credentials);
  if (tls === undefined && opts.credentials._isSecure()) throw new Error(`cannot listen on ${opts.address}: the ${transport} transport takes credentials from mutualTlsCredentials() or createInsecure()`);
  const encode = encodeResponseWith(codec);
  const runFunction = (bytes: Buffer): Promise<Uint8Array> => call(decodeRequest(bytes, codec)).then(encode);
  const lean = {
    address: opts.address, tls, maxReceiveBytes: opts.maxReceiveBytes ?? MAX_RECEIVE_BYTES, maxConcurrentStreams: opts.maxConcurrentCalls ?? MAX_CONCURRENT_CALLS,
    methods: new Map([[RUN_FUNCTION_PATH, runFunction], [HEALTH_CHECK, healthCheck(health)], [HEALTH_LIST, healthList(health)]]),
  };
  return transport === 'frames' ? startFramesServer({ ...lean, watches: new Map([[HEALTH_WATCH, healthWatch(health)]]), keepalive: opts.keepalive }) : startLeanServer(lean);
}

async function serveGrpcJs(opts: FunctionServerOptions, codec: WireCodec, call: Call, health: FunctionHealth): Promise<LeanServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': opts.maxReceiveBytes ?? MAX_RECEIVE_BYTES,
    'grpc.max_concurrent_streams': opts.maxConcurrentCalls ?? MAX_CONCURRENT_CALLS,
    'grpc.enable_channelz': 0,
  });
  health.addToServer(server);
  server.addService(functionServiceDefinition(codec), {
    runFunction: (u: grpc.ServerUnaryCall<RunFunctionRequest, RunFunctionResponse>, callback: grpc.sendUnaryData<RunFunctionResponse>) => {
      void call(u.request).then((rsp) => callback(null, rsp));
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(opts.address, opts.credentials, (err, bound) => {
      if (err !== null) reject(new Error(`cannot listen on ${opts.address}: ${err.message}`, { cause: err }));
      else resolve(bound);
    });
  });
  return { port, close: (graceMs) => shutdown(server, graceMs) };
}

async function shutdown(server: grpc.Server, graceMs: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
