import { z } from 'zod';

/** Strategy is how an app runs once deployed. `auto` lets the pipeline choose. */
export const Strategy = z.enum(['vm', 'kubernetes', 'serverless']);
export type Strategy = z.infer<typeof Strategy>;

/** RequestedStrategy is what a claim may ask for in `spec.strategy`. */
export const RequestedStrategy = z.enum(['auto', 'vm', 'kubernetes', 'serverless']);
export type RequestedStrategy = z.infer<typeof RequestedStrategy>;

/** Policy names a guarantee the rendered infrastructure must give. */
export const Policy = z.enum(['require-https', 'enable-monitoring', 'private-data']);
export type Policy = z.infer<typeof Policy>;

/** Phase is the claim's place in its lifecycle, shown by `kubectl get`. */
export const Phase = z.enum(['Pending', 'Analyzing', 'Deciding', 'Provisioning', 'Running', 'Failed']);
export type Phase = z.infer<typeof Phase>;
