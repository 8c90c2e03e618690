import type { DeploymentConfig } from '@scia/api';

/** Sizing is a DeploymentConfig with every field the renderers read filled in. */
export type Sizing = { [K in Exclude<keyof DeploymentConfig, 'port'>]-?: NonNullable<DeploymentConfig[K]> };

/**
 * DEFAULT_SIZING is used for every field neither the user's overrides nor the
 * decision set. vm: one t3.small behind an auto scaling group of 1..2 with a
 * 20 GiB gp3 root volume. kubernetes: EKS 1.33 with two t3.medium nodes
 * (scaling 2..4) and two replicas. serverless: 512 MB, 30 s.
 */
export const DEFAULT_SIZING: Sizing = {
  instanceType: 't3.small',
  volumeSizeGb: 20,
  minSize: 1,
  maxSize: 2,
  desiredCapacity: 1,
  nodeInstanceType: 't3.medium',
  minNodes: 2,
  maxNodes: 4,
  desiredNodes: 2,
  replicas: 2,
  kubernetesVersion: '1.33',
  memoryMb: 512,
  timeoutSeconds: 30,
};

/** DEFAULT_PORT is the app's port when neither overrides, decision nor analysis name one. */
export const DEFAULT_PORT = 8080;

/** NETWORK is the address plan: one VPC, one public subnet in each of the region's first two zones. */
export const NETWORK = {
  vpcCidr: '10.0.0.0/16',
  subnets: [
    { key: 'subnet-a', zone: 'a', cidr: '10.0.0.0/20' },
    { key: 'subnet-b', zone: 'b', cidr: '10.0.16.0/20' },
  ],
} as const;

/** LOG_RETENTION_DAYS is how long the log groups keep logs. */
export const LOG_RETENTION_DAYS = 30;

/**
 * sizingFrom fills a sizing from the user's overrides (which win), then the
 * decision's config, then DEFAULT_SIZING, keeping min <= desired <= max.
 */
export function sizingFrom(overrides: DeploymentConfig | undefined, decided: DeploymentConfig | undefined): Sizing {
  const pick = <K extends keyof Sizing>(k: K): Sizing[K] =>
    (overrides?.[k] ?? decided?.[k] ?? DEFAULT_SIZING[k]) as Sizing[K];
  const s: Sizing = {
    instanceType: pick('instanceType'),
    volumeSizeGb: pick('volumeSizeGb'),
    minSize: pick('minSize'),
    maxSize: pick('maxSize'),
    desiredCapacity: pick('desiredCapacity'),
    nodeInstanceType: pick('nodeInstanceType'),
    minNodes: pick('minNodes'),
    maxNodes: pick('maxNodes'),
    desiredNodes: pick('desiredNodes'),
    replicas: pick('replicas'),
    kubernetesVersion: pick('kubernetesVersion'),
    memoryMb: pick('memoryMb'),
    timeoutSeconds: pick('timeoutSeconds'),
  };
  s.maxSize = Math.max(s.maxSize, s.minSize, 1);
  s.desiredCapacity = Math.min(Math.max(s.desiredCapacity, s.minSize), s.maxSize);
  s.maxNodes = Math.max(s.maxNodes, s.minNodes);
  s.desiredNodes = Math.min(Math.max(s.desiredNodes, s.minNodes), s.maxNodes);
  return s;
}
