import { z } from 'zod';
import { Analysis, ContextKey, Decision, DeploymentSpec, HistoryEntry, isObject, parseAt, type ClaimSpec, type Phase, type Result } from '@scia/api';
import { freezeJson, observedComposite, observedResources, teamScope, type JsonObject, type TeamScope } from '@scia/runtime';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import type { Target } from './model.js';
import { readObserved, type ObservedFacts } from './observed.js';
import type { ReadMemo } from './read-memo.js';
import { earlierStatus, type EarlierStatus } from './earlier-status.js';

/** Inputs are the validated parts of a request the renderer reads. */
export interface Inputs {
  target: Target;
  spec: DeploymentSpec;
  decision?: Decision;
  analysis?: Analysis;
  observed: ObservedFacts;
  /** observedStatus is what the renderer reads of the XR's observed status: its phase and history. */
  observedStatus: ObservedStatus;
  /** scope is where the XR's team lives (see teamScope); undefined when it has none. */
  scope?: TeamScope;
  /** generation is the XR's metadata.generation, reported back as status.observedGeneration. */
  generation?: number;
  /** pendingPhase is Analyzing or Deciding when an earlier step of this run reported one. */
  pendingPhase?: Phase;
  /** earlierStatus is what earlier steps of this run set of the status fields the renderer reports (see earlierStatus). */
  earlierStatus: EarlierStatus;
  /** warnings name what could not be read and was left out (observed values, history entries). */
  warnings: string[];
}

/** ObservedStatus is the XR's observed status.phase, and its status.history read entry by entry (see readStatus). */
export interface ObservedStatus {
  phase?: unknown;
  history?: z.infer<typeof HistoryEntry>[];
}

/**
 * InputError says why the request cannot be rendered. `claim` is true when the
 * claim itself is wrong (a Fatal: nothing to retry); otherwise an earlier
 * step handed over something this step cannot read, and what is deployed is
 * held until it can.
 */
export interface InputError {
  message: string;
  claim: boolean;
}

const Metadata = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  generation: z.number().int().nonnegative().optional(),
});

/** ClaimInputs are Inputs before the claim's region is resolved (see resolveRegion). */
export type ClaimInputs = Omit<Inputs, 'spec'> & { spec: ClaimSpec };

/**
 * readInputs validates the XR, the context keys and the observed resources,
 * naming the first bad field. With `memo`, the spec, the context values and
 * the observed resources are read through it: a part the XR's last call had
 * the same is not read again (see ReadMemo).
 */
export function readInputs(req: RunFunctionRequest, memo?: ReadMemo): Result<ClaimInputs, InputError> {
  const xr = observedComposite(req);
  if (xr === undefined) return claimError('observed.composite: the request has no observed composite resource');
  const meta = xr['metadata'];
  const key = memo === undefined ? undefined : metadataKey(meta);
  const { metadata, scope } =
    key === undefined || memo === undefined ? readMetadata(meta) : memo.matched(`${key.namespace ?? ''}/${key.name ?? ''}`, 'metadata', key, sameMetadata, () => readMetadata(meta));
  if (!metadata.ok) return claimError(metadata.error);
  const id = `${metadata.value.namespace ?? ''}/${metadata.value.name}`;
  const read = <T>(part: string, holder: JsonObject | undefined, key: string, fn: (value: unknown) => T): T =>
    memo === undefined || holder === undefined ? fn(holder?.[key]) : memo.field(id, part, holder, key, fn);
  const spec = read('spec', xr, 'spec', (v) => parseAt(DeploymentSpec, v, 'spec'));
  if (!spec.ok) return claimError(spec.error);
  const decision = read('decision', req.context, ContextKey.decision, (v) => optional(Decision, v, `context[${ContextKey.decision}]`));
  if (!decision.ok) return { ok: false, error: { message: decision.error, claim: false } };
  const analysis = read('analysis', req.context, ContextKey.analysis, (v) => optional(Analysis, v, `context[${ContextKey.analysis}]`));
  if (!analysis.ok) return { ok: false, error: { message: analysis.error, claim: false } };
  const observed = memo === undefined ? readObserved(observedResources(req)) : memo.observed(id, req);
  const readXrStatus = (): ReturnType<typeof readStatus> => readStatus(xr['status']);
  const status = memo === undefined ? readXrStatus() : memo.fieldsAt(id, 'status', xr, 'status', STATUS_READ, readXrStatus);
  const earlier = earlierStatus(req);
  const pending = earlier.phase === 'Analyzing' || earlier.phase === 'Deciding' ? earlier.phase : undefined;
  return {
    ok: true,
    value: {
      target: targetOf(metadata.value),
      ...(scope === undefined ? {} : { scope }),
      spec: spec.value,
      ...(decision.value === undefined ? {} : { decision: decision.value }),
      ...(analysis.value === undefined ? {} : { analysis: analysis.value }),
      observed: observed.facts,
      observedStatus: status.value,
      earlierStatus: earlier,
      warnings: [...observed.warnings, ...status.warnings],
      ...(metadata.value.generation === undefined ? {} : { generation: metadata.value.generation }),
      ...(pending === undefined ? {} : { pendingPhase: pending }),
    },
  };
}

