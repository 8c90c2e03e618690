import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { parse } from 'yaml';
import { databaseFromEnv, openDatabase, withClient } from '@scia/rag';
import { newLogger, startFunctionServer, type BuiltFunction, type Logger, type RunningFunctionServer } from '@scia/runtime';
import { FUNCTION_DEFINITIONS } from '@scia/cli';
import { ANNOTATION_RESOURCE_NAME, formatStream, renderPipeline, type JsonObject } from '@scia/render';

/**
 * A simulated Crossplane controller: the five SCIA functions served once on
 * loopback (so their caches and background work live across reconciles) and a
 * loop that, between reconciles, does what Crossplane does: the XR's status
 * becomes the desired composite status the last reconcile produced, observed
 * composed resources are the last desired ones with a status the test
 * controls, and the context starts empty.
 */
const root = join(import.meta.dirname, '..', '..');
export const STEPS = ['analyze', 'retrieve', 'decide', 'render-aws', 'record'] as const;
/** NOW is every function's fixed clock (SCIA_NOW). */
export const NOW = '2026-01-01T00:00:00Z';
/** UID is the claimed XR's metadata.uid, the key of its recorded rows. */
export const UID = 'f0e1d2c3-0000-4000-8000-00000000a001';

export interface Pipeline {
  /** functions are the Function manifests, Development runtime at each server's address. */
  functions: JsonObject[];
  dataDir: string;
  /** logs are every step's log lines (debug and up) as `<step>: <msg>`, in order, from the first reconcile on (not the steps' start). */
  logs: string[];
  /** lines are every log line whole, the steps' start included, as a function writes them to stderr. */
  lines: string[];
  close(): Promise<void>;
}

/**
 * startPipeline sets `env` (plus SCIA_NOW, SCIA_ALLOW_LOCAL_REPOS and a fresh
 * SCIA_DATA_DIR) in process.env, where the definitions read their adapters,
 * and serves each step on 127.0.0.1 with an ephemeral port. `observe` sees
 * each response a step sends.
 */
