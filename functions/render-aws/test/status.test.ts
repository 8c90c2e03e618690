import { describe, expect, it } from 'vitest';
import { Ready, Status } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '@scia/function-render-aws';
import type { JsonObject } from '@scia/runtime';
import { crdDir } from '@scia/schemas';
import { at, desiredResources, invalidResources, results } from './fixtures/check.js';
import * as K from './fixtures/kinds.js';
import { analysis, decision, observedReady, request, spec, xr } from './fixtures/requests.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const crds = crdDir();
if (!crds.exists) console.warn(`skipping CRD validation in the status tests: no CRDs at ${crds.dir} (npm run crds or set SCIA_CRD_DIR)`);

/** invalid is invalidResources where the CRDs are present, and no finding (the check skipped, as announced) where they are not. */
const invalid = (rsp: Awaited<ReturnType<typeof runFunction>>): Record<string, string[]> => (crds.exists ? invalidResources(rsp) : {});
const TG = 'arn:aws:elasticloadbalancing:eu-west-3:123456789012:targetgroup/flask-api-x7k2p-tg/0123456789abcdef';
const CERT = 'arn:aws:acm:eu-west-3:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const DNS = 'flask-api-x7k2p-lb-1234567890.eu-west-3.elb.amazonaws.com';
const URL = 'https://abcdefghijklmnop.lambda-url.eu-west-3.on.aws/';
const HOST = 'a1b2c3-123456789.eu-west-3.elb.amazonaws.com';

const VM_HTTPS_KEYS = Object.keys({ ...K.VM, ...K.VM_HTTPS, 'listener-https': '' });

/** allReady observes every key Ready, with the atProvider fields the renderer reads. */
function allReady(keys: string[]): Record<string, JsonObject> {
  const special: Record<string, JsonObject> = {
    tg: { arn: TG },
    cert: { arn: CERT, status: 'ISSUED' },
    lb: { dnsName: DNS },
    'function-url': { functionUrl: URL },
    'workload-service': { manifest: { status: { loadBalancer: { ingress: [{ hostname: HOST }] } } } },
  };
  return Object.fromEntries(keys.map((k) => [k, observedReady(special[k] ?? {})]));
}

const vmHttps = (observed: Record<string, JsonObject>, status: JsonObject = {}, desiredStatus?: JsonObject) =>
  runFunction(
    request({
      xr: xr('cluster', spec({ policies: ['require-https'], domain: 'api.example.com' }), status),
      context: { 'scia.io/decision': decision({ strategy: 'vm' }), 'scia.io/analysis': analysis() },
      observed,
      ...(desiredStatus === undefined ? {} : { desiredStatus }),
    }),
    { clock },
  );

const statusOf = (rsp: Awaited<ReturnType<typeof runFunction>>): unknown => at(rsp.desired?.composite?.resource, 'status');

