import { LRUCache } from 'lru-cache';
import type { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { ServiceStatus } from '@scia/api';
import { freezeJson, mergeDesiredStatus, setCondition, type Clock, type JsonObject } from '@scia/runtime';
import type { ClaimInputs } from './inputs.js';
import type { DeploymentState } from './status.js';

/** HISTORY_LIMIT caps status.history. */
const HISTORY_LIMIT = 20;

/** PENDING_PHASES are phases an earlier step sets while its work runs in the background. */
const PENDING_PHASES: readonly unknown[] = ['Analyzing', 'Deciding'];

/** ReportInputs are what the XR's status is reported from: the deployment's state and services' status, and what the XR and earlier steps said. */
export interface ReportInputs extends Pick<ClaimInputs, 'observedStatus' | 'generation' | 'earlierStatus'> {
  state: DeploymentState;
  services?: ServiceStatus[];
}

/**
 * report sets phase, message, endpoints, observedGeneration and history, then
 * the services' status, in one merge, and the DeploymentReady condition. An
 * earlier step's pending phase (Analyzing, Deciding) wins over readiness:
 * what is deployed stays rendered, but the XR says a new analysis or decision
 * is on its way. History is carried forward on every call, since desired
 * status replaces the XR's. With `memo`, the fields of `xr`'s last report are
 * sent again when made from the same inputs (see ReportMemo).
 */
export function report(rsp: RunFunctionResponse, inputs: ReportInputs, clock: Clock, memo?: { xr: string; reports: ReportMemo }): void {
  const { state } = inputs;
  mergeDesiredStatus(rsp, memo === undefined ? statusFields(inputs, clock).fields : memo.reports.fields(memo.xr, inputs, clock));
  const reason = state.phase === 'Running' ? 'Available' : state.phase;
  setCondition(rsp, 'DeploymentReady', state.phase === 'Running', reason, state.message);
}

/** statusFields are the status fields reported, and whether they hold a history entry stamped with the clock's time. */
function statusFields(inputs: ReportInputs, clock: Clock): { fields: JsonObject; stamped: boolean } {
  const { state, observedStatus, generation, earlierStatus, services } = inputs;
  const pending = earlierStatus.phase;
  // Decide reports Failed, with its reasons, once a deployment's attempts are spent.
  const gaveUp = pending === 'Failed';
  const phase = PENDING_PHASES.includes(pending) || gaveUp ? (pending as string) : state.phase;
  const given = earlierStatus.message;
  const message = gaveUp && typeof given === 'string' ? given : state.message;
  const fields: JsonObject = { phase, message, endpoints: state.endpoints };
  if (generation !== undefined) fields['observedGeneration'] = generation;
  const previous = observedStatus['phase'];
  const earlier = earlierStatus.history ?? observedStatus['history'];
  const history: unknown[] = Array.isArray(earlier) ? [...(earlier as unknown[])] : [];
  const stamped = previous !== phase;
  if (stamped) {
    const entry = {
      at: clock.now().toISOString(),
      event: `Phase${phase}`,
      message: `${typeof previous === 'string' ? previous : 'Pending'} -> ${phase}`,
    };
    history.push(entry);
  }
  if (history.length > 0) fields['history'] = history.slice(-HISTORY_LIMIT);
  if (services !== undefined) fields['services'] = services;
  return { fields, stamped };
}

/**
 * ReportMemo keeps, per XR, the status fields its last report sent (frozen:
 * see freezeJson) beside the inputs they came from, compared by identity
 * (ReadMemo and DerivedMemo hand back the same objects for the same request
 * parts) and the generation by value. A report that stamps a new history
 * entry with the clock's time is never kept: it is made afresh every time.
 */
export class ReportMemo {
  readonly #kept: LRUCache<string, { from: ReportInputs; fields: JsonObject }>;

  /** maxBytes bounds the fields kept, by about twice their JSON text. */
  constructor(maxBytes: number) {
    this.#kept = new LRUCache({ maxSize: Math.max(1, maxBytes), sizeCalculation: (k) => Math.max(1, 2 * JSON.stringify(k.fields).length) });
  }

  /** fields are the status fields of `inputs`: `xr`'s last report's when made from the same inputs. */
  fields(xr: string, inputs: ReportInputs, clock: Clock): JsonObject {
    const kept = this.#kept.get(xr);
    if (kept !== undefined && sameInputs(kept.from, inputs)) return kept.fields;
    const made = statusFields(inputs, clock);
    if (made.stamped) {
      this.#kept.delete(xr);
      return made.fields;
    }
    const fields = freezeJson(made.fields);
    this.#kept.set(xr, { from: inputs, fields });
    return fields;
  }
}

function sameInputs(a: ReportInputs, b: ReportInputs): boolean {
  return a.state === b.state && a.services === b.services && a.observedStatus === b.observedStatus && Object.is(a.generation, b.generation) && a.earlierStatus === b.earlierStatus;
}
