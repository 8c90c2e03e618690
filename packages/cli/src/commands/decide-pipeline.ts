import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Api, ContextKey, Decision, parseEnv, type Result, type ServicePlan } from '@scia/api';
import { GitEnv } from '@scia/analyzer';
import * as analyzeStep from '@scia/function-analyze';
import * as decideStep from '@scia/function-decide';
import { Ready, Severity, quietLogger, type BuiltFunction } from '@scia/runtime/step';
import type { Retrieve } from './decide-retrieve.js';
import type { Io } from '../command.js';
import { runOnce } from '../functions.js';

/**
 * decide runs the pipeline on a claim's spec, with the retrieve step being
 * built meanwhile (see decide-retrieve.ts), prints the decision and returns
 * the exit status: 0 decided, 1 not, 2 an environment that cannot be read.
 */
export async function decide(spec: Record<string, unknown>, opts: { json: boolean }, retrieving: Promise<Retrieve>, io: Io): Promise<number> {
  const budgets = commandBudgets(io);
  if (!budgets.ok) {
    await retrieving.then((r) => r.built.close(), () => undefined);
    io.stderr.write(`scia decide: ${budgets.error}\n`);
    return 2;
  }
  const rsp = await pipeline(spec, budgets.value, retrieving, io);
  report(rsp, io);
  const decision = Decision.safeParse(rsp.context?.[ContextKey.decision]);
  if (rsp.results.some((r) => r.severity === Severity.SEVERITY_FATAL) || !decision.success) return 1;
  io.stdout.write(opts.json ? `${JSON.stringify(rsp.context?.[ContextKey.decision], null, 2)}\n` : summary(decision.data));
  return 0;
}

/**
 * pipeline runs analyze, retrieve and decide on one XR,
 * each step's desired state and context feeding the next, as Crossplane would.
 */
async function pipeline(spec: Record<string, unknown>, { analyzeBudget, modelBudget }: Budgets, retrieving: Promise<Retrieve>, io: Io): Promise<RunFunctionResponse> {
  const xr = { apiVersion: Api.apiVersion, kind: Api.compositeKind, metadata: { name: 'scia-decide' }, spec };
  // Every field as the SDK's RunFunctionRequest.fromPartial fills it (its module loads gRPC).
  let req: RunFunctionRequest = {
    meta: { tag: 'scia-decide', capabilities: [] },
    observed: { composite: { resource: xr, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED }, resources: {} },
    desired: undefined,
    input: undefined,
    context: undefined,
    extraResources: {},
    credentials: {},
    requiredResources: {},
    requiredSchemas: {},
  };
  const analyzed = await runOnce(analyzeStep.definition, req, { ...io.env, SCIA_ALLOW_LOCAL_REPOS: 'true', SCIA_CALL_BUDGET_MS: String(analyzeBudget) }, io.cwd);
  if (analyzed.results.some((r) => r.severity === Severity.SEVERITY_FATAL)) {
    await retrieving.then((r) => r.built.close(), () => undefined);
    return analyzed;
  }
  report(analyzed, io);
  req = next(req, analyzed);
  const { built, primedWarnings } = await retrieving;
  const retrieved = await retrieve(built, req, io);
  // What opening the store met (a template that did not start) is said once, as the step would have.
  for (const w of primedWarnings) if (!retrieved.results.some((r) => r.message === w)) io.stderr.write(`scia decide: warning: ${w}\n`);
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

/** retrieve runs the built retrieve step once, closing it afterwards. */
async function retrieve(built: BuiltFunction, req: RunFunctionRequest, io: Io): Promise<RunFunctionResponse> {
  try {
    const rsp = await built.run(req, quietLogger());
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
