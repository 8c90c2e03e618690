import type { Result, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Severity } from './protocol.js';
import { int32Size, utf8Size, varintSize, type WireWriter } from './wire-writer.js';

type ResponseMeta = NonNullable<RunFunctionResponse['meta']>;

const isInt32 = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= -0x80000000 && (v as number) <= 0x7fffffff;

/**
 * plainMeta tells whether encodeResponse writes `meta` itself: a string tag
 * and a TTL of whole non-negative int32 seconds and int32 nanos, what every
 * response carries. Anything else (which the SDK may refuse) goes to the
 * SDK's encoder, so that it answers as the SDK does.
 */
export function plainMeta(meta: ResponseMeta): boolean {
  if (typeof meta.tag !== 'string') return false;
  const ttl = meta.ttl;
  return ttl === undefined || (isInt32(ttl.seconds) && ttl.seconds >= 0 && isInt32(ttl.nanos));
}

/** sizeMeta is the sizing pass of ResponseMeta's fields (tag = 1, ttl = 2: Duration seconds = 1, nanos = 2), as the SDK writes them. */
export function sizeMeta(w: WireWriter, meta: ResponseMeta): number {
  let size = meta.tag === '' ? 0 : 1 + w.fill(w.reserve(), utf8Size(meta.tag));
  const ttl = meta.ttl;
  if (ttl !== undefined) {
    const slot = w.reserve();
    const body = (ttl.seconds === 0 ? 0 : 1 + varintSize(ttl.seconds)) + (ttl.nanos === 0 ? 0 : 1 + int32Size(ttl.nanos));
    size += 1 + w.fill(slot, body);
  }
  return size;
}

/** writeMeta is the writing pass of sizeMeta. */
export function writeMeta(w: WireWriter, meta: ResponseMeta): void {
  if (meta.tag !== '') {
    w.buf[w.pos++] = 10;
    w.string(meta.tag, w.next());
  }
  const ttl = meta.ttl;
  if (ttl === undefined) return;
  w.buf[w.pos++] = 18;
  w.next();
  if (ttl.seconds !== 0) {
    w.buf[w.pos++] = 8;
    w.varint(ttl.seconds);
  }
  if (ttl.nanos !== 0) {
    w.buf[w.pos++] = 16;
    w.int32(ttl.nanos);
  }
}

/** plainResults tells whether encodeResponse writes `results` itself: int32 enums and string texts, as the SDK's types say; anything else goes to the SDK. */
export function plainResults(results: readonly Result[]): boolean {
  if (!Array.isArray(results)) return false;
  for (const r of results as readonly Result[]) {
    if (!isInt32(r.severity) || typeof r.message !== 'string') return false;
    if (r.reason !== undefined && typeof r.reason !== 'string') return false;
    if (r.target !== undefined && !isInt32(r.target)) return false;
  }
  return true;
}

/** sizeResults is the sizing pass of the response's results (field 3, each severity = 1, message = 2, reason = 3, target = 4), as the SDK writes them. */
export function sizeResults(w: WireWriter, results: readonly Result[]): number {
  let size = 0;
  for (const r of results) {
    const slot = w.reserve();
    let body = r.severity === Severity.SEVERITY_UNSPECIFIED ? 0 : 1 + int32Size(r.severity);
    if (r.message !== '') body += 1 + w.fill(w.reserve(), utf8Size(r.message));
    if (r.reason !== undefined) body += 1 + w.fill(w.reserve(), utf8Size(r.reason));
    if (r.target !== undefined) body += 1 + int32Size(r.target);
    size += 1 + w.fill(slot, body);
  }
  return size;
}

/** writeResults is the writing pass of sizeResults. */
export function writeResults(w: WireWriter, results: readonly Result[]): void {
  for (const r of results) {
    w.buf[w.pos++] = 26;
    w.next();
    if (r.severity !== Severity.SEVERITY_UNSPECIFIED) {
      w.buf[w.pos++] = 8;
      w.int32(r.severity);
    }
    if (r.message !== '') {
      w.buf[w.pos++] = 18;
      w.string(r.message, w.next());
    }
    if (r.reason !== undefined) {
      w.buf[w.pos++] = 26;
      w.string(r.reason, w.next());
    }
    if (r.target !== undefined) {
      w.buf[w.pos++] = 32;
      w.int32(r.target);
    }
  }
}
