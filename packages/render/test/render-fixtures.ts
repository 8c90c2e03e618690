import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  FunctionRunnerServiceService,
  Ready,
  Status,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import {
  fatal as fatalResult,
  warning,
  normal,
  mergeDesiredStatus,
  respond,
  setContext,
  setDesiredResource,
  silentLogger,
  startFunctionServer,
  type RunFn,
  type RunningFunctionServer,
} from '@scia/runtime';
import { renderFiles, type BuiltinRegistry, type JsonObject, type RenderOptions, type RenderPaths, type Result } from '@scia/render';

/** workdir writes files into a fresh temporary directory and returns their paths by name. */
export function workdir(files: Record<string, string>): (name: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'scia-render-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return (name) => join(dir, name);
}

/** FilePaths are RenderPaths relative to a work directory; XR, COMPOSITION and FUNCTIONS default to xr.yaml, composition.yaml and functions.yaml. */
export type FilePaths = Partial<RenderPaths>;

/**
 * renderIn writes `files` into a fresh directory and renders them with
 * renderFiles, the paths resolved in that directory; an error names files
 * relative to it, so expected messages do not depend on where it is.
 */
export async function renderIn(files: Record<string, string>, paths: FilePaths, options: Partial<RenderOptions>): Promise<Result<string>> {
  const path = workdir(files);
  const resolved: RenderPaths = { xr: 'xr.yaml', composition: 'composition.yaml', functions: 'functions.yaml', ...paths };
  for (const key of ['xr', 'composition', 'functions', 'observedResources', 'requiredResources', 'extraResources', 'functionCredentials', 'requiredSchemas', 'xrd'] as const) {
    const value = resolved[key];
    if (value !== undefined) resolved[key] = path(value);
  }
  if (resolved.contextFiles !== undefined) {
    resolved.contextFiles = Object.fromEntries(Object.entries(resolved.contextFiles).map(([k, f]) => [k, path(f)]));
  }
  const out = await renderFiles(resolved, { builtins: {}, ...options });
  return out.ok ? out : { ok: false, error: out.error.replaceAll(`${path('.')}/`, '') };
}

/** serveTest serves a test function on an ephemeral loopback port, plaintext, as a Development target would be. */
export function serveTest(name: string, run: RunFn): Promise<RunningFunctionServer> {
  return startFunctionServer({ name, run, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure() });
}

/** serveBeta serves a test function that implements only the v1beta1 RunFunction, as older functions do; resolves to its address. */
export async function serveBeta(run: RunFn): Promise<{ address: string; stop(): void }> {
  const server = new grpc.Server();
  const method = { ...FunctionRunnerServiceService.runFunction, path: '/apiextensions.fn.proto.v1beta1.FunctionRunnerService/RunFunction' };
  server.addService({ runFunction: method }, {
    runFunction: (call: grpc.ServerUnaryCall<RunFunctionRequest, RunFunctionResponse>, callback: grpc.sendUnaryData<RunFunctionResponse>) => {
      void Promise.resolve(run(call.request, silentLogger())).then((rsp) => callback(null, rsp));
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) => (err === null ? resolve(bound) : reject(err)));
  });
  return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

/** registry makes test functions in-process built-ins. */
export function registry(fns: Record<string, RunFn>): BuiltinRegistry {
  return Object.fromEntries(Object.entries(fns).map(([name, run]) => [name, () => Promise.resolve({ run, close: () => Promise.resolve() })]));
}