export async function startPipeline(env: Record<string, string> = {}, opts: { observe?: (step: string, rsp: RunFunctionResponse) => void } = {}): Promise<Pipeline> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scia-reconcile-'));
  // Only what the test names: the machine's own SCIA_* variables must not leak into the pipeline.
  const stepEnv = { SCIA_NOW: NOW, SCIA_ALLOW_LOCAL_REPOS: 'true', SCIA_DATA_DIR: dataDir, ...env };
  const servers: { name: string; built: BuiltFunction; server: RunningFunctionServer }[] = [];
  const logs: string[] = [];
  const lines: string[] = [];
  for (const step of STEPS) {
    const name = `function-scia-${step}`;
    const load = FUNCTION_DEFINITIONS[name];
    if (load === undefined) throw new Error(`${name} is not registered`);
    const built = await (await load()).build({ env: stepEnv, logger: collecting(step, logs, lines), cwd: root });
    const observe = opts.observe;
    const run: BuiltFunction['run'] = observe === undefined ? built.run : async (req, logger) => {
      const rsp = await built.run(req, logger);
      observe(step, rsp);
      return rsp;
    };
    const server = await startFunctionServer({ name, run, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure() });
    servers.push({ name, built, server });
  }
  // What the steps logged while starting (their stores opening) is not reconcile work.
  logs.length = 0;
  return {
    functions: servers.map(({ name, server }) => functionManifest(name, server.address)),
    dataDir,
    logs,
    lines,
    close: async () => {
      for (const { built, server } of servers) {
        await server.shutdown(1000);
        await built.close();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** collecting is the functions' own logger (debug level, redacted as in production), appending each line's message to `into` and the whole line to `lines`. */
function collecting(step: string, into: string[], lines: string[]): Logger {
  return newLogger({
    name: `function-scia-${step}`,
    level: 'debug',
    sink: {
      write(line: string) {
        lines.push(line);
        const { msg } = JSON.parse(line) as { msg?: string };
        into.push(`${step}: ${msg ?? ''}`);
      },
    },
  });
}

function functionManifest(name: string, address: string): JsonObject {
  return {
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'Function',
    metadata: {
      name,
      annotations: { 'render.crossplane.io/runtime': 'Development', 'render.crossplane.io/runtime-development-target': address },
    },
    spec: { package: `ghcr.io/function-scia/${name.replace('function-scia-', '')}:v0.1.0` },
  };
}

/** Reconciled is one reconcile's output: the XR with its desired status, the composed resources, the non-fatal results. */
export interface Reconciled {
  xr: JsonObject;
  composed: JsonObject[];
  results: JsonObject[];
  /** text is the desired state (XR and composed resources) as `scia render` prints it. */
  text: string;
}

/** Controller reconciles one XR through a pipeline, feeding each reconcile's desired state back as observed state. */
export class Controller {
  xr: JsonObject;
  #desired: JsonObject[] = [];
  /** status is what providers report for a composed resource (by composition resource name) on the next reconcile; undefined: nothing yet. */
  status: (name: string, resource: JsonObject) => JsonObject | undefined = () => undefined;
  readonly #composition: JsonObject;

  readonly #credentials: JsonObject[];

  /** The composition is auto-decision's unless given; `credentials` are the Secrets its steps' `credentials` name. */
  constructor(private readonly pipeline: Pipeline, xr: JsonObject, opts: { composition?: JsonObject; credentials?: JsonObject[] } = {}) {
    this.xr = structuredClone(xr);
    this.#composition = opts.composition ?? readYaml('examples/auto-decision/composition.yaml');
    this.#credentials = opts.credentials ?? [];
  }

  async reconcile(): Promise<Reconciled> {
    // Providers report on what the last reconcile desired.
    const observed = this.#desired.map((r) => {
      const status = this.status(resourceName(r), r);
      return status === undefined ? structuredClone(r) : { ...structuredClone(r), status };
    });
    const out = await renderPipeline(
      { xr: this.xr, composition: this.#composition, functions: this.pipeline.functions, observed, credentials: this.#credentials },
      { builtins: {}, includeResults: true, timeoutMs: 60_000 },
    );
    if (!out.ok) throw new Error(out.error);
    const [xr, ...rest] = out.value.documents;
    if (xr === undefined) throw new Error('the render returned no XR');
    const composed = rest.filter((d) => d['kind'] !== 'Result');
    const results = rest.filter((d) => d['kind'] === 'Result');
    // Crossplane applies the desired composite status (conditions keep their transition time while unchanged) and the composed resources.
    this.xr = { ...this.xr, status: applyStatus(this.xr['status'], xr['status']) };
    this.#desired = composed;
    return { xr, composed, results, text: formatStream([xr, ...composed]) };
  }

  /** reconcileWhile reconciles until `pending` is false for the output (at most `max` times), returning the last. */
  async reconcileWhile(pending: (r: Reconciled) => boolean, max = 50): Promise<Reconciled> {
    for (let i = 0; i < max; i++) {
      const r = await this.reconcile();
      if (!pending(r)) return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`still pending after ${max} reconciles`);
  }
}

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

/**
 * applyStatus is the XR status after Crossplane applies `desired`: the
 * desired fields, each condition's lastTransitionTime kept while its status
 * is unchanged and NOW (the functions' clock) when it changes, not the fixed
 * time `scia render` prints.
 */
function applyStatus(previous: unknown, desired: unknown): JsonObject {
  const next = structuredClone((desired ?? {}) as JsonObject);
  const before = (field(previous, 'conditions') ?? []) as Condition[];
  const conditions = (field(next, 'conditions') ?? []) as Condition[];
  next['conditions'] = conditions.map((c) => {
    const same = before.find((b) => b.type === c.type && b.status === c.status);
    return { ...c, lastTransitionTime: same?.lastTransitionTime ?? NOW };
  });
  return next;
}

/** resourceName is a composed resource's composition resource name. */
export function resourceName(r: JsonObject): string {
  const meta = r['metadata'] as { annotations?: Record<string, string> } | undefined;
  return meta?.annotations?.[ANNOTATION_RESOURCE_NAME] ?? '';
}

/** ready is a provider's status for a resource that is up: Ready and Synced True, with `atProvider` fields. */
export function ready(atProvider: JsonObject = {}): JsonObject {
  const conditions = [['Ready', 'Available'], ['Synced', 'ReconcileSuccess']].map(([type, reason]) => ({ type, status: 'True', reason, lastTransitionTime: NOW }));
  return { atProvider, conditions };
}

/** field reads a nested field of a JSON object. */
export function field(o: unknown, ...path: string[]): unknown {
  let at = o;
  for (const p of path) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[p] : undefined;
  return at;
}

export function readYaml(path: string): JsonObject {
  return parse(readFileSync(join(root, path), 'utf8')) as JsonObject;
}

/** claim is the auto-decision example's XR with `spec` fields replaced. */
export function claim(spec: JsonObject = {}, metadata: JsonObject = {}): JsonObject {
  const xr = readYaml('examples/auto-decision/xr.yaml');
  return { ...xr, metadata: { ...(xr['metadata'] as JsonObject), uid: UID, ...metadata }, spec: { ...(xr['spec'] as JsonObject), ...spec } };
}

/** RecordedRow is a deployments row the record step wrote, with `xmin`: it changes on every write, even one with the same values. */
export interface RecordedRow {
  xmin: string;
  decisionHash: string;
  strategy: string;
  outcome: string;
  feedback: number;
  comment: string | null;
}

/** recordedRows reads the rows of one XR from the PGlite store in `dataDir`, sharing the instance the functions hold. */
export async function recordedRows(dataDir: string, xrUid: string): Promise<RecordedRow[]> {
  const config = databaseFromEnv({ SCIA_DATA_DIR: dataDir }, root);
  if (!config.ok) throw new Error(config.error);
  const db = await openDatabase(config.value);
  try {
    return await withClient(db, async (c) => {
      const { rows } = await c.query<RecordedRow>(
        `SELECT xmin::text AS xmin, decision_hash AS "decisionHash", strategy, outcome, user_feedback::int AS feedback, feedback_comment AS comment
         FROM deployments WHERE xr_uid = $1 ORDER BY id`,
        [xrUid],
      );
      return rows;
    });
  } finally {
    await db.close();
  }
}

/** gate is a promise the test resolves when it chooses. */
export function gate<T>(): { promise: Promise<T>; open(value: T): void } {
  let open: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve) => { open = resolve; });
  return { promise, open: (value) => open(value) };
}

const GIT_ENV = { GIT_AUTHOR_NAME: 'scia', GIT_AUTHOR_EMAIL: 'scia@example.com', GIT_COMMITTER_NAME: 'scia', GIT_COMMITTER_EMAIL: 'scia@example.com', GIT_AUTHOR_DATE: NOW, GIT_COMMITTER_DATE: NOW };

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
}

/** gitRepo copies a sample app (a path under the repository root) into a new Git repository with one commit. */
export function gitRepo(app: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'scia-app-'));
  cpSync(join(root, app), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'first');
  return dir;
}

/** commit writes `file` in `dir`, commits it and returns the new commit's SHA. */
export function commit(dir: string, file: string, text: string): string {
  writeFileSync(join(dir, file), text);
  git(dir, 'add', file);
  git(dir, 'commit', '-q', '-m', `add ${file}`);
  return head(dir);
}

/** head is the SHA `rev` names in `dir`. */
export function head(dir: string, rev = 'HEAD'): string {
  return git(dir, 'rev-parse', rev);
}
