import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { Analysis } from '@scia/api';

export interface XrParts {
  name?: string;
  uid?: string;
  claimNamespace?: string;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  annotations?: Record<string, string>;
  /** namespace makes it a namespaced (v2) XR. */
  namespace?: string;
}

/** xr builds an observed XDeployment as Crossplane sends it for a claim in `team-a`. */
export function xr(parts: XrParts = {}): Record<string, unknown> {
  const name = parts.name ?? 'flask-api-x7k2p';
  return {
    apiVersion: 'scia.io/v1alpha1',
    kind: 'XDeployment',
    metadata: {
      name,
      ...(parts.uid === undefined ? {} : { uid: parts.uid }),
      ...(parts.namespace === undefined ? {} : { namespace: parts.namespace }),
      labels: {
        'crossplane.io/composite': name,
        'crossplane.io/claim-name': 'flask-api',
        'crossplane.io/claim-namespace': parts.claimNamespace ?? 'team-a',
      },
      ...(parts.annotations === undefined ? {} : { annotations: parts.annotations }),
    },
    spec: { repository: { url: 'https://example.com/acme/flask-api', ref: 'main' }, region: 'eu-west-3', prompt: 'REST API for a mobile app', ...parts.spec },
    ...(parts.status === undefined ? {} : { status: parts.status }),
  };
}

/** request wraps an observed XR, context and desired status into a RunFunctionRequest. */
export function request(observed: Record<string, unknown>, context: Record<string, unknown> = {}, desiredStatus?: Record<string, unknown>): RunFunctionRequest {
  return RunFunctionRequest.fromPartial({
    meta: { tag: 'tag-1' },
    observed: { composite: { resource: observed } },
    desired: desiredStatus === undefined ? {} : { composite: { resource: { status: desiredStatus } } },
    context,
  });
}

/** analysis is what the analyze step reports for a Flask API using PostgreSQL. */
export function analysis(over: Partial<Analysis> = {}): Analysis {
  return {
    url: 'https://example.com/acme/flask-api',
    commit: '0123456789abcdef0123456789abcdef01234567',
    language: 'python',
    languages: [],
    framework: 'flask',
    frameworks: [],
    dependencies: [{ name: 'flask', ecosystem: 'pypi', manifest: 'requirements.txt', dev: false }],
    dependencyCount: 1,
    ports: [],
    compose: [],
    procfile: {},
    services: [{ kind: 'postgresql', evidence: [] }],
    kind: 'server',
    hints: [],
    size: { files: 12, bytes: 4096 },
    confidence: 0.9,
    warnings: [],
    ...over,
  };
}

/** outcome is what a test compares of a response: TTL, results, and the context keys it set. */
export function outcome(rsp: RunFunctionResponse, keys: string[]): Record<string, unknown> {
  return {
    ttl: rsp.meta?.ttl?.seconds,
    results: rsp.results.map((r) => ({ severity: r.severity, reason: r.reason, message: r.message })),
    context: Object.fromEntries(keys.map((k) => [k, rsp.context?.[k]])),
  };
}