describe('readiness, phase and endpoints from observed resources', () => {
  it('reports Running with the load balancer endpoint when every resource is ready', async () => {
    const rsp = await vmHttps(allReady(VM_HTTPS_KEYS), { phase: 'Provisioning' });
    expect(results(rsp)).toEqual([]);
    expect(statusOf(rsp)).toEqual({
      phase: 'Running',
      message: `all ${VM_HTTPS_KEYS.length} resources are ready`,
      endpoints: [
        { name: 'domain', url: 'https://api.example.com', type: 'load-balancer' },
        { name: 'load-balancer', url: `https://${DNS}`, type: 'load-balancer' },
      ],
      history: [{ at: '2026-01-01T00:00:00.000Z', event: 'PhaseRunning', message: 'Provisioning -> Running' }],
    });
    expect(Object.values(rsp.desired?.resources ?? {}).map((r) => r.ready)).toEqual(VM_HTTPS_KEYS.map(() => Ready.READY_TRUE));
    expect(rsp.conditions).toEqual([
      { type: 'DeploymentReady', status: Status.STATUS_CONDITION_TRUE, reason: 'Available', message: `all ${VM_HTTPS_KEYS.length} resources are ready`, target: 2 },
    ]);
  });

  it('copies observed ARNs the provider cannot reference (target group into the ASG, certificate into the listener)', async () => {
    const rsp = await vmHttps(allReady(['tg', 'cert']));
    const desired = desiredResources(rsp);
    expect(at(desired['asg'], 'spec', 'forProvider', 'trafficSource')).toEqual([{ identifier: TG, type: 'elbv2' }]);
    expect(at(desired['listener-https'], 'spec', 'forProvider', 'certificateArn')).toBe(CERT);
    expect(invalid(rsp)).toEqual({});
  });

  it('holds the HTTPS listener back until the certificate is issued, naming the DNS record to create', async () => {
    const pending = observedReady({
      arn: CERT,
      status: 'PENDING_VALIDATION',
      domainValidationOptions: [
        { domainName: 'api.example.com', resourceRecordName: '_a1.api.example.com.', resourceRecordType: 'CNAME', resourceRecordValue: '_b2.acm-validations.aws.' },
      ],
    });
    const rsp = await vmHttps({ ...allReady(VM_HTTPS_KEYS.filter((k) => k !== 'listener-https')), cert: pending });
    expect(Object.keys(rsp.desired?.resources ?? {})).not.toContain('listener-https');
    expect(statusOf(rsp)).toMatchObject({
      phase: 'Provisioning',
      message: `waiting for 1 of ${VM_HTTPS_KEYS.length}: listener-https (needs the certificate to be issued, now PENDING_VALIDATION: create DNS record CNAME _a1.api.example.com. -> _b2.acm-validations.aws.)`,
    });
  });

  it('lists what is not ready yet, sorted, and marks only observed-ready resources ready', async () => {
    const rsp = await vmHttps({ vpc: observedReady(), 'subnet-a': { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Creating' }] } } });
    const unready = [...VM_HTTPS_KEYS.filter((k) => k !== 'vpc' && k !== 'listener-https'), 'listener-https (needs the certificate ARN)'].sort();
    expect(statusOf(rsp)).toMatchObject({ phase: 'Provisioning', message: `waiting for ${unready.length} of ${VM_HTTPS_KEYS.length}: ${unready.join(', ')}`, endpoints: [] });
    expect(rsp.desired?.resources['vpc']?.ready).toBe(Ready.READY_TRUE);
    expect(rsp.desired?.resources['subnet-a']?.ready).toBe(Ready.READY_FALSE);
  });

  const failing = (conditions: JsonObject[]) => ({ ...allReady(VM_HTTPS_KEYS), 'subnet-a': { status: { conditions } } });
  const cases: Record<string, { reason: string; observed: Record<string, JsonObject>; want: { phase: string; message: string } }> = {
    asyncFailure: {
      reason: 'AWS refused the create: Failed',
      observed: failing([
        { type: 'Ready', status: 'False', reason: 'Creating' },
        { type: 'LastAsyncOperation', status: 'False', reason: 'AsyncCreateFailure', message: 'InvalidSubnet.Range: bad CIDR' },
      ]),
      want: { phase: 'Failed', message: 'failed: subnet-a: InvalidSubnet.Range: bad CIDR' },
    },
    reconcileError: {
      reason: 'a reconcile error other than an unresolved reference: Failed',
      observed: failing([{ type: 'Synced', status: 'False', reason: 'ReconcileError', message: 'cannot get credentials: access denied' }]),
      want: { phase: 'Failed', message: 'failed: subnet-a: cannot get credentials: access denied' },
    },
    unresolvedReference: {
      reason: 'a reference not resolved yet is normal while provisioning',
      observed: failing([{ type: 'Synced', status: 'False', reason: 'ReconcileError', message: 'cannot resolve references: vpcId: referenced field was empty' }]),
      want: { phase: 'Provisioning', message: `waiting for 1 of ${VM_HTTPS_KEYS.length}: subnet-a` },
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { reason, observed, want }) => {
    expect(statusOf(await vmHttps(observed)), reason).toMatchObject(want);
  });

  it('keeps the status fields earlier steps set and replaces only its own', async () => {
    const earlier = { phase: 'Pending', deployment: { strategy: 'vm', decidedBy: 'rules' }, cost: { estimatedMonthly: 30, currency: 'USD' } };
    const rsp = await vmHttps({}, {}, earlier);
    expect(statusOf(rsp)).toMatchObject({ deployment: earlier.deployment, cost: earlier.cost, phase: 'Provisioning' });
  });

  it.each([['Analyzing'], ['Deciding']])('keeps an earlier step\'s pending phase %s while rendering what is deployed', async (pending) => {
    const rsp = await vmHttps({}, {}, { phase: pending });
    expect(statusOf(rsp)).toMatchObject({ phase: pending });
    expect(Object.keys(rsp.desired?.resources ?? {}).length).toBeGreaterThan(0);
  });

  it('reports the generation it rendered as status.observedGeneration', async () => {
    const base = xr('cluster', spec());
    const metadata = { ...(base['metadata'] as JsonObject), generation: 3 };
    const rsp = await runFunction(request({ xr: { ...base, metadata }, context: { 'scia.io/decision': decision({ strategy: 'vm' }) } }), { clock });
    expect(statusOf(rsp)).toMatchObject({ observedGeneration: 3, phase: 'Provisioning' });
  });

  it('reports a function URL as the serverless endpoint', async () => {
    const rsp = await runFunction(
      request({
        xr: xr('namespaced', spec({ artifact: { image: 'ghcr.io/acme/flask-api:1.4.2' } })),
        context: { 'scia.io/decision': decision({ strategy: 'serverless' }) },
        observed: allReady(Object.keys(K.SERVERLESS)),
      }),
      { clock },
    );
    expect(statusOf(rsp)).toMatchObject({ phase: 'Running', endpoints: [{ name: 'function-url', url: URL, type: 'function-url' }] });
  });

  it('reports the Service load balancer on kubernetes; a ProviderConfig is ready once it exists', async () => {
    const observed = allReady(Object.keys(K.KUBERNETES));
    observed['k8s'] = { spec: {} };
    const rsp = await runFunction(
      request({ xr: xr('cluster'), context: { 'scia.io/decision': decision({ strategy: 'kubernetes' }) }, observed }),
      { clock },
    );
    expect(statusOf(rsp)).toMatchObject({ phase: 'Running', endpoints: [{ name: 'service', url: `http://${HOST}`, type: 'load-balancer' }] });
    expect(rsp.desired?.resources['k8s']?.ready).toBe(Ready.READY_TRUE);
  });

  it('terminates TLS on the kubernetes Service with the certificate once its ARN is observed', async () => {
    const rsp = await runFunction(
      request({
        xr: xr('cluster', spec({ policies: ['require-https'], domain: 'api.example.com' })),
        context: { 'scia.io/decision': decision({ strategy: 'kubernetes' }) },
        observed: allReady(['cert', 'workload-service']),
      }),
      { clock },
    );
    const manifest = at(desiredResources(rsp)['workload-service'], 'spec', 'forProvider', 'manifest');
    expect(at(manifest, 'metadata', 'annotations')).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': 'http',
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': CERT,
      'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
    });
    expect(at(manifest, 'spec', 'ports')).toEqual([{ name: 'https', port: 443, targetPort: 8080, protocol: 'TCP' }]);
    expect(at(statusOf(rsp), 'endpoints')).toEqual([
      { name: 'domain', url: 'https://api.example.com', type: 'load-balancer' },
      { name: 'service', url: `https://${HOST}`, type: 'load-balancer' },
    ]);
    expect(invalid(rsp)).toEqual({});
  });
});
