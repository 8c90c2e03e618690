import { createHash } from 'node:crypto';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { canonical } from './json.js';

/**
 * requestTag is the request's `meta.tag`: the SHA-256 of its protobuf encoding
 * with every map in key order and the tag itself empty, as Crossplane tags
 * requests with a hash of their deterministic encoding. Requests with equal
 * tags are otherwise identical.
 */
export function requestTag(req: RunFunctionRequest): string {
  const untagged: RunFunctionRequest = { ...req, meta: { tag: '', capabilities: req.meta?.capabilities ?? [] } };
  const bytes = RunFunctionRequest.encode(canonical(untagged)).finish();
  return createHash('sha256').update(bytes).digest('hex');
}
