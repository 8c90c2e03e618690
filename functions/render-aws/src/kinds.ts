/** Scope is how the XR is scoped, which picks the family of composed kinds. */
export type Scope = 'cluster' | 'namespaced';

/** TagStyle says how a kind takes AWS tags: a `tags` map, the ASG's `tag` list, or none. */
export type TagStyle = 'map' | 'asg' | 'none';

interface KindInfo {
  /** service is the provider-aws API group prefix (`ec2` in `ec2.aws.upbound.io`), or a full group for non-AWS kinds. */
  service: string;
  kind: string;
  /** version of the cluster-scoped kind: the CRD's storage version. */
  clusterVersion: string;
  tags: TagStyle;
  /** regional is false for global services (IAM), whose resources take no region. */
  regional: boolean;
}

const aws = (service: string, kind: string, clusterVersion: string, tags: TagStyle = 'map'): KindInfo => ({
  service,
  kind,
  clusterVersion,
  tags,
  regional: service !== 'iam',
});

/**
 * KINDS lists every kind the renderer emits. Cluster-scoped XRs (Crossplane v1
 * XRD) get `<service>.aws.upbound.io` at the CRD's storage version; namespaced
 * XRs (v2 XRD) get `<service>.aws.m.upbound.io/v1beta1`, whose fields have the
 * same shape for every kind listed here.
 */
export const KINDS = {
  VPC: aws('ec2', 'VPC', 'v1beta1'),
  Subnet: aws('ec2', 'Subnet', 'v1beta1'),
  InternetGateway: aws('ec2', 'InternetGateway', 'v1beta1'),
  RouteTable: aws('ec2', 'RouteTable', 'v1beta1'),
  Route: aws('ec2', 'Route', 'v1beta2', 'none'),
  RouteTableAssociation: aws('ec2', 'RouteTableAssociation', 'v1beta1', 'none'),
  SecurityGroup: aws('ec2', 'SecurityGroup', 'v1beta1'),
  SecurityGroupIngressRule: aws('ec2', 'SecurityGroupIngressRule', 'v1beta1'),
  SecurityGroupEgressRule: aws('ec2', 'SecurityGroupEgressRule', 'v1beta1'),
  LaunchTemplate: aws('ec2', 'LaunchTemplate', 'v1beta2'),
  AutoscalingGroup: aws('autoscaling', 'AutoscalingGroup', 'v1beta3', 'asg'),
  Role: aws('iam', 'Role', 'v1beta1'),
  RolePolicyAttachment: aws('iam', 'RolePolicyAttachment', 'v1beta1', 'none'),
  InstanceProfile: aws('iam', 'InstanceProfile', 'v1beta1'),
  Cluster: aws('eks', 'Cluster', 'v1beta2'),
  NodeGroup: aws('eks', 'NodeGroup', 'v1beta2'),
  Addon: aws('eks', 'Addon', 'v1beta1'),
  ClusterAuth: aws('eks', 'ClusterAuth', 'v1beta1', 'none'),
  Function: aws('lambda', 'Function', 'v1beta2'),
  FunctionURL: aws('lambda', 'FunctionURL', 'v1beta2', 'none'),
  Permission: aws('lambda', 'Permission', 'v1beta1', 'none'),
  LogGroup: aws('cloudwatchlogs', 'Group', 'v1beta1'),
  MetricAlarm: aws('cloudwatch', 'MetricAlarm', 'v1beta2'),
  LB: aws('elbv2', 'LB', 'v1beta2'),
  LBTargetGroup: aws('elbv2', 'LBTargetGroup', 'v1beta2'),
  LBListener: aws('elbv2', 'LBListener', 'v1beta2'),
  Certificate: aws('acm', 'Certificate', 'v1beta2'),
  DBInstance: aws('rds', 'Instance', 'v1beta3'),
  DBCluster: aws('rds', 'Cluster', 'v1beta2'),
  DBClusterInstance: aws('rds', 'ClusterInstance', 'v1beta1'),
  DBSubnetGroup: aws('rds', 'SubnetGroup', 'v1beta1'),
  ReplicationGroup: aws('elasticache', 'ReplicationGroup', 'v1beta2'),
  CacheSubnetGroup: aws('elasticache', 'SubnetGroup', 'v1beta1'),
} as const satisfies Record<string, KindInfo>;

export type AwsKind = keyof typeof KINDS;

/** awsApiVersion is the apiVersion of `kind` for an XR of `scope`. */
export function awsApiVersion(kind: AwsKind, scope: Scope): string {
  const k = KINDS[kind];
  return scope === 'cluster' ? `${k.service}.aws.upbound.io/${k.clusterVersion}` : `${k.service}.aws.m.upbound.io/v1beta1`;
}

/** kubernetesApiVersion is the apiVersion of provider-kubernetes' Object or ProviderConfig for `scope`. */
export function kubernetesApiVersion(kind: 'Object' | 'ProviderConfig', scope: Scope): string {
  if (scope === 'namespaced') return 'kubernetes.m.crossplane.io/v1alpha1';
  return kind === 'Object' ? 'kubernetes.crossplane.io/v1alpha2' : 'kubernetes.crossplane.io/v1alpha1';
}
