import { managed, select } from './builder.js';
import type { Composed, RenderContext, Rendered } from './model.js';
import { awsName } from './naming.js';
import { publicSubnets } from './network.js';
import { securityGroup } from './security.js';

/** TLS_POLICY is the ALB's TLS policy: TLS 1.3 and 1.2 only. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** NO_DOMAIN explains why require-https exposes nothing until spec.domain is set. */
export const NO_DOMAIN =
  'require-https: spec.domain is not set, so no certificate can be issued; the app is not exposed until it is';

/**
 * certificate renders the ACM certificate for plan.domain, validated through
 * DNS (the validation records show in its status), or nothing without a domain.
 */
export function certificate(ctx: RenderContext): Composed[] {
  const domain = ctx.plan.domain;
  if (domain === undefined) return [];
  return [managed(ctx, 'cert', 'Certificate', { domainName: domain, validationMethod: 'DNS', keyAlgorithm: 'RSA_2048' })];
}

/**
 * usableCertificate is the certificate's ARN once it can serve, or what it
 * still needs: spec.domain (without one the app stays unexposed rather than
 * served over plain HTTP), its ARN (listeners and Service annotations have no
 * reference field for it, so it is copied once observed), or its DNS
 * validation (the record to create is named).
 */
export function usableCertificate(ctx: RenderContext): { ok: true; value: string } | { ok: false; error: string } {
  if (ctx.plan.domain === undefined) return { ok: false, error: 'spec.domain' };
  const cert = ctx.observed.certificate;
  if (cert === undefined) return { ok: false, error: 'the certificate ARN' };
  if (cert.status !== 'ISSUED') {
    const how = cert.validation === undefined ? '' : `: create DNS record ${cert.validation}`;
    return { ok: false, error: `the certificate to be issued, now ${cert.status}${how}` };
  }
  return { ok: true, value: cert.arn };
}

/**
 * loadBalancer renders the require-https front of a vm deployment: an
 * internet-facing Application Load Balancer in both public subnets with its
 * own security group (443 and 80 from anywhere), a target group on the app's
 * port with an HTTP health check, an HTTP listener that redirects to HTTPS,
 * and an HTTPS listener with the ACM certificate forwarding to the target
 * group, rendered once the certificate's ARN is observed (and never without
 * spec.domain: then nothing is served, with a warning saying why).
 */
export function loadBalancer(ctx: RenderContext): Rendered {
  const port = ctx.plan.port;
  const resources: Composed[] = [
    ...securityGroup(ctx, 'sg-lb', 'load balancer: HTTPS and HTTP redirect from anywhere', [
      { key: 'https', port: 443, source: { cidr: '0.0.0.0/0' }, description: 'HTTPS from anywhere' },
      { key: 'http', port: 80, source: { cidr: '0.0.0.0/0' }, description: 'HTTP from anywhere, redirected to HTTPS' },
    ]),
    ...certificate(ctx),
    managed(ctx, 'lb', 'LB', {
      name: awsName(ctx.target, 'lb', 32),
      loadBalancerType: 'application',
      internal: false,
      dropInvalidHeaderFields: true,
      securityGroupSelector: select('sg-lb'),
      subnetSelector: publicSubnets(),
    }),
    managed(ctx, 'tg', 'LBTargetGroup', {
      name: awsName(ctx.target, 'tg', 32),
      port,
      protocol: 'HTTP',
      targetType: 'instance',
      vpcIdSelector: select('vpc'),
      healthCheck: { enabled: true, path: '/', protocol: 'HTTP', matcher: '200-399', healthyThreshold: 2, unhealthyThreshold: 3 },
    }),
    managed(ctx, 'listener-http', 'LBListener', {
      port: 80,
      protocol: 'HTTP',
      loadBalancerArnSelector: select('lb'),
      defaultAction: [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' } }],
    }),
  ];
  const arn = usableCertificate(ctx);
  if (!arn.ok) {
    const warnings = ctx.plan.domain === undefined ? [NO_DOMAIN] : [];
    return { resources, warnings, waiting: [`listener-https (needs ${arn.error})`] };
  }
  resources.push(
    managed(ctx, 'listener-https', 'LBListener', {
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: TLS_POLICY,
      certificateArn: arn.value,
      loadBalancerArnSelector: select('lb'),
      defaultAction: [{ type: 'forward', targetGroupArnSelector: select('tg') }],
    }),
  );
  return { resources, warnings: [], waiting: [] };
}
