export { runFunction, recordOf, TTL_SECONDS, RETRY_TTL_SECONDS, DEFAULT_FAIL_AFTER_SECONDS, type RecordDeps, type Recorder } from './fn.js';
export { definition, RecordEnv, recorderOf } from './definition.js';
export { judge, type Verdict } from './judge.js';
export { readFeedback, MAX_COMMENT, type Feedback } from './feedback.js';
export { SeenWrites } from './seen.js';
export { SteadyRecords } from './steady.js';
