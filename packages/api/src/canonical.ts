import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * canonicalJson serializes `value` as RFC 8785 (JSON Canonicalization Scheme):
 * object keys sorted at every depth, undefined fields dropped, numbers in their
 * shortest form. Every hash in SCIA is taken over this text, so equal values
 * always hash equally whatever the key order they were built in.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('cannot canonicalize undefined');
  return text;
}

/** canonicalHash is the sha256 (hex) of canonicalJson(value). */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
