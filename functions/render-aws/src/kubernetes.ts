import type { Result } from '@scia/api';
import type { JsonObject } from '@scia/runtime';
import { managed, select } from './builder.js';
import { certificate, NO_DOMAIN } from './https.js';
import { role } from './iam.js';
import type { Composed, RenderContext, Rendered } from './model.js';
import { kubernetesMonitoring } from './monitoring.js';
import { resourceName } from './naming.js';
import { network, publicSubnets } from './network.js';
import { kubeconfigSecret, workload } from './workload.js';
import { isArmInstanceType } from './runtimes.js';
import { renderServices } from './services.js';

/** CLUSTER_LOG_TYPES are the control plane logs sent to CloudWatch under enable-monitoring. */
const CLUSTER_LOG_TYPES = ['api', 'audit', 'authenticator'];

/**
 * renderKubernetes runs the app on its own EKS cluster: network (subnets tagged
 * for Service load balancers), cluster and node IAM roles, the cluster, a
 * ClusterAuth that writes the cluster's kubeconfig to a connection secret, a
 * managed node group, the metrics-server add-on the autoscaler needs, and the
 * workload as provider-kubernetes Objects through a ProviderConfig built from
 * that secret.
 * Under require-https the Service's load balancer terminates TLS with the ACM
 * certificate (copied into its annotation once the certificate's ARN is observed).
 */
export function renderKubernetes(ctx: RenderContext): Result<Rendered> {
  const { plan } = ctx;
  const clusterName = resourceName(ctx.target, 'cluster');
  const resources: Composed[] = [
    ...network(ctx, { eksCluster: clusterName }),
    ...role(ctx, {
      key: 'cluster-role',
      service: 'eks.amazonaws.com',
      description: 'SCIA EKS control plane',
      managedPolicies: ['AmazonEKSClusterPolicy'],
    }),
    ...role(ctx, {
      key: 'node-role',
      service: 'ec2.amazonaws.com',
      description: 'SCIA EKS nodes',
      managedPolicies: [
        'AmazonEKSWorkerNodePolicy',
        'AmazonEKS_CNI_Policy',
        'AmazonEC2ContainerRegistryReadOnly',
        ...(plan.monitoring ? (['CloudWatchAgentServerPolicy'] as const) : []),
      ],
    }),
    cluster(ctx),
    clusterAuth(ctx),
    nodeGroup(ctx),
    managed(ctx, 'addon-metrics-server', 'Addon', { addonName: 'metrics-server', clusterNameSelector: select('cluster') }),
  ];
  if (plan.https) resources.push(...certificate(ctx));
  if (plan.monitoring) resources.push(...kubernetesMonitoring(ctx, clusterName));
  const services = renderServices(ctx, 'kubernetes');
  if (!services.ok) return services;
  resources.push(...services.value.resources);
  const app = workload(ctx);
  resources.push(...app.resources);
  const warnings = [...(plan.https && plan.domain === undefined ? [NO_DOMAIN] : []), ...app.warnings];
  return { ok: true, value: { resources, warnings, waiting: [...services.value.waiting, ...app.waiting] } };
}

function cluster(ctx: RenderContext): Composed {
  const { plan } = ctx;
  const forProvider: JsonObject = {
    version: plan.sizing.kubernetesVersion,
    roleArnSelector: select('cluster-role'),
    vpcConfig: { subnetIdSelector: publicSubnets(), endpointPublicAccess: true, endpointPrivateAccess: true },
    accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
  };
  if (plan.monitoring) forProvider['enabledClusterLogTypes'] = CLUSTER_LOG_TYPES;
  return managed(ctx, 'cluster', 'Cluster', forProvider);
}

/**
 * clusterAuth makes provider-aws write a kubeconfig for the cluster (key
 * `kubeconfig`, a short-lived token it refreshes) to the secret the workload's
 * ProviderConfig reads. The token is the provider's own AWS identity: the one
 * that created the cluster, which EKS makes a cluster admin through the access
 * entry `bootstrapClusterCreatorAdminPermissions` creates. Composing a second
 * access entry for that principal would collide with EKS's own.
 */
function clusterAuth(ctx: RenderContext): Composed {
  return managed(ctx, 'cluster-auth', 'ClusterAuth', { clusterNameSelector: select('cluster') }, { connectionSecret: kubeconfigSecret(ctx) });
}

function nodeGroup(ctx: RenderContext): Composed {
  const { sizing } = ctx.plan;
  return managed(ctx, 'nodegroup', 'NodeGroup', {
    clusterNameSelector: select('cluster'),
    nodeRoleArnSelector: select('node-role'),
    subnetIdSelector: publicSubnets(),
    instanceTypes: [sizing.nodeInstanceType],
    amiType: isArmInstanceType(sizing.nodeInstanceType) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
    capacityType: 'ON_DEMAND',
    scalingConfig: { minSize: sizing.minNodes, maxSize: sizing.maxNodes, desiredSize: sizing.desiredNodes },
    updateConfig: { maxUnavailable: 1 },
    version: sizing.kubernetesVersion,
  });
}
