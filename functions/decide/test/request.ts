import { join } from 'node:path';
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Decision, type DeploymentSpecInput } from '@scia/api';
import { decide } from '@scia/decider';
import { SingleFlight } from '@scia/runtime';
import { FileDecisionCache, type DecideDeps } from '../src/index.js';

export interface RequestParts {
  spec?: Partial<DeploymentSpecInput> | Record<string, unknown>;
  status?: Record<string, unknown> | undefined;
  context?: Record<string, unknown>;
  desiredStatus?: Record<string, unknown>;
  credentials?: Record<string, Record<string, string>>;
}

/** request builds a RunFunctionRequest for the decide step, as Crossplane sends it. */
export function request(parts: RequestParts = {}): RunFunctionRequest {
  const xr = {
    apiVersion: 'scia.io/v1alpha1',
    kind: 'XDeployment',
    metadata: { name: 'flask-api-x7k2p', labels: { 'crossplane.io/composite': 'flask-api-x7k2p' } },
    spec: { repository: { url: 'https://example.com/acme/flask-api', ref: 'main' }, region: 'us-east-1', ...parts.spec },
    ...(parts.status === undefined ? {} : { status: parts.status }),
  };
  const credentials = Object.fromEntries(
    Object.entries(parts.credentials ?? {}).map(([name, data]) => [
      name,
      { credentialData: { data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v)])) } },
    ]),
  );
  return RunFunctionRequest.fromPartial({
    meta: { tag: 'tag-1' },
    observed: { composite: { resource: xr } },
    desired: parts.desiredStatus === undefined ? {} : { composite: { resource: { status: parts.desiredStatus } } },
    context: parts.context ?? {},
    credentials,
  });
}

/** desiredStatusOf reads the desired XR status a response carries. */
export function desiredStatusOf(rsp: RunFunctionResponse): Record<string, unknown> {
  const status: unknown = rsp.desired?.composite?.resource?.['status'];
  return typeof status === 'object' && status !== null ? (status as Record<string, unknown>) : {};
}

/** outcome is the part of a response a test compares: TTL, results, conditions, context decision, status. */
export function outcome(rsp: RunFunctionResponse): Record<string, unknown> {
  return {
    ttl: rsp.meta?.ttl?.seconds,
    results: rsp.results.map((r) => ({ severity: r.severity, reason: r.reason, message: r.message })),
    conditions: rsp.conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
    decision: decisionOf(rsp),
    status: desiredStatusOf(rsp),
  };
}

/** decisionOf reads the decision a response put in context, or undefined when it put none. */
export function decisionOf(rsp: RunFunctionResponse): Decision | undefined {
  const value: unknown = rsp.context?.['scia.io/decision'];
  return value === undefined ? undefined : Decision.parse(value);
}

/** rulesDeps decides with the rules (no model), with a fresh decision cache under `dir` for each call. */
export function rulesDeps(dir: string): DecideDeps {
  return {
    decide: (input, model) => decide(input, { model }),
    modelFor: () => undefined,
    cache: new FileDecisionCache(join(dir, String(Math.random()))),
    pending: new SingleFlight(),
    budgetMs: 10_000,
  };
}
