export { runFunction, TTL_SECONDS, DEFAULT_K, type RetrieveDeps, type Retriever } from './fn.js';
export { definition, retrieverOf } from './definition.js';
export { buildQuery, widen, queryHash } from './query.js';
export { decisionPinned } from './pin.js';
