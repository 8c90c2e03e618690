import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { isObject } from '@scia/api';
import { fieldAt, untouchedStruct } from '@scia/runtime';

/**
 * EarlierStatus is what earlier steps of this run set of the desired XR
 * status fields the renderer reads: a pending or failed phase, the message
 * that goes with it, and the history they carried forward.
 */
export interface EarlierStatus {
  phase?: unknown;
  message?: unknown;
  history?: unknown;
}

const READ = ['phase', 'message', 'history'] as const;
const PATHS = READ.map((k) => ['status', k]);
const NONE: EarlierStatus = Object.freeze({});

/**
 * earlierStatus reads the desired XR's status.phase, status.message and
 * status.history as earlier steps of this run set them. A desired XR still
 * undecoded that has none of them (the steady case: earlier steps set other
 * fields) is left undecoded; it goes back as it came but for the status the
 * renderer merges in. Anything else is read as decoded.
 */
export function earlierStatus(req: RunFunctionRequest): EarlierStatus {
  const composite = req.desired?.composite;
  if (composite === undefined) return NONE;
  const struct = untouchedStruct(composite);
  if (struct !== undefined && PATHS.every((p) => fieldAt(struct, p) === null)) return NONE;
  const status: unknown = composite.resource?.['status'];
  if (!isObject(status)) return NONE;
  const out: EarlierStatus = {};
  for (const k of READ) if (status[k] !== undefined) out[k] = status[k];
  return out;
}
