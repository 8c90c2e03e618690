export { runFunction, PENDING_TTL_SECONDS, RETRY_TTL_SECONDS, STEADY_TTL_SECONDS, type AnalyzeDeps } from './fn.js';
export { definition, AnalyzeEnv, DEFAULT_REF_TTL_SECONDS } from './definition.js';
export { loggedRepoSource } from './logged.js';
export { SteadyAnalyses } from './steady.js';
export { gitCredentials, credentialsKey, DEFAULT_CREDENTIALS } from './credentials.js';
