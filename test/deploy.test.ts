import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { Api, CloudProviderKind, XrdPlural } from '@scia/api';
import { CONFIGURATION_ROOT, DEFAULT_REGISTRY, IMAGE_ENV, STEPS, functionName, satisfies } from '@scia/packaging';
import { DEFAULT_HEALTH_ADDRESS, FunctionMetrics } from '@scia/runtime';
import { createValidator, crdDir } from '@scia/schemas';
import { COMMANDS, XrSchemas } from '@scia/cli';
import { coreProblems, podProblems, type Kit } from './support/core-kinds.js';
import { kustomizeBuild } from './support/kustomize.js';
import { runHealthScript } from './support/lua-health.js';

const root = join(import.meta.dirname, '..');
const deploy = join(root, 'deploy');
const where = crdDir();
const xrSchemas = XrSchemas.build();
if (!xrSchemas.ok) throw new Error(xrSchemas.error);
const validator = where.exists ? createValidator(where.dir) : undefined;
if (!where.exists) console.warn(`skipping CRD validation of deploy/: no CRDs at ${where.dir} (npm run crds or set SCIA_CRD_DIR)`);
const kubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!kubectl) console.warn('skipping kubectl kustomize builds of deploy/ (the in-repo resolver still builds them): no kubectl on PATH');

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') && e.name !== 'kustomization.yaml' ? [join(dir, e.name)] : [],
  );
}

const docs = yamlFiles(deploy).flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((d, i) => ({ at: `${relative(root, file)}#${i + 1}`, value: obj(d.toJS()) })),
);
const kit: Kit = docs.map((d) => d.value);
const ofKind = (kind: string): Obj[] => kit.filter((o) => o['kind'] === kind);
const nameOf = (o: Obj): string => String(obj(o['metadata'])['name']);

/** NO_CRD are the kinds of other projects' CRDs, not pinned here: checked for the fields their controllers need. */
const NO_CRD: Record<string, (o: Obj) => string[]> = {
  'apiextensions.crossplane.io/v1alpha1/ManagedResourceActivationPolicy': (o) =>
    arr(obj(o['spec'])['activate']).every((p) => typeof p === 'string' && /^(\*\.)?[a-z0-9.-]+$/.test(p)) ? [] : ['spec.activate: MRD names or *.group patterns'],
  'monitoring.coreos.com/v1/PodMonitor': (o) => (arr(obj(o['spec'])['podMetricsEndpoints']).every((e) => typeof obj(e)['port'] === 'string') ? [] : ['spec.podMetricsEndpoints: each needs a port name']),
  'monitoring.coreos.com/v1/PrometheusRule': (o) =>
    rules(o).flatMap((r) =>
      typeof r['alert'] === 'string' && typeof r['expr'] === 'string' && typeof obj(r['labels'])['severity'] === 'string' && typeof obj(r['annotations'])['summary'] === 'string'
        ? []
        : [`rule ${String(r['alert'])}: needs alert, expr, labels.severity, annotations.summary`],
    ),
  'argoproj.io/v1alpha1/Application': (o) => {
    const spec = obj(o['spec']);
    return typeof obj(spec['source'])['repoURL'] === 'string' && typeof obj(spec['destination'])['namespace'] === 'string' ? [] : ['spec: needs source.repoURL and destination.namespace'];
  },
};

const rules = (o: Obj): Obj[] => arr(obj(o['spec'])['groups']).flatMap((g) => arr(obj(g)['rules']).map(obj));

function problemsOf(o: Obj, all: Kit): string[] {
  const key = `${String(o['apiVersion'])}/${String(o['kind'])}`;
  const group = String(o['apiVersion']).split('/').slice(0, -1).join('/');
  if (validator?.ok === true && validator.value.loadSchemaFor(String(o['apiVersion']), String(o['kind'])).ok) {
    const r = validator.value.validate(o);
    return r.ok ? [] : r.errors;
  }
  if (xrSchemas.ok && xrSchemas.value.handles(String(o['apiVersion']), String(o['kind']))) return xrSchemas.value.validate(o);
  const core = coreProblems(o, all);
  if (core !== undefined) return core;
  const other = NO_CRD[key];
  if (other !== undefined) return other(o);
  // A kind with a pinned CRD when CRDs are absent: checked above when they are present.
  return /crossplane\.io$|upbound\.io$/.test(group) && validator === undefined ? [] : [`${key}: no check for this kind`];
}

