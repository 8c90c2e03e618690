import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { FUNCTION_DEFINITIONS } from '@scia/cli';
import { renderPipeline } from '@scia/render';
import { dialFunction, silentLogger, startFunctionServer, type BuiltFunction, type FunctionClient, type RunningFunctionServer } from '@scia/runtime';
import { fuzzRequest, mulberry32 } from './fuzz.js';
import { readYaml, STEPS } from './reconcile.js';

/** EXAMPLES are rendered once each to capture the requests every step really receives. */
const EXAMPLES = ['vm-basic', 'kubernetes', 'serverless', 'auto-decision', 'vm-https-monitoring', 'namespaced-v2'];

export type Step = (typeof STEPS)[number];

/** FuzzPipeline is the five steps served on loopback, with the requests a render of each example sent them. */
export interface FuzzPipeline {
  bases: Record<Step, RunFunctionRequest[]>;
  clients: Record<Step, FunctionClient>;
  close(): Promise<void>;
}

/** startFuzzPipeline serves every step on 127.0.0.1 (store: PGlite in a temporary directory; no model) and renders the examples through them. */
export async function startFuzzPipeline(): Promise<FuzzPipeline> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scia-fuzz-'));
  const env = { SCIA_NOW: '2026-01-01T00:00:00Z', SCIA_ALLOW_LOCAL_REPOS: 'true', SCIA_DATA_DIR: dataDir, SCIA_CALL_BUDGET_MS: '2000' };
  const root = join(import.meta.dirname, '..', '..');
  const bases = Object.fromEntries(STEPS.map((s) => [s, [] as RunFunctionRequest[]])) as Record<Step, RunFunctionRequest[]>;
  const servers: { step: Step; built: BuiltFunction; server: RunningFunctionServer }[] = [];
  for (const step of STEPS) {
    const load = FUNCTION_DEFINITIONS[`function-scia-${step}`];
    if (load === undefined) throw new Error(`function-scia-${step} is not registered`);
    const built = await (await load()).build({ env, logger: silentLogger(), cwd: root });
    // Capture what the render sends, the base of every fuzzed request.
    const run = (req: RunFunctionRequest, logger: Parameters<BuiltFunction['run']>[1]) => {
      if (bases[step].length < 64) bases[step].push(RunFunctionRequest.fromPartial(req));
      return built.run(req, logger);
    };
    const server = await startFunctionServer({ name: `function-scia-${step}`, run, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure() });
    servers.push({ step, built, server });
  }
  const functions = servers.map(({ step, server }) => ({
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'Function',
    metadata: { name: `function-scia-${step}`, annotations: { 'render.crossplane.io/runtime': 'Development', 'render.crossplane.io/runtime-development-target': server.address } },
    spec: { package: `fuzz/${step}` },
  }));
  for (const example of EXAMPLES) {
    const inputs = { xr: readYaml(`examples/${example}/xr.yaml`), composition: readYaml(`examples/${example}/composition.yaml`), functions };
    // Twice: the second render meets the pins (analysis, decision) the first one made.
    for (let i = 0; i < 2; i++) await renderPipeline(inputs, { builtins: {}, includeResults: true, timeoutMs: 60_000 });
  }
  const clients = Object.fromEntries(servers.map(({ step, server }) => [step, dialFunction(server.address)])) as Record<Step, FunctionClient>;
  return {
    bases,
    clients,
    close: async () => {
      for (const c of Object.values(clients)) c.close();
      for (const { built, server } of servers) {
        await server.shutdown(1000);
        await built.close();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** FuzzTally counts how a step answered: every failure kind must stay at 0. */
export interface FuzzTally {
  requests: number;
  answered: number;
  fatal: number;
  warning: number;
  /** thrown: the server's catch-all turned an exception into a Fatal result. */
  thrown: number;
  rpcErrors: number;
  hangs: number;
  badTag: number;
  examples: string[];
  /** normal counts Normal results. */
  normal: number;
  /** unnamed counts Fatal results that name no field of the request (see namesField): each is a failure. */
  unnamed: number;
  /** fatalBy counts Fatal results by their message's start, for a reader to judge (an invalid claim is Fatal by design). */
  fatalBy: Record<string, number>;
}

/**
 * FIELD_ROOTS are where a field a Fatal names may live: the XR (`spec`,
 * `metadata`, `status`), the request (`observed.composite.resource`, an
 * observed resource, `context[key]`, `desired`). A fuzzed request is
 * malformed in one of them, so every Fatal must say where: a request without
 * an observed composite, or with a label value that is not a string, can
 * never come from Crossplane, and the step says which field is wrong.
 */
const FIELD = /(^|: )(spec|metadata|status|observed|context|desired)(\.|\[|:)/;

/** TOO_DEEP is the one Fatal about the request as a whole: protobuf nesting past the limit the server walks (MAX_JSON_DEPTH). */
const TOO_DEEP = /^cannot read the request for function-scia-[a-z-]+: its JSON nests deeper than the \d+ levels a function reads$/;

/** namesField tells whether a Fatal message names the field it refuses (an unsatisfiable hard budget names spec.budget), or the request's nesting limit. */
export function namesField(message: string): boolean {
  return FIELD.test(message) || TOO_DEEP.test(message);
}

/** fuzzStep sends `count` fuzzed requests to one step, `concurrency` at a time, each with a `timeoutMs` deadline. */
export async function fuzzStep(p: FuzzPipeline, step: Step, opts: { seed: number; count: number; concurrency?: number; timeoutMs?: number; progressEvery?: number }): Promise<FuzzTally> {
  const rand = mulberry32(opts.seed);
  const bases = p.bases[step];
  if (bases.length === 0) throw new Error(`no request reached ${step} while rendering the examples`);
  const tally: FuzzTally = { requests: 0, answered: 0, fatal: 0, warning: 0, normal: 0, thrown: 0, unnamed: 0, rpcErrors: 0, hangs: 0, badTag: 0, examples: [], fatalBy: {} };
  const note = (what: string): void => {
    if (tally.examples.length < 5) tally.examples.push(what.slice(0, 300));
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < opts.count) {
      const n = next++;
      if (opts.progressEvery !== undefined && n > 0 && n % opts.progressEvery === 0) console.log(`fuzz ${step}: ${n} sent, ${JSON.stringify({ ...tally, fatalBy: undefined })}`);
      const req = fuzzRequest(rand, bases[Math.floor(rand() * bases.length)] as RunFunctionRequest, n);
      tally.requests++;
      try {
        const rsp = await p.clients[step].run(req, opts.timeoutMs ?? 20_000);
        tally.answered++;
        if (rsp.meta?.tag !== `fuzz-${n}`) tally.badTag++;
        for (const r of rsp.results) {
          if (r.severity === Severity.SEVERITY_FATAL) {
            tally.fatal++;
            const kind = r.message.replace(/\d+/g, 'N').slice(0, 90);
            tally.fatalBy[kind] = (tally.fatalBy[kind] ?? 0) + 1;
          }
          if (r.severity === Severity.SEVERITY_WARNING) tally.warning++;
          if (r.severity === Severity.SEVERITY_NORMAL) tally.normal++;
          if (r.severity === Severity.SEVERITY_FATAL && r.message.startsWith(`cannot run function function-scia-${step}:`)) {
            tally.thrown++;
            note(`#${n}: ${r.message}`);
          } else if (r.severity === Severity.SEVERITY_FATAL && !namesField(r.message)) {
            tally.unnamed++;
            note(`#${n}: names no field: ${r.message}`);
          }
        }
      } catch (err) {
        const code = ((err as Error).cause as grpc.ServiceError | undefined)?.code;
        if (code === grpc.status.DEADLINE_EXCEEDED) tally.hangs++;
        else tally.rpcErrors++;
        note(`#${n}: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return tally;
}
