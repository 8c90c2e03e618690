import { describe, expect, it } from 'vitest';
import type { Analysis, DeploymentSpecInput } from '@scia/api';
import { runFunction } from '@scia/function-render-aws';
import type { JsonObject } from '@scia/runtime';
import { at, desiredResources, kindsOf, results } from './fixtures/check.js';
import * as K from './fixtures/kinds.js';
import { analysis, decision, request, spec, xr } from './fixtures/requests.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };

const run = (s: DeploymentSpecInput, context: JsonObject = {}, desiredStatus?: JsonObject) =>
  runFunction(request({ xr: xr('cluster', s), context, ...(desiredStatus === undefined ? {} : { desiredStatus }) }), { clock });

const forProvider = (rsp: Awaited<ReturnType<typeof run>>, key: string): unknown => at(desiredResources(rsp)[key], 'spec', 'forProvider');

describe('which strategy is rendered', () => {
  const cases: Record<string, { reason: string; spec: DeploymentSpecInput; context: JsonObject; desiredStatus?: JsonObject; want: { kinds: object; results: string[]; ttl: number } }> = {
    decision: {
      reason: 'the decision in context wins over spec.strategy',
      spec: spec({ strategy: 'vm', artifact: { image: 'ghcr.io/acme/a:1' } }),
      context: { 'scia.io/decision': decision({ strategy: 'serverless' }) },
      want: { kinds: K.SERVERLESS, results: [], ttl: 60 },
    },
    pinned: {
      reason: 'no decision: a pinned spec.strategy is rendered',
      spec: spec({ strategy: 'kubernetes' }),
      context: {},
      want: { kinds: K.KUBERNETES, results: ['warning: no start command was detected: pods will fetch the code but cannot start the app'], ttl: 60 },
    },
    pending: {
      reason: 'auto while an earlier step is Deciding: nothing new, short TTL, phase kept',
      spec: spec(),
      context: {},
      desiredStatus: { phase: 'Deciding' },
      want: { kinds: {}, results: ['normal: waiting for the Deciding step before rendering'], ttl: 5 },
    },
    noDecideStep: {
      reason: 'auto and no decide step ran: vm, with a warning saying so',
      spec: spec(),
      context: {},
      want: {
        kinds: K.VM,
        results: [
          'warning: no decision in context and spec.strategy is auto: rendering vm (is the decide step missing from the pipeline?)',
          'warning: no start command was detected: instances will fetch the code but cannot start the app',
        ],
        ttl: 60,
      },
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { reason, spec: s, context, desiredStatus, want }) => {
    const rsp = await run(s, context, desiredStatus);
    expect({ kinds: kindsOf(rsp), results: results(rsp), ttl: rsp.meta?.ttl?.seconds }, reason).toEqual(want);
    if (desiredStatus !== undefined) expect(rsp.desired?.composite?.resource?.['status']).toEqual(desiredStatus);
  });
});

describe('sizing and security of the vm', () => {
  it('takes overrides over the decision over defaults, and the port from analysis', async () => {
    const rsp = await run(spec({ overrides: { instanceType: 'm7g.large', maxSize: 4 } }), {
      'scia.io/decision': decision({ config: { instanceType: 't3.large', minSize: 2, desiredCapacity: 3 } }),
      'scia.io/analysis': analysis(),
    });
    expect(forProvider(rsp, 'launch-template')).toMatchObject({
      instanceType: 'm7g.large',
      imageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    });
    expect(forProvider(rsp, 'asg')).toMatchObject({ minSize: 2, maxSize: 4, desiredCapacity: 3 });
    expect(forProvider(rsp, 'sg-app-ingress')).toMatchObject({ fromPort: 5000, toPort: 5000, cidrIpv4: '0.0.0.0/0' });
  });

  it('requires IMDSv2, encrypts a gp3 root volume and opens no SSH', async () => {
    const rsp = await run(spec({ policies: ['require-https'], domain: 'api.example.com' }), { 'scia.io/decision': decision() });
    expect(forProvider(rsp, 'launch-template')).toMatchObject({
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 2 },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 20, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } }],
    });
    const ingress = Object.entries(desiredResources(rsp)).filter(([, r]) => r['kind'] === 'SecurityGroupIngressRule');
    expect(ingress.map(([k, r]) => [k, at(r, 'spec', 'forProvider', 'fromPort'), at(r, 'spec', 'forProvider', 'cidrIpv4')])).toEqual([
      ['sg-app-ingress', 8080, undefined],
      ['sg-lb-https', 443, '0.0.0.0/0'],
      ['sg-lb-http', 80, '0.0.0.0/0'],
    ]);
    expect(at(forProvider(rsp, 'sg-app-ingress'), 'referencedSecurityGroupIdSelector')).toEqual({
      matchControllerRef: true,
      matchLabels: { 'scia.io/component': 'sg-lb' },
    });
  });
});

