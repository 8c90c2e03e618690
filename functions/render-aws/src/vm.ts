import type { Result } from '@scia/api';
import type { JsonObject } from '@scia/runtime';
import { managed, partition, select } from './builder.js';
import { loadBalancer } from './https.js';
import { role, type ManagedPolicy } from './iam.js';
import type { Composed, RenderContext, Rendered } from './model.js';
import { vmMonitoring, vmLogGroupName } from './monitoring.js';
import { network, publicSubnets } from './network.js';
import { securityGroup, type IngressRule } from './security.js';
import { tagsFor } from './tags.js';
import { userData } from './userdata.js';
import { isArmInstanceType } from './runtimes.js';
import { renderServices } from './services.js';
import { servicesBoot } from './services-boot.js';
import { readStatements } from './services-env.js';

/**
 * renderVm runs the app on an auto scaling group of Amazon Linux 2023
 * instances: network, an app security group (the app's port from the load
 * balancer under require-https, else from anywhere; never SSH), an instance
 * role with SSM access instead of SSH keys, a launch template (IMDSv2
 * required, encrypted gp3 root volume, user data that fetches and starts the
 * app) and the group itself, registered with the target group once the target
 * group's ARN is observed.
 */
export function renderVm(ctx: RenderContext): Result<Rendered> {
  const { plan } = ctx;
  const warnings: string[] = [];
  const waiting: string[] = [];
  const appIngress: IngressRule = plan.https
    ? { key: 'ingress', port: plan.port, source: { securityGroup: 'sg-lb' }, description: 'app port from the load balancer' }
    : { key: 'ingress', port: plan.port, source: { cidr: '0.0.0.0/0' }, description: 'app port from anywhere' };
  const resources: Composed[] = [
    ...network(ctx),
    ...securityGroup(ctx, 'sg-app', 'app instances: the app port only', [appIngress]),
    ...instanceRole(ctx),
    managed(ctx, 'instance-profile', 'InstanceProfile', { roleSelector: select('instance-role') }),
    launchTemplate(ctx),
    autoscalingGroup(ctx),
  ];
  const services = renderServices(ctx, 'vm');
  if (!services.ok) return services;
  resources.push(...services.value.resources);
  waiting.push(...services.value.waiting);
  if (plan.https) {
    const lb = loadBalancer(ctx);
    resources.push(...lb.resources);
    warnings.push(...lb.warnings);
    waiting.push(...lb.waiting);
  }
  if (plan.monitoring) resources.push(...vmMonitoring(ctx));
  if (plan.artifact?.image === undefined && plan.startCommand === undefined) {
    warnings.push('no start command was detected: instances will fetch the code but cannot start the app');
  }
  return { ok: true, value: { resources, warnings, waiting } };
}

function instanceRole(ctx: RenderContext): Composed[] {
  const { plan } = ctx;
  const policies: ManagedPolicy[] = ['AmazonSSMManagedInstanceCore'];
  if (plan.monitoring) policies.push('CloudWatchAgentServerPolicy');
  if (plan.artifact?.image !== undefined) policies.push('AmazonEC2ContainerRegistryReadOnly');
  const s3 = plan.artifact?.s3;
  const inline =
    s3 === undefined
      ? undefined
      : {
          name: 'read-artifact',
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:${partition(plan.region)}:s3:::${s3.bucket}/${s3.key}` }],
          },
        };
  const statements = readStatements(ctx, 'describe-and-read');
  const services = statements.length === 0 ? [] : [{ name: 'read-services', document: { Version: '2012-10-17', Statement: statements } }];
  const inlines = [...(inline === undefined ? [] : [inline]), ...services];
  return role(ctx, {
    key: 'instance-role',
    service: 'ec2.amazonaws.com',
    description: 'SCIA app instances: SSM session access, no SSH',
    managedPolicies: policies,
    ...(inlines.length === 0 ? {} : { inline: inlines }),
  });
}

/** amiParameter is the SSM parameter of the latest Amazon Linux 2023 AMI for the instance type's architecture. */
export function amiParameter(instanceType: string): string {
  const arch = isArmInstanceType(instanceType) ? 'arm64' : 'x86_64';
  return `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`;
}

function launchTemplate(ctx: RenderContext): Composed {
  const { plan, target } = ctx;
  const logGroup = plan.monitoring ? vmLogGroupName(target) : undefined;
  const tags = tagsFor(target);
  return managed(ctx, 'launch-template', 'LaunchTemplate', {
    description: `SCIA ${target.deployment}: ${plan.repository.url}`,
    imageId: amiParameter(plan.sizing.instanceType),
    instanceType: plan.sizing.instanceType,
    iamInstanceProfile: { arnSelector: select('instance-profile') },
    metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 2 },
    blockDeviceMappings: [
      {
        deviceName: '/dev/xvda',
        ebs: { volumeSize: plan.sizing.volumeSizeGb, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
      },
    ],
    networkInterfaces: [
      { deviceIndex: 0, associatePublicIpAddress: 'true', deleteOnTermination: 'true', securityGroupSelector: select('sg-app') },
    ],
    tagSpecifications: [
      { resourceType: 'instance', tags },
      { resourceType: 'volume', tags },
    ],
    updateDefaultVersion: true,
    userData: Buffer.from(userData(plan, logGroup, servicesBoot(ctx))).toString('base64'),
  });
}

function autoscalingGroup(ctx: RenderContext): Composed {
  const { plan, observed } = ctx;
  const forProvider: JsonObject = {
    minSize: plan.sizing.minSize,
    maxSize: plan.sizing.maxSize,
    desiredCapacity: plan.sizing.desiredCapacity,
    launchTemplate: { idSelector: select('launch-template'), version: '$Latest' },
    vpcZoneIdentifierSelector: publicSubnets(),
    healthCheckType: plan.https ? 'ELB' : 'EC2',
    healthCheckGracePeriod: 300,
    instanceRefresh: { strategy: 'Rolling', preferences: { minHealthyPercentage: 50 } },
  };
  // The provider has no reference field for a traffic source: the target group's ARN is copied once observed.
  if (plan.https && observed.targetGroupArn !== undefined) {
    forProvider['trafficSource'] = [{ identifier: observed.targetGroupArn, type: 'elbv2' }];
  }
  return managed(ctx, 'asg', 'AutoscalingGroup', forProvider);
}
