import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Severity } from '@crossplane-org/function-sdk-typescript';
import pg from 'pg';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { createRepo, startGitServer } from './git-server.js';
import { reply, startOllamaServer, type OllamaServer, type Reply } from './ollama-server.js';
import { freePort } from './ports.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from './postgres.js';
import { field, resourceName, startPipeline, type Controller, type Pipeline } from './reconcile.js';
import type { JsonObject } from '@scia/render';

/**
 * The world of the fault table: the five functions on loopback, each optional
 * dependency a real server behind a fault proxy (PostgreSQL for the store, a
 * Git smart-HTTP server for the repository, an HTTP server speaking Ollama's
 * API for the model), and the budgets cut down so that a black-holed
 * dependency costs a second or two, not a minute.
 */
export type Component = 'store' | 'git' | 'model';
/** Fault: `slow` answers within the call budget, `late` just past it (within the dependency's own timeout). */
export type Fault = 'down' | 'refusing' | 'blackhole' | 'slow' | 'late';

/** BUDGET_MS is SCIA_CALL_BUDGET_MS; the dependencies' own timeouts are a little longer. */
export const BUDGET_MS = 1000;
const GIT_TIMEOUT_MS = 3000;
const MODEL_TIMEOUT_MS = 2000;
/** DELAYS are each component's latency per answer when slow and late; a late store answers past the budget even for one round trip (retrieve searches once). */
const DELAYS: Record<Component, { slow: number; late: number }> = {
  store: { slow: 20, late: 1100 },
  git: { slow: 50, late: 700 },
  model: { slow: 300, late: 1300 },
};

/** MODEL_ANSWER is what the healthy model answers: Kubernetes, where the rules (with the seed's cases only) choose VMs, so a fallback to the rules would move the deployment. */
export const MODEL_ANSWER = {
  strategy: 'kubernetes',
  reason: 'Two replicas on two nodes for high availability.',
  confidence: 0.8,
  config: { nodeInstanceType: 't3.medium', minNodes: 2, desiredNodes: 2, maxNodes: 3, replicas: 2 },
  alternativeStrategies: [{ strategy: 'vm', reason: 'Simpler, no failover of pods.', confidence: 0.4 }],
  citedCases: [],
};

export interface StepResponse {
  step: string;
  rsp: RunFunctionResponse;
}

export interface FaultWorld {
  pipeline: Pipeline;
  ollama: OllamaServer;
  /** modelUrl is the model's proxy, without credentials. */
  modelUrl: string;
  /** storeRows are the store's deployments and decisions as JSON text (none without PostgreSQL). */
  storeRows(): Promise<string[]>;
  /** responses are every step's responses since the last `take`. */
  take(): StepResponse[];
  /** repositoryUrl is the Git repository's URL through its proxy. */
  repositoryUrl: string;
  /** hasStore: PostgreSQL is running behind the store's proxy (else the store is PGlite, and store faults cannot be played). */
  hasStore: boolean;
  set(component: Component, fault: Fault | 'up'): Promise<void>;
  close(): Promise<void>;
}

/**
 * WorldSecrets are passwords to put where an operator puts them: in
 * SCIA_DATABASE_URL, in OLLAMA_HOST's userinfo, in the Git server's Basic
 * auth (user `scia`; the claim then needs a `git` credential), and files to
 * add to the repository.
 */
export interface WorldSecrets {
  store?: string;
  model?: string;
  git?: string;
  files?: Record<string, string>;
}

