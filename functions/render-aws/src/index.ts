export { runFunction, TTL_SECONDS, WAIT_TTL_SECONDS, type Deps } from './fn.js';
export { definition } from './definition.js';
export { RenderCache, type Composition } from './compose.js';
export { ATPROVIDER_READ } from './observed.js';
export { RENDERERS, type Renderer } from './renderers.js';
export { KINDS, awsApiVersion, kubernetesApiVersion, type AwsKind, type Scope } from './kinds.js';
export { DEFAULT_SIZING, DEFAULT_PORT, NETWORK, sizingFrom, type Sizing } from './defaults.js';
export { resourceName, awsName } from './naming.js';
export type { Composed, Plan, RenderContext, Rendered, Target } from './model.js';