describe('deploy/ manifests', () => {
  it.each(docs.map((d) => [d.at, d.value] as const))('%s validates', (_, o) => {
    expect(problemsOf(o, kit)).toEqual([]);
  });

  it('gives every function runtime config a pod that mounts what it uses', () => {
    const drcs = ofKind('DeploymentRuntimeConfig').filter((d) => nameOf(d).startsWith('scia-'));
    const problems = drcs.flatMap((d) => {
      const spec = obj(obj(obj(obj(d['spec'])['deploymentTemplate'])['spec'])['template'])['spec'];
      return podProblems(obj(spec), `${nameOf(d)}.spec`, kit, 'crossplane-system');
    });
    expect(problems).toEqual([]);
  });

  const kustomizations = ['', 'provider-config', 'monitoring', 'argocd', 'tenant'];
  const problemsOfBuild = (built: Obj[]): Record<string, string[]> => {
    const found: Record<string, string[]> = {};
    for (const o of built) {
      const problems = problemsOf(o, [...kit, ...built]);
      if (problems.length > 0) found[`${String(o['kind'])}/${nameOf(o)}`] = problems;
    }
    return found;
  };
  it.each(kustomizations)('deploy/%s builds (in-repo resolver) objects that validate', (dir) => {
    const built = kustomizeBuild(join(deploy, dir));
    expect(built.length).toBeGreaterThan(0);
    expect(problemsOfBuild(built)).toEqual({});
  });

  it.skipIf(!kubectl).each(kustomizations)('kubectl kustomize deploy/%s builds objects that validate, the same the in-repo resolver builds', (dir) => {
    const out = spawnSync('kubectl', ['kustomize', join(deploy, dir)], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const built = parseAllDocuments(out.stdout).map((d) => obj(d.toJS()));
    expect(built.length).toBeGreaterThan(0);
    expect(problemsOfBuild(built)).toEqual({});
    const namespaceOf = (o: Obj): string => {
      const ns = obj(o['metadata'])['namespace'];
      return typeof ns === 'string' ? ns : '';
    };
    const key = (o: Obj): string => `${String(o['apiVersion'])}/${String(o['kind'])}/${namespaceOf(o)}/${nameOf(o)}`;
    const byKey = (objs: Obj[]): Record<string, Obj> => Object.fromEntries(objs.map((o) => [key(o), o]));
    expect(byKey(kustomizeBuild(join(deploy, dir)))).toEqual(byKey(built));
  });
});

describe('deploy/ crossplane', () => {
  const fns = ofKind('Function');
  const drc = (name: string): Obj | undefined => ofKind('DeploymentRuntimeConfig').find((d) => nameOf(d) === name);
  const container = (d: Obj | undefined): Obj =>
    obj(arr(obj(obj(obj(obj(obj(d?.['spec'])['deploymentTemplate'])['spec'])['template'])['spec'])['containers'])[0]);
  const env = (d: Obj | undefined): Record<string, unknown> =>
    Object.fromEntries(arr(container(d)['env']).map((e) => [String(obj(e)['name']), obj(e)['value'] ?? obj(e)['valueFrom']]));

  it('installs each step under the name the compositions reference, with its own runtime config', () => {
    expect(fns.map((f) => ({ name: nameOf(f), config: obj(obj(f['spec'])['runtimeConfigRef'])['name'], exists: drc(String(obj(obj(f['spec'])['runtimeConfigRef'])['name'])) !== undefined }))).toEqual(
      STEPS.map((s) => ({ name: functionName(DEFAULT_REGISTRY, s), config: `scia-${s}`, exists: true })),
    );
  });

  it('mounts a writable volume at the data directory the images use, and /tmp', () => {
    for (const s of STEPS) {
      const d = drc(`scia-${s}`);
      const mounts = arr(container(d)['volumeMounts']).map((m) => String(obj(m)['mountPath']));
      expect({ s, dataDir: env(d)['SCIA_DATA_DIR'], mounted: mounts.some((m) => IMAGE_ENV.SCIA_DATA_DIR.startsWith(`${m}/`)), tmp: mounts.includes('/tmp') }).toEqual({
        s,
        dataDir: IMAGE_ENV.SCIA_DATA_DIR,
        mounted: true,
        tmp: true,
      });
    }
  });

  it("probes every function with kubelet's grpc probe on the port the runtime serves health on", () => {
    const port = Number(DEFAULT_HEALTH_ADDRESS.slice(DEFAULT_HEALTH_ADDRESS.lastIndexOf(':') + 1));
    const probes = (c: Obj): unknown[] => ['startupProbe', 'readinessProbe', 'livenessProbe'].map((p) => obj(c[p])['grpc']);
    expect(STEPS.map((s) => ({ s, probes: probes(container(drc(`scia-${s}`))), declared: arr(container(drc(`scia-${s}`))['ports']).some((p) => obj(p)['containerPort'] === port) }))).toEqual(
      STEPS.map((s) => ({ s, probes: [{ port }, { port }, { port }], declared: true })),
    );
  });

  it('gives the steps with a store the database URL from its Secret, and decide Ollama', () => {
    const got = STEPS.map((s) => ({ s, db: env(drc(`scia-${s}`))['SCIA_DATABASE_URL'], ollama: env(drc(`scia-${s}`))['OLLAMA_HOST'] }));
    const secret = { secretKeyRef: { name: 'scia-database', key: 'url' } };
    expect(got).toEqual(
      STEPS.map((s) => ({
        s,
        db: ['retrieve', 'decide', 'record'].includes(s) ? secret : undefined,
        ollama: s === 'decide' ? 'http://scia-ollama.scia-system.svc:11434' : undefined,
      })),
    );
  });

  it("installs the Configuration's provider dependencies, at versions within its ranges", () => {
    const meta = parse(readFileSync(join(root, CONFIGURATION_ROOT, 'crossplane.yaml'), 'utf8')) as { spec: { dependsOn: Array<{ kind: string; package: string; version: string }> } };
    const wanted = meta.spec.dependsOn.filter((d) => d.kind === 'Provider');
    const installed = ofKind('Provider').map((p) => String(obj(p['spec'])['package']));
    expect(
      wanted.map((w) => {
        const tag = installed.find((i) => i.startsWith(`${w.package}:`))?.split(':').pop();
        return { package: w.package, ok: tag !== undefined && satisfies(tag, w.version) };
      }),
    ).toEqual(wanted.map((w) => ({ package: w.package, ok: true })));
  });

  it.skipIf(!where.exists)('activates every kind the render step composes, and nothing it does not', () => {
    const used = new Set<string>();
    const golden = [
      ...readdirSync(join(root, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(root, 'examples', d.name, 'expected.yaml')),
      ...readdirSync(join(root, 'functions/render-aws/test/golden')).map((f) => join(root, 'functions/render-aws/test/golden', f)),
    ].filter((f) => existsSync(f));
    for (const f of golden) for (const m of readFileSync(f, 'utf8').matchAll(/apiVersion: ([a-z0-9.]+)\/v\w+\n\s*kind: (\w+)/g)) used.add(`${m[1] ?? ''}/${m[2] ?? ''}`);
    // Results (-r) are render's own documents, not managed resources.
    const managed = [...used].filter((k) => /\.(upbound|crossplane)\.io\//.test(k) && !k.endsWith('/ProviderConfig') && !k.startsWith('render.crossplane.io/'));
    const patterns = arr(obj(ofKind('ManagedResourceActivationPolicy')[0]?.['spec'])['activate']).map(String);
    const matches = (pattern: string, group: string): boolean => (pattern.startsWith('*.') ? group === pattern.slice(2) : pattern.endsWith(`.${group}`));
    expect(managed.filter((k) => !patterns.some((p) => matches(p, k.split('/')[0] ?? '')))).toEqual([]);
    expect(patterns.filter((p) => !managed.some((k) => matches(p, k.split('/')[0] ?? '')))).toEqual([]);
  });
});

describe('deploy/ rbac', () => {
  it('aggregates scia-viewer, scia-deployer and scia-admin into view, edit and admin for the claim', () => {
    const roles = ofKind('ClusterRole').map((r) => ({
      name: nameOf(r),
      into: Object.keys(obj(obj(r['metadata'])['labels'])).filter((l) => l.startsWith('rbac.authorization.k8s.io/aggregate-to-')),
      resources: [...new Set(arr(r['rules']).flatMap((x) => (arr(obj(x)['apiGroups']).includes(Api.group) ? arr(obj(x)['resources']) : [])))],
      writes: arr(r['rules']).some((x) => arr(obj(x)['verbs']).includes('create')),
    }));
    const claim = [XrdPlural.claim, `${XrdPlural.claim}/status`, CloudProviderKind.plural, `${CloudProviderKind.plural}/status`];
    expect(roles).toEqual([
      { name: 'scia-viewer', into: ['rbac.authorization.k8s.io/aggregate-to-view'], resources: claim, writes: false },
      { name: 'scia-deployer', into: ['rbac.authorization.k8s.io/aggregate-to-edit'], resources: claim, writes: true },
      { name: 'scia-admin', into: ['rbac.authorization.k8s.io/aggregate-to-admin'], resources: claim, writes: true },
    ]);
  });

  it('lets no team role write its CloudProvider (its budget and quotas are the platform\'s)', () => {
    const writers = ofKind('ClusterRole').flatMap((r) =>
      arr(r['rules']).some((x) => arr(obj(x)['resources']).some((res) => String(res).startsWith(CloudProviderKind.plural)) && arr(obj(x)['verbs']).some((v) => !['get', 'list', 'watch'].includes(String(v))))
        ? [nameOf(r)]
        : [],
    );
    expect(writers).toEqual([]);
  });
});

describe('deploy/tenant', () => {
  const file = readFileSync(join(deploy, 'tenant', 'tenant.yaml'), 'utf8');
  const tenant = parseAllDocuments(file).map((d) => obj(d.toJS()));
  const at = (kind: string): Obj => tenant.find((o) => o['kind'] === kind) ?? {};

  it('is what the scia tenant create command in its header prints', async () => {
    const line = /^# Generated by `scia (tenant create [^`]+)`/.exec(file)?.[1] ?? '';
    const out: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _e, done) { out.push(chunk.toString()); done(); } });
    const cmd = await (COMMANDS['tenant']?.load() ?? Promise.reject(new Error('no tenant command')));
    const status = await cmd.run(line.split(' ').slice(1), { stdout: sink, stderr: sink, env: {}, cwd: root });
    expect({ status, text: out.join('') }).toEqual({ status: 0, text: file.slice(file.indexOf('---\n')) });
  });

  it('enforces Pod Security, counts Deployments, denies ingress and binds the team\'s groups to the SCIA roles', () => {
    const labels = obj(obj(at('Namespace')['metadata'])['labels']);
    const bindings = tenant.filter((o) => o['kind'] === 'RoleBinding').map((b) => [obj(b['roleRef'])['name'], obj(arr(b['subjects'])[0])['name']]);
    expect({
      enforce: labels['pod-security.kubernetes.io/enforce'],
      quota: obj(obj(at('ResourceQuota')['spec'])['hard'])[`count/${XrdPlural.claim}.${Api.group}`],
      policy: obj(at('NetworkPolicy')['spec'])['policyTypes'],
      bindings,
      cloudProvider: xrSchemas.ok ? xrSchemas.value.validate(at('CloudProvider')) : ['no schemas'],
    }).toEqual({
      enforce: 'restricted',
      quota: '20',
      policy: ['Ingress', 'Egress'],
      bindings: [['scia-deployer', 'team-example-deployers'], ['scia-viewer', 'team-example-viewers']],
      cloudProvider: [],
    });
  });
});

