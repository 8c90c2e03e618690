import { z } from 'zod';

/**
 * Cause is why a deployment failed, as SCIA learns from it: out of memory,
 * too slow (timeouts, latency under load), cold starts, too expensive, the
 * wrong strategy for the app (websockets on Lambda, a worker without a
 * server...), or a GPU the app needed and did not get.
 */
export const Cause = z.enum(['out-of-memory', 'too-slow', 'cold-start', 'too-expensive', 'wrong-strategy', 'needs-gpu']);
export type Cause = z.infer<typeof Cause>;

/** CitedCase is a past deployment a decision rests on, with enough for a person to check it. */
export const CitedCase = z.object({
  /** id is stable: `namespace/name@<decision hash prefix>`, or `shared/<digest>@<prefix>` for another team's. */
  id: z.string(),
  usedFor: z.enum(['strategy', 'sizing', 'avoid']),
  traits: z.number(),
  intent: z.number(),
  outcome: z.string(),
  feedback: z.number().int().min(-1).max(1),
  causes: z.array(Cause).default([]),
});
export type CitedCase = z.infer<typeof CitedCase>;