/** compose sets two composed resources and a status field; `input.ready` lists the READY_TRUE ones, `input.unready` adds more. */
export const compose: RunFn = (req) => {
  const rsp = respond(req, 60);
  const input = req.input ?? {};
  const ready = new Set<string>(Array.isArray(input['ready']) ? input['ready'].map(String) : []);
  const extra: string[] = Array.isArray(input['unready']) ? input['unready'].map(String) : [];
  const bucket = (region: string): JsonObject => ({ apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', spec: { forProvider: { region } } });
  setDesiredResource(rsp, 'bucket-b', bucket('eu-west-3'), ready.has('bucket-b') ? Ready.READY_TRUE : Ready.READY_UNSPECIFIED);
  setDesiredResource(rsp, 'bucket-a', { ...bucket('us-east-1'), metadata: { name: 'named-bucket' } }, ready.has('bucket-a') ? Ready.READY_TRUE : Ready.READY_UNSPECIFIED);
  for (const name of extra) setDesiredResource(rsp, name, bucket('eu-north-1'));
  mergeDesiredStatus(rsp, { widgets: 3, ratio: 0.5 });
  return rsp;
};

const CONFIG_REQUIREMENTS: NonNullable<RunFunctionResponse['requirements']> = {
  extraResources: {},
  resources: {
    config: { apiVersion: 'v1', kind: 'ConfigMap', matchName: 'app-config' },
    secrets: { apiVersion: 'v1', kind: 'Secret', matchLabels: { labels: { team: 'a' } } },
    missing: { apiVersion: 'v1', kind: 'ConfigMap', matchName: 'nope' },
  },
  schemas: {},
};

/** requireConfig asks for a ConfigMap by name, Secrets by label and a missing ConfigMap, and reports what it got in the XR status. */
export const requireConfig: RunFn = (req) => {
  const rsp = respond(req, 60);
  rsp.requirements = structuredClone(CONFIG_REQUIREMENTS);
  if (req.requiredResources['config'] === undefined) return rsp;
  const names = (key: string): string[] =>
    (req.requiredResources[key]?.items ?? []).map((i) => String((i.resource?.['metadata'] as JsonObject | undefined)?.['name']));
  mergeDesiredStatus(rsp, { config: names('config'), secrets: names('secrets'), missing: names('missing') });
  return rsp;
};

/**
 * requireEverySecret asks for every Secret (a selector with neither name nor
 * labels) and reports, for each required resource key it was sent, the names
 * of the resources it got.
 */
export const requireEverySecret: RunFn = (req) => {
  const rsp = respond(req, 60);
  rsp.requirements = { extraResources: {}, resources: { secrets: { apiVersion: 'v1', kind: 'Secret' } }, schemas: {} };
  const name = (r: { resource?: JsonObject | undefined }): string => String((r.resource?.['metadata'] as JsonObject | undefined)?.['name']);
  mergeDesiredStatus(rsp, { got: Object.fromEntries(Object.entries(req.requiredResources).map(([k, r]) => [k, r.items.map(name)])) });
  return rsp;
};

/** requireSchemas asks for the apps/v1 Deployment and v1 Pod schemas and writes the schemas it was sent into the XR status. */
export const requireSchemas: RunFn = (req) => {
  const rsp = respond(req, 60);
  rsp.requirements = { extraResources: {}, resources: {}, schemas: { deployment: { apiVersion: 'apps/v1', kind: 'Deployment' }, pod: { apiVersion: 'v1', kind: 'Pod' } } };
  mergeDesiredStatus(rsp, { schemas: Object.fromEntries(Object.entries(req.requiredSchemas).map(([k, v]) => [k, v.openapiV3 ?? null])) });
  return rsp;
};

/** neverSettles asks for a different resource on every call. */
export function neverSettles(): { run: RunFn; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    run: (req) => {
      calls++;
      const rsp = respond(req, 60);
      rsp.requirements = { extraResources: {}, resources: { [`r${calls}`]: { apiVersion: 'v1', kind: 'ConfigMap', matchName: `c${calls}` } }, schemas: {} };
      return rsp;
    },
  };
}

/** fatal returns a Fatal result after a warning. */
export const fatal: RunFn = (req) => {
  const rsp = respond(req, 60);
  warning(rsp, 'looked odd', { claim: true });
  fatalResult(rsp, 'cannot parse spec.budget: negative', { claim: true });
  return rsp;
};

/** conditions sets conditions (some of them system types), marks the XR READY_FALSE and returns results. */
export const conditions: RunFn = (req) => {
  const rsp = respond(req, 60);
  rsp.conditions = [
    { type: 'DatabaseReady', status: Status.STATUS_CONDITION_FALSE, reason: 'Pending', message: 'waiting for the database' },
    { type: 'Ready', status: Status.STATUS_CONDITION_TRUE, reason: 'Fake' },
    { type: 'Synced', status: Status.STATUS_CONDITION_TRUE, reason: 'Fake' },
    { type: 'Checked', status: Status.STATUS_CONDITION_UNSPECIFIED, reason: 'Unknown' },
  ];
  const composite = rsp.desired?.composite ?? { resource: {}, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED };
  if (rsp.desired !== undefined) rsp.desired.composite = { ...composite, ready: Ready.READY_FALSE };
  normal(rsp, 'all good', { claim: true });
  warning(rsp, 'budget: 80% used', { claim: true });
  return rsp;
};

/** echoContext copies the context into the XR status and adds a key of its own. */
export const echoContext: RunFn = (req: RunFunctionRequest) => {
  const rsp = respond(req, 60);
  mergeDesiredStatus(rsp, { context: req.context ?? {}, tag: req.meta?.tag ?? null, capabilities: req.meta?.capabilities ?? [] });
  setContext(rsp, 'scia.io/echo', { steps: 1 });
  return rsp;
};

/** readCredentials writes the credential keys and decoded values it received into the XR status. */
export const readCredentials: RunFn = (req) => {
  const rsp = respond(req, 60);
  const data = req.credentials['aws']?.credentialData?.data ?? {};
  mergeDesiredStatus(rsp, { credentials: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.toString('utf8')])) });
  return rsp;
};

