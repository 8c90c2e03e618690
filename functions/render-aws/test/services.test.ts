import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DeploymentSpec, type DeploymentSpecInput, type ServicePlan, type Strategy } from '@scia/api';
import { planServices, type ServiceNeed } from '@scia/decider';
import { runFunction } from '@scia/function-render-aws';
import { crdDir } from '@scia/schemas';
import type { JsonObject } from '@scia/runtime';
import { at, desiredResources, invalidResources, results } from './fixtures/check.js';
import { analysis, decision, observedReady, request, spec, xr, type Scope } from './fixtures/requests.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const crds = crdDir();
const withCrds = crds.exists ? it : it.skip;
if (!crds.exists) console.warn(`skipping CRD validation of rendered services: no CRDs at ${crds.dir} (npm run crds)`);

/** PLANTED is a credential-shaped value planted in observed resources: it must never reach status or results. */
const PLANTED = 'PLANTED-s3cr3t-Zq9';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:rds!db-0a1b2c3d-PLANTEDARN';

type Variant = 'postgresql' | 'mysql' | 'redis' | 'none' | 'byo';

const need = (kind: ServiceNeed['kind']): ServiceNeed => ({ kind, evidence: [{ file: kind === 'redis' ? 'package.json' : 'requirements.txt', note: `dependency for ${kind}` }] });

const VARIANTS: Record<Variant, { needs: ServiceNeed[]; services?: DeploymentSpecInput['services'] }> = {
  postgresql: { needs: [need('postgresql')] },
  mysql: { needs: [need('mysql')] },
  redis: { needs: [need('redis')] },
  none: { needs: [need('postgresql')], services: { postgresql: { none: true } } },
  byo: { needs: [need('postgresql')] },
};

