import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RunFunctionRequest, Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Api, ContextKey, Decision, parseEnv, type Result, type ServicePlan } from '@scia/api';
import { GitEnv } from '@scia/analyzer';
import { parsePolicies } from '@scia/decider';
import * as analyzeStep from '@scia/function-analyze';
import * as decideStep from '@scia/function-decide';
import * as retrieveStep from '@scia/function-retrieve';
import type { Command, Io } from '../command.js';
import { runOnce } from '../functions.js';
import { silentLogger, type BuiltFunction } from '@scia/runtime';
import { parseYamlStream } from '@scia/render';

const USAGE = `Usage: scia decide CLAIM.yaml [flags]
       scia decide --repo PATH_OR_URL --prompt TEXT [flags]

Runs the analyze, retrieve and decide steps in-process on a claim
and prints the decision: strategy, size, monthly cost and why. Flags override
the claim's fields. The model is OLLAMA_HOST (+ SCIA_OLLAMA_MODEL); without
one, the rules decide. Decisions are kept by input hash under SCIA_DATA_DIR.
  --repo PATH_OR_URL     the repository (a local path or an HTTPS Git URL)
  --ref REF              branch, tag or commit (default HEAD)
  --prompt TEXT          what the team wants, in its own words
  --region R             AWS region (default us-east-1)
  --budget USD           monthly budget
  --enforcement MODE     soft (default) or hard
  --strategy S           auto (default), vm, kubernetes or serverless
  --policy P             require-https or enable-monitoring (repeatable)
  --image IMAGE          the container image CI built (spec.artifact.image)
  --json                 print the Decision exactly as the step puts it in context`;

const OPTIONS = {
  repo: { type: 'string' }, ref: { type: 'string' }, prompt: { type: 'string' }, region: { type: 'string' },
  budget: { type: 'string' }, enforcement: { type: 'string' }, strategy: { type: 'string' },
  policy: { type: 'string', multiple: true }, image: { type: 'string' },
  json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1 || (positionals.length === 0 && values.repo === undefined)) {
    io.stderr.write(`scia decide: expected CLAIM.yaml or --repo\n${USAGE}\n`);
    return 2;
  }
  const spec = await buildSpec(positionals[0], values, io);
  if (!spec.ok) {
    io.stderr.write(`scia decide: ${spec.error}\n`);
    return 2;
  }
  const budgets = commandBudgets(io);
  if (!budgets.ok) {
    io.stderr.write(`scia decide: ${budgets.error}\n`);
    return 2;
  }
  const rsp = await pipeline(spec.value, budgets.value, io);
  report(rsp, io);
  const decision = Decision.safeParse(rsp.context?.[ContextKey.decision]);
  if (rsp.results.some((r) => r.severity === Severity.SEVERITY_FATAL) || !decision.success) return 1;
  io.stdout.write(values.json ? `${JSON.stringify(rsp.context?.[ContextKey.decision], null, 2)}\n` : summary(decision.data));
  return 0;
}

/** buildSpec reads the claim's spec (when a file is given) and applies the flags over it. */
async function buildSpec(file: string | undefined, v: Values, io: Io): Promise<Result<Record<string, unknown>>> {
  const base = file === undefined ? { ok: true as const, value: {} } : await readClaimSpec(resolve(io.cwd, file));
  if (!base.ok) return base;
  const spec: Record<string, unknown> = { region: 'us-east-1', ...base.value };
  if (v.repo !== undefined) spec['repository'] = { url: v.repo, ...(v.ref === undefined ? {} : { ref: v.ref }) };
  const repo = spec['repository'];
  if (typeof repo === 'object' && repo !== null && 'url' in repo && typeof repo.url === 'string') {
    // A bare relative directory is a local path; anything with a scheme is a URL.
    const local = !repo.url.includes('://') && existsSync(resolve(io.cwd, repo.url));
    spec['repository'] = { ...repo, url: local ? resolve(io.cwd, repo.url) : repo.url };
  }
  if (v.prompt !== undefined) spec['prompt'] = v.prompt;
  if (v.region !== undefined) spec['region'] = v.region;
  if (v.strategy !== undefined) spec['strategy'] = v.strategy;
  if (v.image !== undefined) spec['artifact'] = { image: v.image };
  if (v.policy !== undefined) {
    const policies = parsePolicies(v.policy, '--policy');
    if (!policies.ok) return policies;
    spec['policies'] = policies.value;
  }
  if (v.budget !== undefined || v.enforcement !== undefined) {
    const budget = Number(v.budget);
    if (v.budget !== undefined && !Number.isFinite(budget)) return { ok: false, error: `--budget: ${JSON.stringify(v.budget)} is not a number` };
    const prior = typeof spec['budget'] === 'object' && spec['budget'] !== null ? spec['budget'] : {};
    spec['budget'] = { ...prior, ...(v.budget === undefined ? {} : { maxMonthlyCost: budget }), ...(v.enforcement === undefined ? {} : { enforcementMode: v.enforcement }) };
  }
  return { ok: true, value: spec };
}

async function readClaimSpec(file: string): Promise<Result<Record<string, unknown>>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, error: `cannot read ${file}: ${(err as Error).message}` };
  }
  const docs = parseYamlStream(text);
  if (!docs.ok) return { ok: false, error: `cannot parse ${file}: ${docs.error}` };
  for (const doc of docs.value) {
    if (typeof doc !== 'object' || doc === null || !('kind' in doc)) continue;
    if (doc.kind !== Api.claimKind && doc.kind !== Api.compositeKind) continue;
    const spec = 'spec' in doc ? doc.spec : undefined;
    if (typeof spec === 'object' && spec !== null) return { ok: true, value: { ...spec } };
  }
  return { ok: false, error: `cannot find a ${Api.claimKind} or ${Api.compositeKind} with a spec in ${file}` };
}