describe('require-https without spec.domain', () => {
  const NO_DOMAIN = 'warning: require-https: spec.domain is not set, so no certificate can be issued; the app is not exposed until it is';
  const cases: Record<string, { reason: string; strategy: 'vm' | 'kubernetes'; kinds: object; waiting: string }> = {
    vm: {
      reason: 'the load balancer is built but serves nothing: no certificate, no HTTPS listener, the app port open only to it',
      strategy: 'vm',
      kinds: (({ cert: _c, ...rest }) => rest)({ ...K.VM, ...K.VM_HTTPS }),
      waiting: 'listener-https (needs spec.domain)',
    },
    kubernetes: {
      reason: 'the cluster is built but the Service is held back',
      strategy: 'kubernetes',
      kinds: (({ 'workload-service': _s, ...rest }) => rest)(K.KUBERNETES),
      waiting: 'workload-service (needs spec.domain)',
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { reason, strategy, kinds, waiting }) => {
    const rsp = await run(spec({ policies: ['require-https'] }), { 'scia.io/decision': decision({ strategy }), 'scia.io/analysis': analysis() });
    expect({ kinds: kindsOf(rsp), results: results(rsp) }, reason).toEqual({ kinds, results: [NO_DOMAIN] });
    expect(String(at(rsp.desired?.composite?.resource, 'status', 'message')), reason).toContain(waiting);
  });
});

describe('user data fetches and starts the app', () => {
  const userData = async (s: DeploymentSpecInput, a?: Analysis) => {
    const rsp = await run(s, { 'scia.io/decision': decision(), ...(a === undefined ? {} : { 'scia.io/analysis': a }) });
    return { script: Buffer.from(String(at(forProvider(rsp, 'launch-template'), 'userData')), 'base64').toString(), results: results(rsp) };
  };

  it('from source: the analysed commit, the build command, then the start command as a service', async () => {
    const { script, results: r } = await userData(spec(), analysis());
    expect(r).toEqual([]);
    expect(script).toContain("git fetch -q --depth 1 origin '3f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39' && git checkout -q FETCH_HEAD");
    expect(script.indexOf('pip install -r requirements.txt')).toBeLessThan(script.indexOf('ExecStart='));
    expect(script).toContain("ExecStart=/bin/sh -c 'exec gunicorn -b 0.0.0.0:$PORT app:app'");
    expect(script).toContain('Environment=PORT=5000');
  });

  it.each([
    ['pip', 'python3 -m pip install -r requirements.txt'],
    ['npm', 'if [ -f package-lock.json ]; then npm ci; else npm install; fi'],
    ['bundler', 'bundle install'],
  ])('from source with %s: installs dependencies before the build and the service', async (packageManager, install) => {
    const { script } = await userData(spec(), analysis({ packageManager, buildCommand: 'make build' }));
    expect(script.indexOf(install)).toBeGreaterThan(script.indexOf('git checkout'));
    expect(script.indexOf(install)).toBeLessThan(script.indexOf('make build'));
    expect(script.indexOf('make build')).toBeLessThan(script.indexOf('ExecStart='));
  });

  it('from source with a package manager whose build fetches dependencies: no install step', async () => {
    const { script } = await userData(spec(), analysis({ language: 'go', packageManager: 'go', buildCommand: 'go build -o app .' }));
    expect(script).not.toMatch(/pip install|npm (ci|install)|bundle install/);
  });

  it('from a container image: docker with an ECR login', async () => {
    const image = '123456789012.dkr.ecr.eu-west-3.amazonaws.com/flask-api:1.4.2';
    const { script } = await userData(spec({ artifact: { image } }));
    expect(script).toContain('aws ecr get-login-password --region eu-west-3 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-3.amazonaws.com');
    expect(script).toContain(`-p 8080:8080 '${image}'`);
  });

  it('from a zip in S3', async () => {
    const { script } = await userData(spec({ artifact: { s3: { bucket: 'acme-builds', key: 'flask/1.4.2.zip' } } }), analysis());
    expect(script).toContain("aws s3 cp 's3://acme-builds/flask/1.4.2.zip' /tmp/app.zip");
    expect(script).not.toContain('git fetch');
  });

  it('without a start command: says so at boot and in a warning', async () => {
    const { startCommand: _none, ...rest } = analysis();
    const { script, results: r } = await userData(spec(), rest);
    expect(script).toContain('exit 1');
    expect(r).toEqual(['warning: no start command was detected: instances will fetch the code but cannot start the app']);
  });
});
