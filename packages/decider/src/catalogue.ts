/**
 * The catalogue is what a decision may name: the instance types SCIA prices and
 * renders, and the limits of each strategy. A model's answer outside it is
 * rejected, never trusted.
 */

/** InstanceSpec describes one EC2 instance type (x86_64, Linux). */
export interface InstanceSpec {
  family: string;
  vcpu: number;
  memoryGib: number;
  gpus: number;
}

const spec = (family: string, vcpu: number, memoryGib: number, gpus = 0): InstanceSpec => ({ family, vcpu, memoryGib, gpus });

/** INSTANCE_TYPES lists every instance type a decision may use, smallest first within a family. */
export const INSTANCE_TYPES = {
  't3.micro': spec('t3', 2, 1),
  't3.small': spec('t3', 2, 2),
  't3.medium': spec('t3', 2, 4),
  't3.large': spec('t3', 2, 8),
  't3.xlarge': spec('t3', 4, 16),
  't3.2xlarge': spec('t3', 8, 32),
  'm5.large': spec('m5', 2, 8),
  'm5.xlarge': spec('m5', 4, 16),
  'm5.2xlarge': spec('m5', 8, 32),
  'm5.4xlarge': spec('m5', 16, 64),
  'm6i.large': spec('m6i', 2, 8),
  'm6i.xlarge': spec('m6i', 4, 16),
  'm6i.2xlarge': spec('m6i', 8, 32),
  'm6i.4xlarge': spec('m6i', 16, 64),
  'c5.large': spec('c5', 2, 4),
  'c5.xlarge': spec('c5', 4, 8),
  'c5.2xlarge': spec('c5', 8, 16),
  'c6i.large': spec('c6i', 2, 4),
  'c6i.xlarge': spec('c6i', 4, 8),
  'c6i.2xlarge': spec('c6i', 8, 16),
  'r5.large': spec('r5', 2, 16),
  'r5.xlarge': spec('r5', 4, 32),
  'r6i.large': spec('r6i', 2, 16),
  'r6i.xlarge': spec('r6i', 4, 32),
  'g4dn.xlarge': spec('g4dn', 4, 16, 1),
  'g4dn.2xlarge': spec('g4dn', 8, 32, 1),
} as const satisfies Record<string, InstanceSpec>;

export type InstanceType = keyof typeof INSTANCE_TYPES;
export const INSTANCE_TYPE_NAMES = Object.keys(INSTANCE_TYPES) as [InstanceType, ...InstanceType[]];

/** isInstanceType tells whether `name` is in the catalogue. */
export function isInstanceType(name: string): name is InstanceType {
  return Object.hasOwn(INSTANCE_TYPES, name);
}

/** LIMITS bound every size a decision may carry. */
export const LIMITS = {
  vm: { maxInstances: 20, volumeGb: { min: 8, max: 1024 } },
  kubernetes: { maxNodes: 20, maxReplicas: 50, minNodeMemoryGib: 2 },
  // AWS Lambda's own limits: memory 128 MB to 10,240 MB, timeout up to 900 s.
  serverless: { memoryMb: { min: 128, max: 10240 }, timeoutSeconds: { min: 1, max: 900 } },
} as const;

/** LAMBDA_MEMORY_STEPS are the memory sizes the rules choose from, in MB. */
export const LAMBDA_MEMORY_STEPS = [128, 256, 512, 1024, 1536, 2048, 3008, 4096, 6144, 8192, 10240] as const;

/**
 * DOWNSIZE_LADDER orders the general-purpose types from largest to smallest; a
 * hard budget walks it to find the best configuration that fits.
 */
export const DOWNSIZE_LADDER: readonly InstanceType[] = [
  'm6i.2xlarge', 'm6i.xlarge', 't3.xlarge', 'm6i.large', 't3.large', 't3.medium', 't3.small', 't3.micro',
];
