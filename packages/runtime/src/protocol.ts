import type {
  Ready as SdkReady,
  Resource,
  ResourceSelector,
  Severity as SdkSeverity,
  Status as SdkStatus,
  Target as SdkTarget,
  RunFunctionRequest,
  RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import type { JsonObject } from '@scia/api';

/**
 * The RunFunction protocol's enum values and the request and response helpers
 * a step uses, without loading the SDK's module: its index loads gRPC, its
 * server and its logger, which a step run in-process (`scia decide`) never
 * uses. Types still come from the SDK; each value here is the SDK's own
 * (test/protocol.test.ts compares them).
 */

/** Ready is a composed resource's readiness (the SDK's Ready). */
export const Ready = { READY_UNSPECIFIED: 0 as SdkReady.READY_UNSPECIFIED, READY_TRUE: 1 as SdkReady.READY_TRUE, READY_FALSE: 2 as SdkReady.READY_FALSE } as const;

/** Severity is a result's severity (the SDK's Severity). */
export const Severity = {
  SEVERITY_UNSPECIFIED: 0 as SdkSeverity.SEVERITY_UNSPECIFIED,
  SEVERITY_FATAL: 1 as SdkSeverity.SEVERITY_FATAL,
  SEVERITY_WARNING: 2 as SdkSeverity.SEVERITY_WARNING,
  SEVERITY_NORMAL: 3 as SdkSeverity.SEVERITY_NORMAL,
} as const;

/** Status is a condition's status (the SDK's Status). */
export const Status = {
  STATUS_CONDITION_UNSPECIFIED: 0 as SdkStatus.STATUS_CONDITION_UNSPECIFIED,
  STATUS_CONDITION_UNKNOWN: 1 as SdkStatus.STATUS_CONDITION_UNKNOWN,
  STATUS_CONDITION_TRUE: 2 as SdkStatus.STATUS_CONDITION_TRUE,
  STATUS_CONDITION_FALSE: 3 as SdkStatus.STATUS_CONDITION_FALSE,
} as const;

/** Target is what a result or condition is reported on (the SDK's Target). */
export const Target = {
  TARGET_UNSPECIFIED: 0 as SdkTarget.TARGET_UNSPECIFIED,
  TARGET_COMPOSITE: 1 as SdkTarget.TARGET_COMPOSITE,
  TARGET_COMPOSITE_AND_CLAIM: 2 as SdkTarget.TARGET_COMPOSITE_AND_CLAIM,
} as const;

/**
 * responseTo starts a response to `req` as the SDK's `to` does: the request's
 * context and desired state (shared, not copied; an empty one when it has
 * none), its tag, and `ttl`.
 */
export function responseTo(req: RunFunctionRequest, ttl: { seconds: number; nanos: number }): RunFunctionResponse {
  const desired = req.desired ?? { composite: undefined, resources: {} };
  // A composite decoded as null stands for an empty one.
  if ((desired.composite as unknown) === null) desired.composite = { resource: undefined, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED };
  return { conditions: [], context: req.context, desired, meta: { tag: req.meta?.tag ?? '', ttl }, requirements: undefined, results: [] };
}

/** requireResource asks Crossplane for the resources `selector` matches, under `name` (the SDK's requireResource). */
export function requireResource(rsp: RunFunctionResponse, name: string, selector: ResourceSelector): RunFunctionResponse {
  rsp.requirements ??= { extraResources: {}, resources: {}, schemas: {} };
  rsp.requirements.resources ??= {};
  rsp.requirements.resources[name] = selector;
  return rsp;
}

/**
 * getRequiredResource returns the resources Crossplane sent under `name`, and
 * whether it answered that requirement at all (the SDK's getRequiredResource).
 */
export function getRequiredResource(req: RunFunctionRequest, name: string): [Resource[], boolean] {
  // Decoded messages may hold null where the types say absent.
  const sent = req.requiredResources?.[name] as RunFunctionRequest['requiredResources'][string] | null | undefined;
  if (sent === undefined || sent === null) return [[], false];
  const out: Resource[] = [];
  for (const item of (sent.items as Array<Resource | null> | undefined) ?? []) {
    const resource = item?.resource as JsonObject | null | undefined;
    if (item === null || item === undefined || resource === undefined || resource === null) continue;
    out.push({ resource, connectionDetails: item.connectionDetails ?? {}, ready: item.ready ?? Ready.READY_UNSPECIFIED });
  }
  return [out, true];
}
