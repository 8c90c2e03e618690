import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { parse } from 'yaml';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { ANNOTATION_RESOURCE_NAME, renderPipeline, type JsonObject } from '@scia/render';
import { dialFunction, startFunctionServer } from '@scia/runtime';

/** STEPS are the pipeline's functions in order, as examples/auto-decision/composition.yaml calls them. */
export const STEPS = ['analyze', 'retrieve', 'decide', 'render-aws', 'record'] as const;
export type Step = (typeof STEPS)[number];

/** NOW is every function's clock (SCIA_NOW) and the providers' transition time. */
export const NOW = '2026-01-01T00:00:00Z';

// Compiled to bench/dist/<dir>/: the repository is three levels up.
const root = join(import.meta.dirname, '..', '..', '..');

function readYaml(path: string): JsonObject {
  return parse(readFileSync(join(root, path), 'utf8')) as JsonObject;
}

/** SteadyRequests are the encoded requests each step received on a steady reconcile, and the XR's phase then. */
export interface SteadyRequests {
  requests: Record<Step, Uint8Array>;
  phase: string;
  composed: number;
  reconciles: number;
}

/**
 * observedOf is a composed resource as a provider reports it back: the desired
 * object with the API server's metadata (uid, resourceVersion, a finalizer,
 * the external name), `status.atProvider` mirroring `spec.forProvider` plus
 * the computed arn and id, and Ready and Synced conditions. That is the shape,
 * and about the size, of what Crossplane sends each step on a steady reconcile.
 */
export function observedOf(desired: JsonObject, i: number): JsonObject {
  const meta = (desired['metadata'] ?? {}) as JsonObject;
  const forProvider = ((desired['spec'] as JsonObject | undefined)?.['forProvider'] ?? {}) as JsonObject;
  const kind = typeof desired['kind'] === 'string' ? desired['kind'] : 'resource';
  const id = `${kind.toLowerCase()}-0a1b2c3d4e5f${String(i).padStart(4, '0')}`;
  return {
    ...desired,
    metadata: {
      ...meta,
      uid: `6f0c2a1e-${String(i).padStart(4, '0')}-4b7d-9a3e-2c5d7f9b1e0a`,
      resourceVersion: String(4_180_000 + i * 17),
      generation: 1,
      creationTimestamp: NOW,
      finalizers: ['finalizer.managedresource.crossplane.io'],
      annotations: { ...(meta['annotations'] as JsonObject | undefined), 'crossplane.io/external-name': id, 'crossplane.io/external-create-succeeded': NOW },
    },
    status: {
      atProvider: { ...forProvider, arn: `arn:aws:ec2:eu-west-3:123456789012:${id}`, id, tagsAll: forProvider['tags'] ?? {} },
      conditions: [
        { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: NOW },
        { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: NOW },
      ],
    },
  };
}

/**
 * reachSteady reconciles the auto-decision claim through the functions at
 * `targets` as Crossplane would (the XR takes the desired status, observed
 * resources are the last desired ones as providers report them) until two
 * reconciles send every step byte-identical requests, and returns those.
 * Each step is reached through a recording proxy on loopback, used only here.
 */
export async function reachSteady(targets: Record<Step, string>, maxReconciles = 40): Promise<SteadyRequests> {
  const recorded = new Map<Step, Uint8Array>();
  const proxies = await Promise.all(STEPS.map(async (step) => {
    const client = dialFunction(targets[step]);
    const server = await startFunctionServer({
      name: `proxy-${step}`,
      run: (req) => {
        recorded.set(step, RunFunctionRequest.encode(req).finish());
        return client.run(req);
      },
      address: '127.0.0.1:0',
      credentials: grpc.ServerCredentials.createInsecure(),
    });
    return { step, client, server };
  }));
  try {
    const functions = proxies.map(({ step, server }) => ({
      apiVersion: 'pkg.crossplane.io/v1', kind: 'Function',
      metadata: { name: `function-scia-${step}`, annotations: { 'render.crossplane.io/runtime': 'Development', 'render.crossplane.io/runtime-development-target': server.address } },
      spec: { package: `ghcr.io/function-scia/${step}:v0.1.0` },
    }));
    const composition = readYaml('examples/auto-decision/composition.yaml');
    const base = readYaml('examples/auto-decision/xr.yaml');
    let xr: JsonObject = { ...base, metadata: { ...(base['metadata'] as JsonObject), uid: 'f0e1d2c3-0000-4000-8000-0000000be4c1' } };
    let desired: JsonObject[] = [];
    let previous: Uint8Array[] = [];
    for (let n = 1; n <= maxReconciles; n++) {
      recorded.clear();
      const out = await renderPipeline({ xr, composition, functions, observed: desired.map(observedOf) }, { builtins: {}, includeResults: false, timeoutMs: 60_000 });
      if (!out.ok) throw new Error(`cannot reconcile the bench claim: ${out.error}`);
      const [next, ...composed] = out.value.documents;
      const current = STEPS.map((s) => recorded.get(s) ?? new Uint8Array());
      const status = (next?.['status'] ?? {}) as JsonObject;
      const phase = typeof status['phase'] === 'string' ? status['phase'] : '';
      if (phase === 'Running' && current.every((b, i) => b.length > 0 && Buffer.compare(Buffer.from(b), Buffer.from(previous[i] ?? [])) === 0)) {
        return { requests: Object.fromEntries(STEPS.map((s, i) => [s, current[i] ?? new Uint8Array()])) as Record<Step, Uint8Array>, phase, composed: composed.length, reconciles: n };
      }
      previous = current;
      xr = { ...xr, status };
      desired = composed.filter((d) => ((d['metadata'] as JsonObject | undefined)?.['annotations'] as JsonObject | undefined)?.[ANNOTATION_RESOURCE_NAME] !== undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the bench claim was not steady after ${maxReconciles} reconciles`);
  } finally {
    for (const p of proxies) {
      p.client.close();
      await p.server.shutdown(100);
    }
  }
}