function readMetadata(meta: unknown): { metadata: Result<z.infer<typeof Metadata>>; scope: TeamScope | undefined } {
  return { metadata: parseAt(Metadata, meta, 'metadata'), scope: teamScope({ metadata: meta }) };
}

/** MetadataKey is all readMetadata reads of an XR's metadata: name, namespace, generation, creationTimestamp and labels. */
interface MetadataKey {
  name?: string;
  namespace?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
}

/**
 * metadataKey is the MetadataKey of `meta`, its labels copied; undefined
 * when some of it is of a type sameMetadata does not compare (the kit reads
 * the labels before any step: the metadata has no bytes left to compare).
 */
function metadataKey(meta: unknown): MetadataKey | undefined {
  if (!isObject(meta)) return undefined;
  const { name, namespace, generation, creationTimestamp, labels } = meta;
  if (!(name === undefined || typeof name === 'string') || !(namespace === undefined || typeof namespace === 'string')) return undefined;
  if (!(creationTimestamp === undefined || typeof creationTimestamp === 'string') || !(generation === undefined || typeof generation === 'number')) return undefined;
  if (labels !== undefined && !isObject(labels)) return undefined;
  const copy: Record<string, string> = {};
  for (const k of Object.keys(labels ?? {})) {
    const v = (labels as JsonObject)[k];
    if (typeof v !== 'string') return undefined;
    copy[k] = v;
  }
  return { name, namespace, generation, creationTimestamp, ...(labels === undefined ? {} : { labels: copy }) } as MetadataKey;
}

function sameMetadata(a: MetadataKey, b: MetadataKey): boolean {
  if (a.name !== b.name || a.namespace !== b.namespace || !Object.is(a.generation, b.generation) || a.creationTimestamp !== b.creationTimestamp) return false;
  if (a.labels === undefined || b.labels === undefined) return a.labels === b.labels;
  const keys = Object.keys(b.labels);
  return keys.length === Object.keys(a.labels).length && keys.every((k) => Object.hasOwn(a.labels as object, k) && a.labels?.[k] === b.labels?.[k]);
}

function claimError(message: string): { ok: false; error: InputError } {
  return { ok: false, error: { message, claim: true } };
}

/** STATUS_READ are the fields of the XR's status readStatus reads. */
const STATUS_READ = [['phase'], ['history']];

/**
 * readStatus reads the XR's observed status.phase and status.history, and no
 * other field (the status earlier steps pinned is theirs to read). History is
 * read entry by entry: an entry that is not one (a field that is not text, a
 * number that is not finite) is dropped with a Warning rather than failing
 * the render.
 */
function readStatus(raw: unknown): { value: ObservedStatus; warnings: string[] } {
  if (!isObject(raw)) return { value: {}, warnings: [] };
  const phase = raw['phase'];
  const value: ObservedStatus = phase === undefined ? {} : { phase };
  const { history, warnings } = readHistory(raw['history']);
  return { value: history === undefined ? value : { ...value, history }, warnings };
}

function readHistory(history: unknown): { history?: z.infer<typeof HistoryEntry>[]; warnings: string[] } {
  if (history === undefined) return { warnings: [] };
  const entries: unknown[] = Array.isArray(history) ? history : [history];
  // Frozen as freezeJson freezes: the entries go back in status.history on every call, and the encoder writes such objects' bytes once.
  const kept = entries.flatMap((e) => {
    const parsed = HistoryEntry.safeParse(e);
    return parsed.success ? [freezeJson(parsed.data) as z.infer<typeof HistoryEntry>] : [];
  });
  const dropped = entries.length - kept.length;
  const warnings = dropped === 0 ? [] : [`cannot read ${dropped} of status.history's entries; dropped ${dropped === 1 ? 'it' : 'them'}`];
  return { history: kept, warnings };
}

function optional<S extends z.ZodType>(schema: S, value: unknown, root: string): Result<z.infer<S> | undefined> {
  return value === undefined || value === null ? { ok: true, value: undefined } : parseAt(schema, value, root);
}

/**
 * targetOf names the XR: resources are named from `crossplane.io/composite`
 * (else metadata.name); tags carry the claim's name and namespace when the XR
 * has a claim (v1), else the XR's own (v2).
 */
function targetOf(m: z.infer<typeof Metadata>): Target {
  const labels = m.labels ?? {};
  return {
    name: labels['crossplane.io/composite'] ?? m.name,
    deployment: labels['crossplane.io/claim-name'] ?? m.name,
    namespace: labels['crossplane.io/claim-namespace'] ?? m.namespace ?? '',
    scope: m.namespace === undefined ? 'cluster' : 'namespaced',
  };
}
