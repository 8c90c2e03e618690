import { z } from 'zod';
import { Analysis, ContextKey, Decision, DeploymentSpec, isObject, parseAt, type JsonObject, type Phase, type Result } from '@scia/api';
import { observedComposite, observedResources } from '@scia/runtime';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import type { Target } from './model.js';
import { readObserved, type ObservedFacts } from './observed.js';

/** Inputs are the validated parts of a request the renderer reads. */
export interface Inputs {
  target: Target;
  spec: DeploymentSpec;
  decision?: Decision;
  analysis?: Analysis;
  observed: ObservedFacts;
  /** observedStatus is the XR's observed status (for history). */
  observedStatus: JsonObject;
  /** generation is the XR's metadata.generation, reported back as status.observedGeneration. */
  generation?: number;
  /** pendingPhase is Analyzing or Deciding when an earlier step of this run reported one. */
  pendingPhase?: Phase;
}

const Metadata = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  generation: z.number().int().nonnegative().optional(),
});

/** readInputs validates the XR, the context keys and the observed resources, naming the first bad field. */
export function readInputs(req: RunFunctionRequest): Result<Inputs> {
  const xr = observedComposite(req);
  if (xr === undefined) return { ok: false, error: 'observed.composite: the request has no observed composite resource' };
  const metadata = parseAt(Metadata, xr['metadata'], 'metadata');
  if (!metadata.ok) return metadata;
  const spec = parseAt(DeploymentSpec, xr['spec'], 'spec');
  if (!spec.ok) return spec;
  const decision = optional(Decision, req.context?.[ContextKey.decision], `context[${ContextKey.decision}]`);
  if (!decision.ok) return decision;
  const analysis = optional(Analysis, req.context?.[ContextKey.analysis], `context[${ContextKey.analysis}]`);
  if (!analysis.ok) return analysis;
  const observed = readObserved(observedResources(req));
  if (!observed.ok) return observed;
  const pending = pendingPhase(req);
  return {
    ok: true,
    value: {
      target: targetOf(metadata.value),
      spec: spec.value,
      ...(decision.value === undefined ? {} : { decision: decision.value }),
      ...(analysis.value === undefined ? {} : { analysis: analysis.value }),
      observed: observed.value,
      observedStatus: isObject(xr['status']) ? xr['status'] : {},
      ...(metadata.value.generation === undefined ? {} : { generation: metadata.value.generation }),
      ...(pending === undefined ? {} : { pendingPhase: pending }),
    },
  };
}

function optional<S extends z.ZodType>(schema: S, value: unknown, root: string): Result<z.infer<S> | undefined> {
  return value === undefined || value === null ? { ok: true, value: undefined } : parseAt(schema, value, root);
}

/**
 * targetOf names the XR: resources are named from `crossplane.io/composite`
 * (else metadata.name); tags carry the claim's name and namespace when the XR
 * has a claim (v1), else the XR's own (v2).
 */
function targetOf(m: z.infer<typeof Metadata>): Target {
  const labels = m.labels ?? {};
  return {
    name: labels['crossplane.io/composite'] ?? m.name,
    deployment: labels['crossplane.io/claim-name'] ?? m.name,
    namespace: labels['crossplane.io/claim-namespace'] ?? m.namespace ?? '',
    scope: m.namespace === undefined ? 'cluster' : 'namespaced',
  };
}

function pendingPhase(req: RunFunctionRequest): Phase | undefined {
  const status: unknown = req.desired?.composite?.resource?.['status'];
  const phase = isObject(status) ? status['phase'] : undefined;
  return phase === 'Analyzing' || phase === 'Deciding' ? phase : undefined;
}
