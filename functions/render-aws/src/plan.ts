import type { Phase } from '@scia/api';
import { DEFAULT_PORT, sizingFrom } from './defaults.js';
import type { Inputs } from './inputs.js';
import type { Plan } from './model.js';
import { installCommandFor } from './runtimes.js';

/** PlanResult: render a plan (with warnings), or wait for an earlier step. */
export type PlanResult = { kind: 'render'; plan: Plan; warnings: string[] } | { kind: 'wait'; phase: Phase };

/**
 * resolvePlan decides what to render. The strategy is the decision's (context
 * `scia.io/decision`) when an earlier step set one; else `spec.strategy` when
 * the user pinned one; else, with `auto`, wait while an earlier step reports
 * Analyzing or Deciding, or render `vm` with a warning when no decide step ran.
 * Sizing: overrides, then the decision's config, then DEFAULT_SIZING. Port:
 * overrides, decision, analysis, then 8080.
 */
export function resolvePlan(inputs: Inputs): PlanResult {
  const { spec, decision, analysis } = inputs;
  const warnings: string[] = [];
  let strategy = decision?.strategy;
  if (strategy === undefined && spec.strategy !== 'auto') strategy = spec.strategy;
  if (strategy === undefined && inputs.pendingPhase !== undefined) return { kind: 'wait', phase: inputs.pendingPhase };
  if (strategy === undefined) {
    strategy = 'vm';
    warnings.push('no decision in context and spec.strategy is auto: rendering vm (is the decide step missing from the pipeline?)');
  }
  const https = spec.policies.includes('require-https');
  const install = installCommandFor(analysis?.packageManager);
  const plan: Plan = {
    strategy,
    sizing: sizingFrom(spec.overrides, decision?.config),
    port: spec.overrides?.port ?? decision?.config.port ?? analysis?.port ?? DEFAULT_PORT,
    language: analysis?.language ?? 'unknown',
    repository: {
      url: spec.repository.url,
      ref: spec.repository.ref,
      ...(analysis === undefined ? {} : { commit: analysis.commit }),
      ...(spec.repository.path === undefined ? {} : { path: spec.repository.path }),
    },
    region: spec.region,
    providerConfigName: spec.providerConfigName,
    https,
    monitoring: spec.policies.includes('enable-monitoring'),
    services: decision?.services ?? [],
    privateData: spec.policies.includes('private-data'),
    ...(analysis?.startCommand === undefined ? {} : { startCommand: analysis.startCommand }),
    ...(install === undefined ? {} : { installCommand: install }),
    ...(analysis?.buildCommand === undefined ? {} : { buildCommand: analysis.buildCommand }),
    ...(spec.artifact === undefined ? {} : { artifact: spec.artifact }),
    ...(spec.domain === undefined ? {} : { domain: spec.domain }),
  };
  return { kind: 'render', plan, warnings };
}

