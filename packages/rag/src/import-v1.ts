import { z } from 'zod';
import { DeploymentConfig, formatIssues, type Outcome, type Strategy } from '@scia/api';
import type { DeploymentRecordInput } from './records.js';

/**
 * The accepted shape of a SCIA v1 export: a JSON array of rows of v1's SQLite
 * `deployments` table (or `{"deployments": [...]}`), each with
 *   id          number or string, required: the row becomes `xrUid` `scia-v1:<id>`
 *   name        string (default `scia-v1-<id>`)
 *   analysis    object or JSON text: language, framework (a string or {name}),
 *               services?, dependencies? (strings or {name}), kind?, dockerfile?
 *   config      object or JSON text: strategy (vm|kubernetes|serverless; ec2, eks,
 *               lambda accepted), sizing in camelCase or snake_case
 *               (instance_type, memory_mb, ...), region?, prompt?
 *   outputs     object or JSON text, optional: estimated_monthly_cost |
 *               cost_monthly | costMonthly, error | failure_reason, feedback,
 *               feedback_comment
 *   status      deployed|running|success|succeeded|completed -> success,
 *               failed|error -> failed, degraded|partial -> degraded; rows in any
 *               other state (pending, deploying, destroyed) are skipped
 *   commit      string, optional: the decision key (default `scia-v1`)
 *   prompt, namespace, shared, feedback: optional top-level overrides
 *   created_at  SQLite `YYYY-MM-DD HH:MM:SS` (UTC) or RFC 3339, optional
 */
export const V1_STATUS: Record<string, Outcome> = {
  deployed: 'success', running: 'success', success: 'success', succeeded: 'success', completed: 'success',
  failed: 'failed', error: 'failed', degraded: 'degraded', partial: 'degraded',
};

const STRATEGY_ALIASES: Record<string, Strategy> = { ec2: 'vm', vm: 'vm', eks: 'kubernetes', kubernetes: 'kubernetes', k8s: 'kubernetes', lambda: 'serverless', serverless: 'serverless' };

const jsonObject = z.union([z.string(), z.record(z.string(), z.unknown())]).transform((v, ctx) => {
  if (typeof v !== 'string') return v;
  try {
    const parsed: unknown = JSON.parse(v);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'is not a JSON object' });
  return z.NEVER;
});

const named = z.union([z.string(), z.object({ name: z.string() }).transform((o) => o.name)]);

const V1Analysis = z.object({
  language: named,
  framework: named,
  kind: z.string().optional(),
  services: z.array(named).default([]),
  dependencies: z.array(named).default([]),
  dockerfile: z.union([z.boolean(), z.object({}).passthrough().transform(() => true)]).optional(),
});

const V1Row = z.object({
  id: z.union([z.number(), z.string().min(1)]),
  name: z.string().min(1).max(253).optional(),
  namespace: z.string().max(253).optional(),
  shared: z.boolean().optional(),
  analysis: jsonObject.pipe(V1Analysis),
  config: jsonObject,
  outputs: jsonObject.optional(),
  status: z.string(),
  commit: z.string().min(1).optional(),
  prompt: z.string().optional(),
  feedback: z.number().int().min(-1).max(1).optional(),
  created_at: z.string().optional(),
});

/** V1Conversion is a row ready to record, or why a row was skipped. */
export type V1Conversion = { ok: true; value: DeploymentRecordInput } | { ok: false; error: string };

/** v1Rows finds the rows of an export: a bare array, or the `deployments` field of an object. */
export function v1Rows(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc as unknown[];
  if (typeof doc === 'object' && doc !== null && 'deployments' in doc && Array.isArray(doc.deployments)) return doc.deployments as unknown[];
  return undefined;
}

type V1Row = z.infer<typeof V1Row>;

/** fromV1 converts one exported row, naming the field that does not fit. */
export function fromV1(raw: unknown, defaults: { namespace: string; shared: boolean }): V1Conversion {
  const parsed = V1Row.safeParse(raw);
  if (!parsed.success) return { ok: false, error: formatIssues(parsed.error) };
  const row = parsed.data;
  const outcome = V1_STATUS[row.status.toLowerCase()];
  if (outcome === undefined) return { ok: false, error: `status: ${JSON.stringify(row.status)} is not a finished deployment` };
  const config = camelKeys(row.config);
  const wanted = config['strategy'];
  const strategy = typeof wanted === 'string' ? STRATEGY_ALIASES[wanted.toLowerCase()] : undefined;
  if (strategy === undefined) return { ok: false, error: `config.strategy: ${JSON.stringify(config['strategy'] ?? null)} is not vm, kubernetes or serverless` };
  const sizing = DeploymentConfig.safeParse(config);
  if (!sizing.success) return { ok: false, error: formatIssues(sizing.error, 'config') };
  const recordedAt = v1Time(row.created_at);
  return {
    ok: true,
    value: {
      xrUid: `scia-v1:${row.id}`,
      decisionHash: row.commit ?? 'scia-v1',
      name: row.name ?? `scia-v1-${row.id}`,
      namespace: row.namespace ?? defaults.namespace,
      shared: row.shared ?? defaults.shared,
      app: appOf(row, config),
      strategy,
      config: sizing.data,
      outcome,
      ...resultOf(row, outcome),
      metadata: { source: 'scia-v1', v1Id: row.id, ...(row.commit === undefined ? {} : { commit: row.commit }) },
      ...(recordedAt === undefined ? {} : { recordedAt }),
    },
  };
}

function appOf(row: V1Row, config: Record<string, unknown>): DeploymentRecordInput['app'] {
  const a = row.analysis;
  const region = firstString(config['region']);
  return {
    language: a.language.toLowerCase(),
    framework: a.framework.toLowerCase(),
    services: a.services,
    dependencies: a.dependencies,
    prompt: row.prompt ?? firstString(config['prompt']) ?? '',
    ...(a.kind === undefined ? {} : { kind: a.kind }),
    ...(a.dockerfile === undefined ? {} : { dockerfile: a.dockerfile }),
    ...(region === undefined ? {} : { region }),
  };
}

/** resultOf reads what v1 learned after deploying: cost, failure, feedback. */
function resultOf(row: V1Row, outcome: Outcome): Partial<DeploymentRecordInput> {
  const outputs = camelKeys(row.outputs ?? {});
  const cost = firstNumber(outputs['estimatedMonthlyCost'], outputs['costMonthly'], outputs['estimatedCost']);
  const failure = firstString(outputs['failureReason'], outputs['error']);
  const feedback = row.feedback ?? firstNumber(outputs['feedback']);
  const comment = firstString(outputs['feedbackComment']);
  return {
    ...(failure === undefined || outcome === 'success' ? {} : { failureReason: failure.slice(0, 2000) }),
    ...(cost === undefined || cost < 0 ? {} : { costMonthly: cost }),
    ...(feedback === undefined || ![-1, 0, 1].includes(feedback) ? {} : { feedback }),
    ...(comment === undefined ? {} : { feedbackComment: comment.slice(0, 2000) }),
  };
}

function camelKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}

function firstNumber(...vs: unknown[]): number | undefined {
  for (const v of vs) {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
  }
  return undefined;
}

function firstString(...vs: unknown[]): string | undefined {
  return vs.find((v): v is string => typeof v === 'string' && v.trim() !== '');
}

/** v1Time reads SQLite's `YYYY-MM-DD HH:MM:SS` (UTC) or RFC 3339 as RFC 3339. */
function v1Time(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(s) ? `${s.replace(' ', 'T')}Z` : s;
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}
