import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { parse } from 'yaml';
import { FUNCTION_DEFINITIONS } from '@scia/cli';
import { ANNOTATION_RESOURCE_NAME, renderPipeline, type JsonObject } from '@scia/render';
import { startFunctionServer, type BuiltFunction, type RunningFunctionServer } from '@scia/runtime';

/**
 * A simulated Crossplane controller for the learning benchmark, as
 * test/support/reconcile.ts drives the pipeline in the reconcile tests: the
 * five SCIA functions served once on loopback over gRPC, and a loop that feeds
 * each reconcile's desired state back as observed state, with provider
 * statuses the simulated cloud reports. Functions run on the system clock;
 * `elapse` moves every recorded time back, which is how time passes here.
 */
// Compiled under bench/dist/learning, run from source (tests) under bench/learning.
export const ROOT = join(import.meta.dirname, basename(dirname(import.meta.dirname)) === 'dist' ? '../../..' : '../..');
const STEPS = ['analyze', 'retrieve', 'decide', 'render-aws', 'record'] as const;

export interface Pipeline {
  functions: JsonObject[];
  dataDir: string;
  close(): Promise<void>;
}

/** startPipeline serves each step on 127.0.0.1:0 with `env` (and a fresh SCIA_DATA_DIR) as its environment. */
export async function startPipeline(env: Record<string, string> = {}): Promise<Pipeline> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scia-learning-'));
  const stepEnv = { SCIA_ALLOW_LOCAL_REPOS: 'true', SCIA_DATA_DIR: dataDir, ...env };
  const logger = pino({ level: 'silent' });
  const servers: { name: string; built: BuiltFunction; server: RunningFunctionServer }[] = [];
  for (const step of STEPS) {
    const name = `function-scia-${step}`;
    const load = FUNCTION_DEFINITIONS[name];
    if (load === undefined) throw new Error(`${name} is not registered`);
    const built = await (await load()).build({ env: stepEnv, logger, cwd: ROOT });
    const server = await startFunctionServer({ name, run: built.run, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure() });
    servers.push({ name, built, server });
  }
  return {
    functions: servers.map(({ name, server }) => ({
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Function',
      metadata: { name, annotations: { 'render.crossplane.io/runtime': 'Development', 'render.crossplane.io/runtime-development-target': server.address } },
      spec: { package: `ghcr.io/function-scia/${name.replace('function-scia-', '')}:v0.1.0` },
    })),
    dataDir,
    close: async () => {
      for (const { built, server } of servers) {
        await server.shutdown(1000);
        await built.close();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Reconciled {
  xr: JsonObject;
  composed: JsonObject[];
  results: JsonObject[];
  /** fatal is the message of a step's Fatal result: Crossplane then applies nothing and keeps what it had. */
  fatal?: string;
}

/** ProviderStatus is what a provider reports for one composed resource: its conditions and atProvider. */
export type ProviderStatus = { conditions: JsonObject[]; atProvider?: JsonObject };

/** Controller reconciles one XR, with the simulated cloud's statuses for its composed resources. */
export class Controller {
  xr: JsonObject;
  #desired: JsonObject[] = [];
  /** report is what providers say about a composed resource (by composition resource name); undefined: nothing yet. */
  report: (name: string) => ProviderStatus | undefined = () => undefined;
  /** #since keeps when each resource's reported Ready status began, so its transition time holds while unchanged. */
  readonly #since = new Map<string, { ready: string; at: number }>();
  readonly #composition: JsonObject;

  constructor(private readonly pipeline: Pipeline, xr: JsonObject) {
    this.xr = structuredClone(xr);
    this.#composition = parse(readFileSync(join(ROOT, 'examples/auto-decision/composition.yaml'), 'utf8')) as JsonObject;
  }

  /** now is the simulated time: the wall clock, as the functions read it. */
  now(): number {
    return Date.now();
  }

  /** elapse lets `seconds` pass: every time recorded so far moves that far into the past. */
  elapse(seconds: number): void {
    for (const s of this.#since.values()) s.at -= seconds * 1000;
    this.xr = { ...this.xr, status: shiftTimes(this.xr['status'], seconds * 1000) };
  }

  async reconcile(): Promise<Reconciled> {
    const observed = this.#desired.map((r) => {
      const name = resourceName(r);
      const status = this.report(name);
      return status === undefined ? structuredClone(r) : { ...structuredClone(r), status: this.#timed(name, status) };
    });
    const out = await renderPipeline(
      { xr: this.xr, composition: this.#composition, functions: this.pipeline.functions, observed },
      { builtins: {}, includeResults: true, timeoutMs: 60_000 },
    );
    if (!out.ok) {
      if (!out.error.includes('returned a fatal result')) throw new Error(out.error);
      return { xr: this.xr, composed: this.#desired, results: [], fatal: out.error };
    }
    const [xr, ...rest] = out.value.documents;
    if (xr === undefined) throw new Error('the render returned no XR');
    this.xr = { ...this.xr, status: applyStatus(this.xr['status'], xr['status'], new Date(this.now()).toISOString()) };
    this.#desired = rest.filter((d) => d['kind'] !== 'Result');
    return { xr: { ...xr, status: this.xr['status'] }, composed: this.#desired, results: rest.filter((d) => d['kind'] === 'Result') };
  }

  /** reconcileWhile reconciles until `pending` is false (at most `max` times), returning the last. */
  async reconcileWhile(pending: (r: Reconciled) => boolean, max = 100): Promise<Reconciled> {
    for (let i = 0; i < max; i++) {
      const r = await this.reconcile();
      if (!pending(r)) return r;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`still pending after ${max} reconciles`);
  }

  #timed(name: string, status: ProviderStatus): JsonObject {
    const ready = JSON.stringify(status.conditions.map((c) => [c['type'], c['status']]));
    let since = this.#since.get(name);
    if (since?.ready !== ready) {
      since = { ready, at: this.now() };
      this.#since.set(name, since);
    }
    const at = new Date(since.at).toISOString();
    return { ...status, conditions: status.conditions.map((c) => ({ ...c, lastTransitionTime: at })) };
  }
}

const TIME_FIELDS = new Set(['lastTransitionTime', 'since', 'failedAt', 'at']);

/** shiftTimes moves every time field of a status `ms` into the past. */
function shiftTimes(value: unknown, ms: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shiftTimes(v, ms));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const at = typeof v === 'string' && TIME_FIELDS.has(k) ? Date.parse(v) : Number.NaN;
    out[k] = Number.isNaN(at) ? shiftTimes(v, ms) : new Date(at - ms).toISOString();
  }
  return out;
}

/** applyStatus is the XR status after Crossplane applies `desired`: a condition keeps its transition time while its status holds. */
function applyStatus(previous: unknown, desired: unknown, now: string): JsonObject {
  const next = structuredClone((desired ?? {}) as JsonObject);
  const before = (field(previous, 'conditions') ?? []) as JsonObject[];
  const conditions = (field(next, 'conditions') ?? []) as JsonObject[];
  next['conditions'] = conditions.map((c) => {
    const same = before.find((b) => b['type'] === c['type'] && b['status'] === c['status']);
    return { ...c, lastTransitionTime: same?.['lastTransitionTime'] ?? now };
  });
  return next;
}

export function resourceName(r: JsonObject): string {
  const meta = r['metadata'] as { annotations?: Record<string, string> } | undefined;
  return meta?.annotations?.[ANNOTATION_RESOURCE_NAME] ?? '';
}

/** field reads a nested field of a JSON value. */
export function field(o: unknown, ...path: string[]): unknown {
  let at = o;
  for (const p of path) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[p] : undefined;
  return at;
}
