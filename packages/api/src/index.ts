export * from './strategy.js';
export * from './analysis.js';
export * from './decision.js';
export * from './similar.js';
export * from './xr.js';
export * from './context.js';
export * from './issues.js';
