import { describe, expect, it } from 'vitest';
import type { DeploymentConfig, Policy, Strategy } from '@scia/api';
import { estimateMonthlyCost, type CostEstimate } from '../src/index.js';

interface Case {
  reason: string;
  strategy: Strategy;
  config: DeploymentConfig;
  region: string;
  policies: Policy[];
  want: CostEstimate;
}

// Every figure below is worked by hand from src/pricing.ts (730 hours a month).
const cases: Record<string, Case> = {
  vm: {
    reason: '2 x t3.small = 2 x 0.0208 x 730 = 30.368; 2 x 20 GB x 0.08 = 3.20; 2 public addresses x 0.005 x 730 = 7.30',
    strategy: 'vm',
    config: { instanceType: 't3.small', volumeSizeGb: 20, minSize: 2, maxSize: 4, desiredCapacity: 2 },
    region: 'us-east-1',
    policies: [],
    want: {
      total: 40.87,
      breakdown: [
        { item: 'ec2 instances: 2 x t3.small', monthly: 30.37 },
        { item: 'ebs gp3 volumes: 2 x 20 GB', monthly: 3.2 },
        { item: 'public ipv4 addresses: 2', monthly: 7.3 },
      ],
      warnings: [],
    },
  },
  kubernetes: {
    reason: 'control plane 0.10 x 730 = 73; 2 x t3.medium = 2 x 0.0416 x 730 = 60.736; 2 x 20 GB x 0.08 = 3.20; classic LB 0.025 x 730 = 18.25; 2 nodes + 2 LB addresses x 3.65',
    strategy: 'kubernetes',
    config: { nodeInstanceType: 't3.medium', minNodes: 2, maxNodes: 4, desiredNodes: 2, replicas: 2, volumeSizeGb: 20 },
    region: 'us-east-1',
    policies: [],
    want: {
      total: 169.79,
      breakdown: [
        { item: 'eks control plane', monthly: 73 },
        { item: 'eks nodes: 2 x t3.medium', monthly: 60.74 },
        { item: 'ebs gp3 node volumes: 2 x 20 GB', monthly: 3.2 },
        { item: 'service load balancer (classic)', monthly: 18.25 },
        { item: 'public ipv4 addresses: 4', monthly: 14.6 },
      ],
      warnings: [],
    },
  },
  serverless: {
    reason: '1M requests = 0.20; 1M x 0.2 s x 0.5 GB = 100,000 GB-s x 0.0000166667 = 1.66667',
    strategy: 'serverless',
    config: { memoryMb: 512, timeoutSeconds: 30 },
    region: 'us-east-1',
    policies: ['require-https'],
    want: {
      total: 1.87,
      breakdown: [
        { item: 'lambda requests: 1M/month', monthly: 0.2 },
        { item: 'lambda compute: 100000 GB-s at 512 MB', monthly: 1.67 },
      ],
      warnings: [],
    },
  },
  'vm with both policies in eu-west-3': {
    reason: '2 x 0.0208 x 1.1667 x 730 = 35.430; 40 GB x 0.0928 = 3.712; 2 + 2 addresses x 3.65; ALB (0.02646 + 0.008) x 730 = 25.156; 1 alarm; logs 0.5985 + 0.03',
    strategy: 'vm',
    config: { instanceType: 't3.small', volumeSizeGb: 20, desiredCapacity: 2 },
    region: 'eu-west-3',
    policies: ['require-https', 'enable-monitoring'],
    want: {
      total: 79.63,
      breakdown: [
        { item: 'ec2 instances: 2 x t3.small', monthly: 35.43 },
        { item: 'ebs gp3 volumes: 2 x 20 GB', monthly: 3.71 },
        { item: 'public ipv4 addresses: 2', monthly: 7.3 },
        { item: 'application load balancer (require-https)', monthly: 25.16 },
        { item: 'load balancer public ipv4 addresses: 2', monthly: 7.3 },
        { item: 'cloudwatch alarms: 1', monthly: 0.1 },
        { item: 'cloudwatch logs: 1 GB', monthly: 0.63 },
      ],
      warnings: [],
    },
  },
  'serverless with monitoring, 1024 MB': {
    reason: '200,000 GB-s x 0.0000166667 = 3.33334; 2 alarms (errors, throttles) 0.20; logs 0.50 + 0.03',
    strategy: 'serverless',
    config: { memoryMb: 1024 },
    region: 'us-east-1',
    policies: ['enable-monitoring'],
    want: {
      total: 4.26,
      breakdown: [
        { item: 'lambda requests: 1M/month', monthly: 0.2 },
        { item: 'lambda compute: 200000 GB-s at 1024 MB', monthly: 3.33 },
        { item: 'cloudwatch alarms: 2', monthly: 0.2 },
        { item: 'cloudwatch logs: 1 GB', monthly: 0.53 },
      ],
      warnings: [],
    },
  },
  'kubernetes with https, defaults filled': {
    reason: 'missing sizes take the renderer defaults (2 x t3.medium nodes, 20 GB); the Service load balancer terminates TLS, so https adds nothing',
    strategy: 'kubernetes',
    config: {},
    region: 'us-east-1',
    policies: ['require-https'],
    want: {
      total: 169.79,
      breakdown: [
        { item: 'eks control plane', monthly: 73 },
        { item: 'eks nodes: 2 x t3.medium', monthly: 60.74 },
        { item: 'ebs gp3 node volumes: 2 x 20 GB', monthly: 3.2 },
        { item: 'service load balancer (classic)', monthly: 18.25 },
        { item: 'public ipv4 addresses: 4', monthly: 14.6 },
      ],
      warnings: [],
    },
  },
  'unknown region': {
    reason: 'a region without price data is priced as us-east-1, with a warning',
    strategy: 'vm',
    config: { instanceType: 't3.micro', volumeSizeGb: 8, desiredCapacity: 1 },
    region: 'mx-central-1',
    policies: [],
    want: {
      total: 11.88,
      breakdown: [
        { item: 'ec2 instances: 1 x t3.micro', monthly: 7.59 },
        { item: 'ebs gp3 volumes: 1 x 8 GB', monthly: 0.64 },
        { item: 'public ipv4 addresses: 1', monthly: 3.65 },
      ],
      warnings: ['no price data for region mx-central-1: priced as us-east-1'],
    },
  },
};

describe('estimateMonthlyCost', () => {
  it.each(Object.entries(cases))('%s', (_, c) => {
    expect(estimateMonthlyCost(c.strategy, c.config, { region: c.region, policies: c.policies }), c.reason).toEqual(c.want);
  });
});
