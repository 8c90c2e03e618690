export * from './flags.js';
export * from './logger.js';
export * from './metrics.js';
export * from './server.js';
export * from './client.js';
export * from './tls.js';
export * from './main.js';
export * from './response.js';
export { decodeRequest, decodeResponse, undecodable, MAX_JSON_DEPTH } from './decode.js';