/**
 * pipeline runs analyze, retrieve and decide on one XR,
 * each step's desired state and context feeding the next, as Crossplane would.
 */
async function pipeline(spec: Record<string, unknown>, { analyzeBudget, modelBudget }: Budgets, io: Io): Promise<RunFunctionResponse> {
  const xr = { apiVersion: Api.apiVersion, kind: Api.compositeKind, metadata: { name: 'scia-decide' }, spec };
  let req = RunFunctionRequest.fromPartial({ meta: { tag: 'scia-decide' }, observed: { composite: { resource: xr } } });
  // The store opens (a fresh one from its template) while the repository is analysed.
  const retrieving = buildRetrieve(io);
  const analyzed = await runOnce(analyzeStep.definition, req, { ...io.env, SCIA_ALLOW_LOCAL_REPOS: 'true', SCIA_CALL_BUDGET_MS: String(analyzeBudget) }, io.cwd);
  if (analyzed.results.some((r) => r.severity === Severity.SEVERITY_FATAL)) {
    await retrieving.then((r) => r.close(), () => undefined);
    return analyzed;
  }
  report(analyzed, io);
  req = next(req, analyzed);
  const retrieved = await retrieve(await retrieving, req, io);
  if (retrieved.results.some((r) => r.severity === Severity.SEVERITY_FATAL)) return retrieved;
  req = next(req, retrieved);
  return runOnce(decideStep.definition, req, { ...io.env, SCIA_CALL_BUDGET_MS: String(modelBudget) }, io.cwd);
}

interface Budgets {
  analyzeBudget: number;
  modelBudget: number;
}

/** commandBudgets: a command waits for the whole of each step, a fetch (resolve and fetch) and the model's answer. */
function commandBudgets(io: Io): Result<Budgets> {
  const git = parseEnv(GitEnv, io.env);
  if (!git.ok) return git;
  const model = parseEnv(decideStep.DecideEnv, io.env);
  if (!model.ok) return model;
  return { ok: true, value: { analyzeBudget: 2 * git.value.SCIA_GIT_TIMEOUT_MS + 5000, modelBudget: model.value.SCIA_OLLAMA_TIMEOUT_MS + 5000 } };
}

function next(req: RunFunctionRequest, rsp: RunFunctionResponse): RunFunctionRequest {
  return { ...req, desired: rsp.desired, context: rsp.context };
}

/** buildRetrieve builds the retrieve step on the embedded store (or SCIA_DATABASE_URL): the store is open once it resolves. */
function buildRetrieve(io: Io): Promise<BuiltFunction> {
  const built = retrieveStep.definition.build({ env: { ...io.env, SCIA_CALL_BUDGET_MS: '60000' }, logger: silentLogger(), cwd: io.cwd });
  // Awaited later; a failure must not go unhandled meanwhile.
  built.catch(() => undefined);
  return built;
}

/** retrieve runs the built retrieve step once, closing it afterwards. */
async function retrieve(built: BuiltFunction, req: RunFunctionRequest, io: Io): Promise<RunFunctionResponse> {
  try {
    const rsp = await built.run(req, silentLogger());
    report(rsp, io);
    return rsp;
  } finally {
    await built.close();
  }
}

function report(rsp: RunFunctionResponse, io: Io): void {
  for (const r of rsp.results) {
    const level = r.severity === Severity.SEVERITY_FATAL ? 'error' : r.severity === Severity.SEVERITY_WARNING ? 'warning' : 'info';
    io.stderr.write(`scia decide: ${level}: ${r.message}\n`);
  }
}

/** summary renders a decision for a reader. */
export function summary(d: Decision): string {
  const config = Object.entries(d.config).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  const rows = [
    `strategy     ${d.strategy} (decided by ${d.decidedBy}${d.model === undefined ? '' : `, ${d.model}`}, confidence ${d.confidence})`,
    `config       ${config}`,
    `cost         $${d.estimatedMonthlyCost.toFixed(2)}/month`,
    ...d.costBreakdown.map((c) => `               $${c.monthly.toFixed(2).padStart(8)}  ${c.item}`),
    `reason       ${d.reason}`,
    ...(d.services ?? []).map((s) => `service      ${s.kind}: ${describePlan(s)} ($${(s.estimatedMonthlyCost ?? 0).toFixed(2)}/month): ${s.reason}`),
    ...d.alternativeStrategies.map((a) => `alternative  ${a.strategy}${a.estimatedMonthlyCost === undefined ? '' : ` ($${a.estimatedMonthlyCost.toFixed(2)}/month)`}: ${a.reason}`),
    ...(d.citedCases.length === 0 ? [] : [`cases        ${d.citedCases.join(', ')}`]),
    `input hash   ${d.inputHash}`,
  ];
  return `${rows.join('\n')}\n`;
}

/** describePlan names how a service is provided: `rds-instance postgres 16 db.t4g.small multi-az`. */
function describePlan(s: ServicePlan): string {
  return [s.offering, s.engine, s.engineVersion, s.instanceClass, s.multiAz ? 'multi-az' : undefined].filter((w) => w !== undefined).join(' ');
}

export const command: Command = { name: 'decide', summary: 'decide how a claim deploys: strategy, size, monthly cost and why', usage: USAGE, run };
