import { z } from 'zod';
import { parseAt, type DataServiceKind } from '@scia/api';
import type { JsonObject } from '@scia/runtime';

/** ObservedService is what is observed of one data service: its address and, for RDS, the secret its master password lives in. */
export interface ObservedService {
  address?: string;
  /** secretArn is the Secrets Manager secret RDS manages the master password in (an ARN, not a credential). */
  secretArn?: string;
}

/** ServiceFacts are the observed services by kind, and the EKS cluster's own security group (its nodes use it). */
export interface ServiceFacts {
  byKind: Partial<Record<DataServiceKind, ObservedService>>;
  clusterSecurityGroupId?: string;
}

const Text = z.string().min(1).optional();
const Db = z.object({
  status: z
    .object({
      atProvider: z
        .object({ address: Text, endpoint: Text, primaryEndpointAddress: Text, masterUserSecret: z.array(z.object({ secretArn: Text })).optional() })
        .optional(),
    })
    .optional(),
});
const Cluster = z.object({
  status: z.object({ atProvider: z.object({ vpcConfig: z.object({ clusterSecurityGroupId: Text }).optional() }).optional() }).optional(),
});

const KINDS: readonly DataServiceKind[] = ['postgresql', 'mysql', 'redis'];

/** SERVICE_SOURCES are the composition resource names readServiceFacts reads `status.atProvider` of. */
export const SERVICE_SOURCES: readonly string[] = [...KINDS, 'cluster'];

/**
 * readServiceFacts reads the observed data services (composition resource
 * names `postgresql`, `mysql`, `redis`) and the EKS cluster's security group.
 * A value of an unexpected shape is left out with a Warning naming its path,
 * as readObserved does. Undefined when none of them is observed.
 */
export function readServiceFacts(observed: Record<string, JsonObject>, warnings: string[]): ServiceFacts | undefined {
  const byKind: Partial<Record<DataServiceKind, ObservedService>> = {};
  for (const kind of KINDS) {
    if (observed[kind] === undefined) continue;
    const parsed = parseAt(Db, observed[kind], `observed.resources[${kind}]`);
    if (!parsed.ok) {
      warnings.push(`cannot read ${parsed.error}; waiting for its address`);
      continue;
    }
    const at = parsed.value.status?.atProvider;
    // An RDS instance reports `address`; an Aurora cluster `endpoint`; a replication group `primaryEndpointAddress`.
    const address = at?.address ?? at?.endpoint ?? at?.primaryEndpointAddress;
    const secretArn = at?.masterUserSecret?.[0]?.secretArn;
    byKind[kind] = { ...(address === undefined ? {} : { address }), ...(secretArn === undefined ? {} : { secretArn }) };
  }
  let clusterSecurityGroupId: string | undefined;
  if (observed['cluster'] !== undefined) {
    const parsed = parseAt(Cluster, observed['cluster'], 'observed.resources[cluster]');
    if (parsed.ok) clusterSecurityGroupId = parsed.value.status?.atProvider?.vpcConfig?.clusterSecurityGroupId;
    else warnings.push(`cannot read ${parsed.error}; waiting for the cluster's security group`);
  }
  if (Object.keys(byKind).length === 0 && clusterSecurityGroupId === undefined) return undefined;
  return { byKind, ...(clusterSecurityGroupId === undefined ? {} : { clusterSecurityGroupId }) };
}