export const XR = `apiVersion: scia.io/v1alpha1
kind: XDeployment
metadata:
  name: flask-api
spec:
  region: eu-west-3
`;

/** composition writes a Pipeline composition with the given steps as YAML. */
export function composition(steps: string, extra = ''): string {
  return `apiVersion: apiextensions.crossplane.io/v1
kind: Composition
metadata:
  name: xdeployments.scia.io
${extra}spec:
  compositeTypeRef:
    apiVersion: scia.io/v1alpha1
    kind: XDeployment
  mode: Pipeline
  pipeline:
${steps}`;
}

/** fn writes one Function document; with a target it is a Development Function. */
export function fn(name: string, target?: string): string {
  const annotations =
    target === undefined
      ? ''
      : `  annotations:\n    render.crossplane.io/runtime: Development\n    render.crossplane.io/runtime-development-target: ${target}\n`;
  return `---\napiVersion: pkg.crossplane.io/v1\nkind: Function\nmetadata:\n  name: ${name}\n${annotations}spec:\n  package: xpkg.example/${name}:v0.1.0\n`;
}

/** reportObserved writes what it observed into the XR status: the XR's name and each observed resource's key and name. */
export const reportObserved: RunFn = (req) => {
  const rsp = respond(req, 60);
  const resources = Object.entries(req.observed?.resources ?? {}).map(([key, r]) => `${key}=${String((r.resource?.['metadata'] as JsonObject | undefined)?.['name'])}`);
  mergeDesiredStatus(rsp, { observedXr: String((req.observed?.composite?.resource?.['metadata'] as JsonObject | undefined)?.['name']), observed: resources.sort() });
  return rsp;
};

/** recordTags keeps every request's meta.tag. */
export function recordTags(): { run: RunFn; tags: string[] } {
  const tags: string[] = [];
  return {
    tags,
    run: (req) => {
      tags.push(req.meta?.tag ?? '');
      return respond(req, 60);
    },
  };
}

/** step writes one pipeline step. */
export function step(name: string, functionName: string, more = ''): string {
  return `  - step: ${name}\n    functionRef:\n      name: ${functionName}\n${more}`;
}

