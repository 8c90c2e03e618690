import type { Result } from '@scia/api';
import { z } from 'zod';
import { Strategy, formatIssues } from '@scia/api';
import { INSTANCE_TYPES, INSTANCE_TYPE_NAMES, LIMITS, type InstanceType } from './catalogue.js';

const instanceType = z.enum(INSTANCE_TYPE_NAMES, {
  error: (iss) => `${JSON.stringify(iss.input)} is not an instance type in the catalogue`,
});
const count = (min: number, max: number): z.ZodOptional<z.ZodNumber> => z.number().int().min(min).max(max).optional();

/**
 * LlmAnswer is the shape a model must answer in. Its JSON schema is sent as the
 * chat request's `format`, so a model with structured outputs cannot leave the
 * catalogue; the answer is validated against it all the same.
 */
export const LlmAnswer = z
  .object({
    strategy: Strategy,
    reason: z.string().min(1).max(1000),
    confidence: z.number().min(0).max(1),
    config: z
      .object({
        instanceType: instanceType.optional(),
        volumeSizeGb: count(LIMITS.vm.volumeGb.min, LIMITS.vm.volumeGb.max),
        minSize: count(0, LIMITS.vm.maxInstances),
        maxSize: count(1, LIMITS.vm.maxInstances),
        desiredCapacity: count(0, LIMITS.vm.maxInstances),
        nodeInstanceType: instanceType.optional(),
        minNodes: count(1, LIMITS.kubernetes.maxNodes),
        maxNodes: count(1, LIMITS.kubernetes.maxNodes),
        desiredNodes: count(1, LIMITS.kubernetes.maxNodes),
        replicas: count(1, LIMITS.kubernetes.maxReplicas),
        memoryMb: count(LIMITS.serverless.memoryMb.min, LIMITS.serverless.memoryMb.max),
        timeoutSeconds: count(LIMITS.serverless.timeoutSeconds.min, LIMITS.serverless.timeoutSeconds.max),
      })
      .strict(),
    alternativeStrategies: z
      .array(z.object({ strategy: Strategy, reason: z.string().max(500), confidence: z.number().min(0).max(1) }).strict())
      .max(2),
    citedCases: z.array(z.string().max(100)).max(10),
  })
  .strict();
export type LlmAnswer = z.infer<typeof LlmAnswer>;

/** LLM_ANSWER_JSON_SCHEMA is LlmAnswer as JSON Schema, for Ollama's `format`. */
export const LLM_ANSWER_JSON_SCHEMA: Record<string, unknown> = z.toJSONSchema(LlmAnswer);

/**
 * checkAnswer reads a model's raw answer: JSON, then the schema, then what the
 * schema cannot say (min ≤ desired ≤ max, node memory). The error names the
 * field so a retry can quote it.
 */
export function checkAnswer(raw: string): Result<LlmAnswer> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: `the answer is not JSON (it starts ${JSON.stringify(raw.slice(0, 60))})` };
  }
  const parsed = LlmAnswer.safeParse(json);
  if (!parsed.success) return { ok: false, error: formatIssues(parsed.error) };
  const problems = rangeProblems(parsed.data.config);
  return problems.length === 0 ? { ok: true, value: parsed.data } : { ok: false, error: problems.join('; ') };
}

function rangeProblems(c: LlmAnswer['config']): string[] {
  const out: string[] = [];
  const ordered = (lo: number | undefined, mid: number | undefined, hi: number | undefined, names: string): void => {
    const xs = [lo, mid, hi].filter((x): x is number => x !== undefined);
    if (xs.some((x, i) => i > 0 && x < (xs[i - 1] ?? x))) out.push(`config: ${names} must be in increasing order`);
  };
  ordered(c.minSize, c.desiredCapacity, c.maxSize, 'minSize <= desiredCapacity <= maxSize');
  ordered(c.minNodes, c.desiredNodes, c.maxNodes, 'minNodes <= desiredNodes <= maxNodes');
  const node: InstanceType | undefined = c.nodeInstanceType;
  if (node !== undefined && INSTANCE_TYPES[node].memoryGib < LIMITS.kubernetes.minNodeMemoryGib) {
    out.push(`config.nodeInstanceType: ${node} has too little memory for an EKS node`);
  }
  return out;
}