function byo(strategy: Strategy): DeploymentSpecInput['services'] {
  return strategy === 'kubernetes'
    ? { postgresql: { managed: false, secretRef: { name: 'orders-db', key: 'url' } } }
    : { postgresql: { managed: false, awsSecretArn: 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:orders-db' } };
}

interface Case {
  strategy: Strategy;
  variant: Variant;
  scope: Scope;
  observed: boolean;
}

function claim(c: Case): DeploymentSpecInput {
  const services = c.variant === 'byo' ? byo(c.strategy) : VARIANTS[c.variant].services;
  return spec({
    prompt: 'Orders API for our mobile app',
    policies: ['enable-monitoring', 'private-data'],
    ...(c.strategy === 'serverless' ? { artifact: { image: '123456789012.dkr.ecr.eu-west-3.amazonaws.com/flask-api:1.4.2' } } : {}),
    ...(services === undefined ? {} : { services }),
  });
}

function plans(c: Case): ServicePlan[] {
  return planServices(VARIANTS[c.variant].needs, { strategy: c.strategy, spec: DeploymentSpec.parse(claim(c)) as DeploymentSpec });
}

/** observedServices is every data service Ready with its address, a managed secret, and a planted credential beside them. */
function observedServices(c: Case): Record<string, JsonObject> {
  return {
    postgresql: observedReady({ address: 'orders.abc.eu-west-3.rds.amazonaws.com', endpoint: 'orders.cluster-abc.eu-west-3.rds.amazonaws.com', masterUserSecret: [{ secretArn: SECRET_ARN }], password: PLANTED }),
    mysql: observedReady({ address: 'orders.def.eu-west-3.rds.amazonaws.com', masterUserSecret: [{ secretArn: SECRET_ARN }], password: PLANTED }),
    redis: observedReady({ primaryEndpointAddress: 'master.orders.ghi.euw3.cache.amazonaws.com', authToken: PLANTED }),
    ...(c.strategy === 'kubernetes' ? { cluster: observedReady({ vpcConfig: { clusterSecurityGroupId: 'sg-0123456789abcdef0' } }) } : {}),
  };
}

const render = (c: Case) =>
  runFunction(
    request({
      xr: xr(c.scope, claim(c)),
      context: { 'scia.io/decision': decision({ strategy: c.strategy, services: plans(c) }), 'scia.io/analysis': analysis() },
      ...(c.observed ? { observed: observedServices(c) } : {}),
    }),
    { clock },
  );

const cases: Record<string, Case> = {};
for (const strategy of ['vm', 'kubernetes', 'serverless'] as const) {
  for (const variant of ['postgresql', 'mysql', 'redis', 'none', 'byo'] as const) {
    for (const scope of ['cluster', 'namespaced'] as const) {
      for (const observed of [false, true]) cases[`${strategy}/${variant}/${scope}${observed ? '/observed' : ''}`] = { strategy, variant, scope, observed };
    }
  }
}
// Every cluster-scoped case, and the namespaced kinds of each family (`.m.`) once.
const golden = Object.entries(cases).filter(([, c]) => c.observed && (c.scope === 'cluster' || c.variant === 'redis' || c.variant === 'postgresql'));

describe('services per strategy', () => {
  it.each(golden)('%s matches its golden file', async (name, c) => {
    const rsp = await render(c);
    await expect(stringify(rsp, { lineWidth: 0 })).toMatchFileSnapshot(`golden/services-${name.replace(/\/observed$/, '').replace(/\//g, '-')}.yaml`);
  });

  withCrds.each(Object.entries(cases))('%s: every resource validates against its pinned CRD', async (_name, c) => {
    expect(invalidResources(await render(c))).toEqual({});
  });

  it.each(Object.entries(cases))('%s: no credential in status, results or any composed resource', async (_name, c) => {
    const rsp = await render(c);
    const text = JSON.stringify({ status: at(rsp.desired?.composite?.resource, 'status'), results: rsp.results, resources: desiredResources(rsp), context: rsp.context });
    expect(text).not.toContain(PLANTED);
    expect(results(rsp).filter((r) => r.startsWith('fatal'))).toEqual([]);
  });

  it.each(Object.entries(cases))('%s: status.services reports each service, its endpoint once observed', async (_name, c) => {
    const rsp = await render(c);
    const status = at(rsp.desired?.composite?.resource, 'status', 'services') as JsonObject[];
    const want = { none: 'Skipped', byo: 'External' }[c.variant as string] ?? (c.observed ? 'Ready' : 'Provisioning');
    expect(status.map((s) => s['phase'])).toEqual([want]);
    expect(status[0]?.['endpoint'] !== undefined).toBe(c.observed && !['none', 'byo'].includes(c.variant));
  });
});

describe('services wiring', () => {
  it('vm: reads the connection at boot with its role; the launch template carries no credential', async () => {
    const rsp = await render({ strategy: 'vm', variant: 'postgresql', scope: 'cluster', observed: true });
    const r = desiredResources(rsp);
    const userData = Buffer.from(String(at(r['launch-template'], 'spec', 'forProvider', 'userData')), 'base64').toString();
    expect(userData).toContain('python3 /opt/scia/connect.py /opt/scia/services.json');
    expect(userData).toContain('EnvironmentFile=/etc/scia-app.env');
    expect(userData).toContain('"source":"rds-instance","id":"flask-api-x7k2p-postgresql"');
    expect(userData).not.toContain(SECRET_ARN);
    expect(at(r['postgresql'], 'spec', 'forProvider', 'manageMasterUserPassword')).toBe(true);
    const policy = JSON.parse(String(at(r['instance-role'], 'spec', 'forProvider', 'inlinePolicy', 0, 'policy'))) as JsonObject;
    expect(JSON.stringify(policy)).toContain('secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn');
  });

  it('kubernetes: the workload Secret is filled by references on the control plane; the app composes DATABASE_URL', async () => {
    const rsp = await render({ strategy: 'kubernetes', variant: 'postgresql', scope: 'cluster', observed: true });
    const r = desiredResources(rsp);
    expect(at(r['workload-services'], 'spec', 'references')).toEqual([
      { patchesFrom: { apiVersion: 'rds.aws.upbound.io/v1beta3', kind: 'Instance', name: 'flask-api-x7k2p-postgresql', fieldPath: 'status.atProvider.address' }, toFieldPath: 'stringData.DATABASE_HOST' },
      { patchesFrom: { apiVersion: 'v1', kind: 'Secret', name: 'flask-api-x7k2p-postgresql-password', namespace: 'crossplane-system', fieldPath: 'data.password' }, toFieldPath: 'data.DATABASE_PASSWORD' },
    ]);
    const env = at(r['workload-deployment'], 'spec', 'forProvider', 'manifest', 'spec', 'template', 'spec', 'containers', 0, 'env') as JsonObject[];
    expect(env.find((e) => e['name'] === 'DATABASE_URL')).toEqual({ name: 'DATABASE_URL', value: 'postgresql://$(DATABASE_USER):$(DATABASE_PASSWORD)@$(DATABASE_HOST):$(DATABASE_PORT)/$(DATABASE_NAME)' });
  });

  it('kubernetes: the database admits nothing until the cluster\'s security group is observed', async () => {
    const rsp = await render({ strategy: 'kubernetes', variant: 'postgresql', scope: 'cluster', observed: false });
    expect(Object.keys(desiredResources(rsp))).not.toContain('sg-postgresql-ingress');
    expect(String(at(rsp.desired?.composite?.resource, 'status', 'message'))).toContain("sg-postgresql-ingress (needs the cluster's security group)");
  });

  it('serverless: the function runs in the private subnets with the address and the secret ARN, never a password', async () => {
    const rsp = await render({ strategy: 'serverless', variant: 'redis', scope: 'cluster', observed: true });
    const fn = desiredResources(rsp)['function'];
    expect(at(fn, 'spec', 'forProvider', 'vpcConfig', 'subnetIdSelector', 'matchLabels')).toEqual({ 'scia.io/subnet': 'private' });
    expect(at(fn, 'spec', 'forProvider', 'environment', 'variables', 'REDIS_URL')).toBe('rediss://master.orders.ghi.euw3.cache.amazonaws.com:6379/0');
  });

  it('refuses a service the team brings where the strategy cannot read it, naming the field', async () => {
    const c: Case = { strategy: 'vm', variant: 'byo', scope: 'cluster', observed: false };
    const rsp = await runFunction(
      request({
        xr: xr('cluster', spec({ services: { postgresql: { managed: false, secretRef: { name: 'orders-db', key: 'url' } } } })),
        context: { 'scia.io/decision': decision({ strategy: 'vm', services: [{ ...plans(c)[0]!, external: { secretRef: { name: 'orders-db', key: 'url' } } }] }) },
      }),
      { clock },
    );
    expect(results(rsp)).toEqual(['fatal: cannot render AWS resources: spec.services.postgresql.awsSecretArn: a vm app reads the connection of a service the team brings from a Secrets Manager secret']);
    expect(desiredResources(rsp)).toEqual({});
  });
});