/** startFaultWorld starts the servers, their proxies and the pipeline. */
export async function startFaultWorld(secrets: WorldSecrets = {}): Promise<FaultWorld> {
  let gitRefusing = false;
  const git = await startGitServer({
    fault: () => (gitRefusing ? { status: 500, body: 'internal error' } : undefined),
    ...(secrets.git === undefined ? {} : { basicAuth: `scia:${secrets.git}` }),
  });
  const repo = createRepo(git.root, 'app');
  cpSync(join(import.meta.dirname, '..', '..', 'examples', 'apps', 'flask-api'), repo.dir, { recursive: true });
  repo.commit(secrets.files ?? {});
  let modelReply: () => Reply = () => reply.json(MODEL_ANSWER);
  const ollama: OllamaServer = await startOllamaServer({ chat: () => modelReply() });
  const proxies: Record<Component, FaultProxy | undefined> = {
    git: await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(git.url('app')).port) }),
    model: await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(ollama.url).port) }),
    store: undefined,
  };
  let postgres: TestPostgres | undefined;
  let database: URL | undefined;
  if (postgresSkipReason === undefined) {
    postgres = await startPostgres();
    database = new URL(await postgres.createDatabase());
    proxies.store = await startFaultProxy({ host: database.hostname, port: Number(database.port) });
  }
  const storeUrl = await storeUrlOf(database, proxies.store, secrets.store);
  const responses: StepResponse[] = [];
  const pipeline = await startPipeline(
    {
      SCIA_CALL_BUDGET_MS: String(BUDGET_MS),
      SCIA_GIT_ALLOWED_HOSTS: '127.0.0.1',
      SCIA_GIT_TIMEOUT_MS: String(GIT_TIMEOUT_MS),
      // Every reconcile resolves the branch again, as one does once the ref's TTL runs out.
      SCIA_REF_TTL_SECONDS: '0',
      OLLAMA_HOST: `http://${secrets.model === undefined ? '' : `scia:${secrets.model}@`}127.0.0.1:${proxies.model?.port ?? 0}`,
      SCIA_OLLAMA_MODEL: 'qwen2.5-coder:7b',
      SCIA_OLLAMA_TIMEOUT_MS: String(MODEL_TIMEOUT_MS),
      ...(storeUrl === undefined ? {} : { SCIA_DATABASE_URL: storeUrl }),
    },
    { observe: (step, rsp) => responses.push({ step, rsp: structuredClone(rsp) }) },
  );
  const allowConnections = async (allow: boolean): Promise<void> => {
    if (postgres === undefined || database === undefined) return;
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${database.pathname.slice(1)} ALLOW_CONNECTIONS ${allow ? 'true' : 'false'}`);
    } finally {
      await admin.end();
    }
  };
  return {
    pipeline,
    ollama,
    modelUrl: `http://127.0.0.1:${proxies.model?.port ?? 0}`,
    async storeRows() {
      if (postgres === undefined || database === undefined) return [];
      const admin = new pg.Client({ connectionString: database.toString() });
      await admin.connect();
      try {
        const tables = ['deployments', 'scia_decisions'];
        const rows = await Promise.all(tables.map((t) => admin.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${t} t`).then((r) => r.rows.map((x) => x.row), () => [])));
        return rows.flat();
      } finally {
        await admin.end();
      }
    },
    take: () => responses.splice(0),
    repositoryUrl: `http://127.0.0.1:${proxies.git?.port ?? 0}/app`,
    hasStore: proxies.store !== undefined,
    async set(component, fault) {
      const proxy = proxies[component];
      if (proxy === undefined) throw new Error(`cannot play a ${component} fault without its server`);
      gitRefusing = component === 'git' ? fault === 'refusing' : gitRefusing;
      if (component === 'model') modelReply = fault === 'refusing' ? () => reply.error(500, 'model runner has unexpectedly stopped') : () => reply.json(MODEL_ANSWER);
      if (component === 'store') await allowConnections(fault !== 'refusing');
      if (fault === 'down' || fault === 'blackhole') await proxy.set(fault);
      else if (fault === 'slow' || fault === 'late') await proxy.set('slow', DELAYS[component][fault]);
      else await proxy.set('up');
    },
    async close() {
      await pipeline.close();
      for (const p of Object.values(proxies)) await p?.close();
      await ollama.close();
      await git.close();
      await postgres?.stop();
    },
  };
}

/**
 * storeUrlOf is SCIA_DATABASE_URL: the database through its proxy (with
 * `password` in its userinfo), or, without PostgreSQL but with a password,
 * a URL whose port refuses (every store call fails); else none (PGlite).
 */
async function storeUrlOf(database: URL | undefined, proxy: FaultProxy | undefined, password: string | undefined): Promise<string | undefined> {
  if (database === undefined || proxy === undefined) {
    return password === undefined ? undefined : `postgres://scia:${password}@127.0.0.1:${await freePort()}/scia`;
  }
  const url = new URL(database.toString());
  url.port = String(proxy.port);
  if (password !== undefined) url.password = password;
  return url.toString();
}

/** Seen is one reconcile as the fault table judges it. */
export interface Seen {
  /** fatal is the Fatal result's message, if a step answered one. */
  fatal?: string;
  phase: unknown;
  /** ttl is the pipeline's requeue: the shortest non-zero TTL any step answered. */
  ttl: number;
  /** warnings are `step/Reason` of each Warning result, in pipeline order. */
  warnings: string[];
  /** dropped are the composed resources observed before this reconcile that it no longer desires. */
  dropped: string[];
  resources: number;
  strategy: unknown;
  decidedBy: unknown;
}

/** reconcile runs one reconcile of `c` and judges it. */
export async function reconcile(world: FaultWorld, c: Controller, observed: readonly string[]): Promise<{ seen: Seen; composed: string[] }> {
  world.take();
  let composed: string[] = [...observed];
  let fatal: string | undefined;
  let xr: JsonObject = c.xr;
  try {
    const r = await c.reconcile();
    composed = r.composed.map(resourceName);
    xr = r.xr;
  } catch (err) {
    fatal = (err as Error).message;
  }
  const rsps = world.take();
  const ttls = rsps.map((s) => Number(s.rsp.meta?.ttl?.seconds ?? 0)).filter((t) => t > 0);
  const warnings = rsps.flatMap((s) => s.rsp.results.filter((r) => r.severity === Severity.SEVERITY_WARNING).map((r) => `${s.step}/${r.reason ?? ''}`));
  const seen: Seen = {
    ...(fatal === undefined ? {} : { fatal }),
    phase: field(xr, 'status', 'phase'),
    ttl: ttls.length === 0 ? 0 : Math.min(...ttls),
    warnings,
    dropped: observed.filter((n) => !composed.includes(n)),
    resources: composed.length,
    strategy: field(xr, 'status', 'deployment', 'strategy'),
    decidedBy: field(xr, 'status', 'deployment', 'decidedBy'),
  };
  return { seen, composed };
}
