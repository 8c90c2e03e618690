import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { isObject, type JsonObject } from '@scia/api';
import { untouchedEntry } from './lazy-fields.js';
import { fatal, respond } from './response.js';
import { LAST_ENTRY, fieldAt, innerOf, readEntry } from './wire-same.js';

/** MALFORMED_TTL_SECONDS is the TTL of an answer to a malformed request: nothing is pending. */
const MALFORMED_TTL_SECONDS = 60;

/**
 * malformedRequest answers, with a Fatal result naming the field, a request
 * that Crossplane never sends, so that no step has to guess what it means:
 * one without an observed composite resource (Crossplane always sends the XR
 * it reconciles), or whose XR has a label value that is not a string
 * (Kubernetes stores label values as strings only; the `crossplane.io/*`
 * labels name the XR, its claim and its tenant). It returns undefined for a
 * request of the shape Crossplane sends.
 */
export function malformedRequest(req: RunFunctionRequest): RunFunctionResponse | undefined {
  const xr: unknown = req.observed?.composite?.resource;
  if (!isObject(xr)) return refuse(req, 'observed.composite.resource: the request has no observed composite resource, which Crossplane always sends');
  if (stringLabels(xr)) return undefined;
  const metadata = xr['metadata'];
  const labels = isObject(metadata) ? metadata['labels'] : undefined;
  if (labels === undefined || labels === null) return undefined;
  if (!isObject(labels)) return refuse(req, 'metadata.labels: must be a map of strings, as Kubernetes stores labels');
  const bad = Object.keys(labels).find((k) => typeof labels[k] !== 'string');
  if (bad === undefined) return undefined;
  return refuse(req, `metadata.labels[${labelKey(bad)}]: must be a string, as every Kubernetes label value is, not ${typeName(labels[bad])}`);
}

/**
 * stringLabels tells, from the bytes of the XR's metadata while no one has
 * read it (so a steady step that needs no label decodes none), that it has no
 * labels or labels whose values are all strings; false when it cannot tell
 * from the bytes, and the labels are then read.
 */
function stringLabels(xr: JsonObject): boolean {
  const entry = untouchedEntry(xr, 'metadata');
  const labels = entry === undefined ? undefined : fieldAt(entry, ['metadata', 'labels']);
  if (labels === null) return true;
  if (labels === undefined || labels[0] !== 42) return false;
  const end = labels.length;
  let p = innerOf(labels, 0, end);
  if (p < 0) return false;
  while (p < end) {
    // Each Value exactly one string field, as every encoder writes a string.
    if (!readEntry(labels, p, end) || labels[LAST_ENTRY.valueStart] !== 26 || innerOf(labels, LAST_ENTRY.valueStart, LAST_ENTRY.end) < 0) return false;
    p = LAST_ENTRY.end;
  }
  return true;
}

function refuse(req: RunFunctionRequest, why: string): RunFunctionResponse {
  return fatal(respond(req, MALFORMED_TTL_SECONDS), `cannot read the request: ${why}`, { reason: 'InvalidRequest' });
}

/** labelKey prints a label key as is when it looks like one, else quoted and cut short. */
function labelKey(key: string): string {
  return /^[\w./-]{1,317}$/.test(key) ? key : JSON.stringify(key.slice(0, 64));
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
