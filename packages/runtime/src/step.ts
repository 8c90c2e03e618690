/**
 * @scia/runtime/step: what a step's code uses (its definition, responses,
 * team and region lookups, budgets), without the gRPC server and client,
 * metrics and the logger that @scia/runtime's index also loads. A command
 * that runs steps in-process and exits (`scia decide`) loads this alone.
 */
export * from './protocol.js';
export * from './response.js';
export * from './budget.js';
export * from './kit.js';
export * from './team.js';
export * from './region.js';
export { freezeJson, isFrozenJson } from './frozen-json.js';
export { FieldMemo } from './field-memo.js';
export { KeptJson } from './wire-kept.js';
export { contentHash } from './wire-content-hash.js';
export { fieldAt } from './wire-same.js';
export { untouchedEntry } from './lazy-fields.js';
export { ContextMemo, frozenCopy } from './context-memo.js';
export { malformedRequest } from './request-shape.js';
export type { Logger } from './logger.js';
export { quietLogger, type StepLogger } from './step-logger.js';
