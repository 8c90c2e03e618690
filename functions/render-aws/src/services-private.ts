import type { Composed } from './model.js';
import { SUBNET_LABEL } from './network.js';

const DATA_KINDS = new Set(['Instance', 'Cluster', 'ClusterInstance', 'ReplicationGroup']);

/**
 * checkPrivate is private-data's check of the composed data services: none is
 * publicly accessible, every subnet group selects only private subnets, and
 * every rule admitting traffic to a data service's security group names a
 * security group, never an address range. It returns what breaks the policy,
 * or undefined.
 */
export function checkPrivate(resources: readonly Composed[]): string | undefined {
  for (const r of resources) {
    const kind = String(r.body['kind']);
    const group = String(r.body['apiVersion']).split('.')[0];
    const fp = forProvider(r);
    if ((group === 'rds' || group === 'elasticache') && DATA_KINDS.has(kind) && fp['publiclyAccessible'] === true) return `${r.key} would be publicly accessible`;
    if (kind === 'SubnetGroup' && (group === 'rds' || group === 'elasticache')) {
      const labels = (fp['subnetIdSelector'] as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
      if (labels[SUBNET_LABEL] !== 'private') return `${r.key} would place the service in subnets that are not private`;
    }
    if (kind === 'SecurityGroupIngressRule' && /^sg-(postgresql|mysql|redis)-/.test(r.key) && ('cidrIpv4' in fp || 'cidrIpv6' in fp)) {
      return `${r.key} would admit an address range`;
    }
  }
  return undefined;
}

function forProvider(r: Composed): Record<string, unknown> {
  const spec = r.body['spec'];
  const fp = typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? (spec as Record<string, unknown>)['forProvider'] : undefined;
  return typeof fp === 'object' && fp !== null && !Array.isArray(fp) ? (fp as Record<string, unknown>) : {};
}
