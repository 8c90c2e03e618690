import type { Artifact, ServicePlan, Strategy } from '@scia/api';
import type { JsonObject } from '@scia/runtime';
import type { Scope } from './kinds.js';
import type { ObservedFacts, RenderedFacts } from './observed.js';
import type { Sizing } from './defaults.js';

/** Target identifies the XR the resources are composed for. */
export interface Target {
  /** name is the XR's name (label `crossplane.io/composite`, else metadata.name): the base of every resource name. */
  name: string;
  /** deployment is the claim's name when there is a claim, else the XR's. */
  deployment: string;
  /** namespace is the claim's namespace (v1) or the XR's (v2); empty when neither exists. */
  namespace: string;
  scope: Scope;
}

/** Plan is everything the renderers need to know, resolved from decision, analysis and spec. */
export interface Plan {
  strategy: Strategy;
  sizing: Sizing;
  port: number;
  language: string;
  startCommand?: string;
  /** installCommand installs dependencies from the manifests before the build (run from source only). */
  installCommand?: string;
  buildCommand?: string;
  repository: { url: string; ref: string; commit?: string; path?: string };
  artifact?: Artifact;
  region: string;
  providerConfigName: string;
  https: boolean;
  monitoring: boolean;
  /** domain is what the ACM certificate is issued for (require-https on vm and kubernetes). */
  domain?: string;
  /** services is the decision's plan for the app's database and cache (see services.ts). */
  services: ServicePlan[];
  /** privateData is the private-data policy: data services never get a public address. */
  privateData: boolean;
}

/**
 * RenderContext is the whole input of a strategy renderer: the observed facts
 * it copies, not the resources' readiness (see RenderedFacts), so that what
 * it renders, and the key it is kept by, do not change when only readiness does.
 */
export interface RenderContext {
  target: Target;
  plan: Plan;
  observed: RenderedFacts;
}

/** StatusContext is what readiness and status are computed from: a RenderContext with every observed fact. */
export type StatusContext = Omit<RenderContext, 'observed'> & { observed: ObservedFacts };

/** Composed is one desired composed resource: its composition resource name and body. */
export interface Composed {
  key: string;
  body: JsonObject;
}

/** Rendered is a renderer's output: resources plus warnings for the XR's events. */
export interface Rendered {
  resources: Composed[];
  warnings: string[];
  /** waiting lists resources held back until an observed value they need exists, e.g. a certificate's ARN. */
  waiting: string[];
}

/** A renderer returns Result<Rendered>: resources, or why the claim cannot be rendered (naming the field). */
