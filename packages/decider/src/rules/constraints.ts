import { rule, type Rule } from './rule.js';

const HEAVY_SERVICES = ['kafka', 'rabbitmq', 'elasticsearch'];

/** CONSTRAINT_RULES rule strategies out (or in) from what the app needs and what the claim allows. */
export const CONSTRAINT_RULES: readonly Rule[] = [
  rule('websockets-rule-out-lambda', (f) =>
    f.websockets ? { votes: { serverless: -5, vm: 1 }, why: 'websockets need long-lived connections, which Lambda cannot hold' } : undefined),
  rule('long-running-rule-out-lambda', (f) =>
    f.longRunning ? { votes: { serverless: -5, vm: 1 }, why: 'long-running or background work exceeds Lambda\'s 15-minute limit' } : undefined),
  rule('gpu-needed', (f) =>
    f.gpu ? { votes: { serverless: -6, vm: 2 }, why: 'needs a GPU (Lambda has none; a GPU instance is simplest on a VM)' } : undefined),
  rule('heavy-ml-dependencies', (f) =>
    f.heavyMl && !f.gpu
      ? { votes: { serverless: -3, vm: 1 }, why: 'machine-learning libraries outgrow Lambda packages and start slowly' }
      : undefined),
  rule('many-backing-services', (f) => {
    const heavy = f.services.filter((s) => HEAVY_SERVICES.includes(s));
    return f.services.length >= 3 || heavy.length > 0
      ? { votes: { kubernetes: 1 }, why: `backing services: ${f.services.join(', ')}` }
      : undefined;
  }),
  rule('small-budget-rules-out-eks', (f) =>
    f.maxMonthlyCost !== undefined && f.maxMonthlyCost < 100
      ? { votes: { kubernetes: -3 }, why: `a budget of $${f.maxMonthlyCost}/month leaves too little after EKS's $73 control plane` }
      : undefined),
];
