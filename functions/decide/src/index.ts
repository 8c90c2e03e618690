export { runFunction, MEMORY_RETRY_TTL_SECONDS, MODEL_RETRY_TTL_SECONDS, TTL_SECONDS, type DecideDeps } from './fn.js';
export { definition, DecideEnv } from './definition.js';
export { CachedDecision, FileDecisionCache, LayeredDecisionCache, MemoryDecisionCache, type DecisionCache } from './cache.js';
export { SqlDecisionCache, DECISIONS_TABLE, type Queryable } from './sql-cache.js';
export { pinnedDecision, statusOf } from './pin.js';
export { modelSource, OLLAMA_CREDENTIALS, type ModelConfig } from './models.js';