describe('deploy/ monitoring', () => {
  const exported = new Set<string>();
  const collected = new FunctionMetrics({ defaultMetrics: true }).registry.getMetricsAsJSON();
  it('queries only series the functions export', async () => {
    for (const m of await collected) exported.add(m.name);
    const dashboard = JSON.parse(readFileSync(join(deploy, 'monitoring', 'scia-functions.json'), 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const exprs = [...rules(ofKind('PrometheusRule')[0] ?? {}).map((r) => String(r['expr'])), ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))];
    const names = exprs.flatMap((e) => [...e.matchAll(/\b((?:function|process|nodejs)_[a-z0-9_]+)/g)].map((m) => (m[1] ?? '').replace(/_(bucket|sum|count)$/, '')));
    expect(names.length).toBeGreaterThan(5);
    expect([...new Set(names)].filter((n) => !exported.has(n))).toEqual([]);
  });
});

describe('deploy/argocd health check', () => {
  const script = readFileSync(join(deploy, 'argocd', 'health.lua'), 'utf8');
  const claim = (status?: Obj): Obj => ({ apiVersion: `${Api.group}/${Api.version}`, kind: Api.claimKind, metadata: { name: 'api', namespace: 'team' }, ...(status === undefined ? {} : { status }) });
  const cond = (type: string, status: string, message?: string): Obj => ({ type, status, reason: 'R', ...(message === undefined ? {} : { message }) });

  const cases: Record<string, { reason: string; status?: Obj; want: { status: string; message: string } }> = {
    noStatus: { reason: 'A claim Crossplane has not reconciled yet is progressing.', want: { status: 'Progressing', message: 'Waiting for SCIA to analyse the repository' } },
    pending: { reason: 'Pending is progressing.', status: { phase: 'Pending' }, want: { status: 'Progressing', message: 'Pending: in progress' } },
    analyzing: {
      reason: 'Analyzing says what Ready says.',
      status: { phase: 'Analyzing', conditions: [cond('Ready', 'False', 'cloning the repository')] },
      want: { status: 'Progressing', message: 'Analyzing: cloning the repository' },
    },
    deciding: { reason: 'Deciding is progressing.', status: { phase: 'Deciding', conditions: [cond('Synced', 'True')] }, want: { status: 'Progressing', message: 'Deciding: in progress' } },
    provisioning: {
      reason: 'Provisioning falls back to status.message.',
      status: { phase: 'Provisioning', message: 'waiting for 3 of 20', conditions: [cond('Ready', 'False')] },
      want: { status: 'Progressing', message: 'Provisioning: waiting for 3 of 20' },
    },
    running: { reason: 'Running and Ready is healthy.', status: { phase: 'Running', conditions: [cond('Synced', 'True'), cond('Ready', 'True')] }, want: { status: 'Healthy', message: 'Running' } },
    runningNotReady: {
      reason: 'Running whose resources are not all ready yet is still progressing.',
      status: { phase: 'Running', conditions: [cond('Ready', 'False', 'nodegroup not ready')] },
      want: { status: 'Progressing', message: 'Running: nodegroup not ready' },
    },
    failed: {
      reason: 'Failed is degraded, with the reason.',
      status: { phase: 'Failed', conditions: [cond('Ready', 'False', 'the app never became healthy')] },
      want: { status: 'Degraded', message: 'the app never became healthy' },
    },
    fatal: {
      reason: 'Synced False (a Fatal result, nothing applied) is degraded whatever the phase.',
      status: { phase: 'Deciding', conditions: [cond('Synced', 'False', 'hard budget of 50 USD exceeded')] },
      want: { status: 'Degraded', message: 'hard budget of 50 USD exceeded' },
    },
  };

  it.each(Object.entries(cases))('%s', (_, c) => {
    expect(runHealthScript(script, claim(c.status)), c.reason).toEqual(c.want);
  });

  it('is installed for the claim kind of the scia.io group', () => {
    const kustomization = readFileSync(join(deploy, 'argocd', 'kustomization.yaml'), 'utf8');
    expect(kustomization).toContain(`resource.customizations.health.${Api.group}_${Api.claimKind}=health.lua`);
  });
});
