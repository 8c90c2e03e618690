import type { Result } from '@scia/api';
import { Policy, type DeploymentConfig, type Strategy } from '@scia/api';


/** parsePolicies reads policy names; an unknown one is an error naming it and its position. */
export function parsePolicies(names: readonly string[], root = 'spec.policies'): Result<Policy[]> {
  const out: Policy[] = [];
  for (const [i, name] of names.entries()) {
    const parsed = Policy.safeParse(name);
    if (!parsed.success) return { ok: false, error: `${root}[${i}]: unknown policy ${JSON.stringify(name)} (known: ${Policy.options.join(', ')})` };
    if (!out.includes(parsed.data)) out.push(parsed.data);
  }
  return { ok: true, value: out };
}

/**
 * applyPolicies shapes a configuration by the claim's policies: with
 * `require-https`, a VM group keeps at least one instance so the load balancer
 * terminating TLS always has a target. Their cost (load balancer, alarms, logs)
 * is the estimator's part.
 */
export function applyPolicies(strategy: Strategy, config: DeploymentConfig, policies: readonly Policy[]): DeploymentConfig {
  if (strategy === 'vm' && policies.includes('require-https')) {
    const minSize = Math.max(1, config.minSize ?? 1);
    const desiredCapacity = Math.max(minSize, config.desiredCapacity ?? minSize);
    return { ...config, minSize, desiredCapacity, maxSize: Math.max(desiredCapacity, config.maxSize ?? desiredCapacity) };
  }
  return config;
}
