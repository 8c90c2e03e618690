import { INSTANCE_TYPES, USABLE_SHARE, isInstanceType } from '@scia/decider';
import type { JsonObject } from '@scia/runtime';
import { kubernetesApiVersion } from './kinds.js';
import type { Composed, RenderContext, Rendered } from './model.js';
import { resourceName } from './naming.js';
import { GIT_IMAGE, runtimeFor } from './runtimes.js';
import { labelsFor } from './tags.js';
import { quote } from './userdata.js';
import { usableCertificate } from './https.js';
import { servicesEnv, servicesSecret } from './services-workload.js';

/**
 * workload renders the app on the EKS cluster as provider-kubernetes Objects,
 * through a ProviderConfig that reads the cluster's kubeconfig secret: a
 * Namespace, a Deployment (the artifact image; or, from source, an init
 * container that fetches the commit and a language image that builds and
 * starts it), a LoadBalancer Service, a CPU HorizontalPodAutoscaler and a
 * PodDisruptionBudget.
 */
export function workload(ctx: RenderContext): Rendered {
  const app = appName(ctx);
  const warnings: string[] = [];
  const waiting: string[] = [];
  const container = appContainer(ctx, app);
  if (container.warning !== undefined) warnings.push(container.warning);
  const resources: Composed[] = [
    providerConfig(ctx),
    object(ctx, 'workload-namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: app } }),
    ...servicesObject(ctx, app),
    object(ctx, 'workload-deployment', deployment(ctx, app, container.spec), 'AllTrue'),
  ];
  const svc = service(ctx, app);
  if (typeof svc === 'string') waiting.push(`workload-service (needs ${svc})`);
  else resources.push(object(ctx, 'workload-service', svc));
  resources.push(object(ctx, 'workload-hpa', hpa(ctx, app)), object(ctx, 'workload-pdb', pdb(app)));
  return { resources, warnings, waiting };
}

/** appName is the app's Namespace, Deployment and Service name in its cluster: the deployment's name as a DNS label. */
export function appName(ctx: RenderContext): string {
  const name = ctx.target.deployment.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return (name === '' ? 'app' : name).slice(0, 63).replace(/-+$/, '');
}

/** kubeconfigSecret is the connection secret the EKS cluster writes its kubeconfig to. */
export function kubeconfigSecret(ctx: RenderContext): string {
  return resourceName(ctx.target, 'kubeconfig');
}

function providerConfig(ctx: RenderContext): Composed {
  const { target } = ctx;
  const metadata: JsonObject = { name: resourceName(target, 'k8s'), labels: labelsFor(target, 'k8s') };
  const namespace = target.scope === 'cluster' ? 'crossplane-system' : target.namespace;
  if (target.scope === 'namespaced') metadata['namespace'] = target.namespace;
  return {
    key: 'k8s',
    body: {
      apiVersion: kubernetesApiVersion('ProviderConfig', target.scope),
      kind: 'ProviderConfig',
      metadata,
      spec: { credentials: { source: 'Secret', secretRef: { namespace, name: kubeconfigSecret(ctx), key: 'kubeconfig' } } },
    },
  };
}

function object(ctx: RenderContext, key: string, manifest: JsonObject, readiness?: 'AllTrue', references?: JsonObject[]): Composed {
  const { target } = ctx;
  const metadata: JsonObject = { name: resourceName(target, key), labels: labelsFor(target, key) };
  if (target.scope === 'namespaced') metadata['namespace'] = target.namespace;
  const pc = resourceName(target, 'k8s');
  const spec: JsonObject = {
    forProvider: { manifest },
    providerConfigRef: target.scope === 'cluster' ? { name: pc } : { kind: 'ProviderConfig', name: pc },
  };
  if (readiness !== undefined) spec['readiness'] = { policy: readiness };
  if (references !== undefined) spec['references'] = references;
  return { key, body: { apiVersion: kubernetesApiVersion('Object', target.scope), kind: 'Object', metadata, spec } };
}

const podLabels = (app: string): Record<string, string> => ({ 'app.kubernetes.io/name': app });
const meta = (app: string): JsonObject => ({
  name: app,
  namespace: app,
  labels: { ...podLabels(app), 'app.kubernetes.io/managed-by': 'scia' },
});

function deployment(ctx: RenderContext, app: string, pod: JsonObject): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(app),
    spec: {
      replicas: ctx.plan.sizing.replicas,
      selector: { matchLabels: podLabels(app) },
      template: { metadata: { labels: podLabels(app) }, spec: pod },
    },
  };
}

function appContainer(ctx: RenderContext, app: string): { spec: JsonObject; warning?: string } {
  const { plan } = ctx;
  const port = plan.port;
  const base: JsonObject = {
    name: app,
    ports: [{ name: 'http', containerPort: port }],
    env: [{ name: 'PORT', value: String(port) }, ...servicesEnv(ctx, app)],
    resources: podResources(ctx.plan.sizing.nodeInstanceType),
    readinessProbe: { tcpSocket: { port }, periodSeconds: 10 },
  };
  if (plan.artifact?.image !== undefined) return { spec: { containers: [{ ...base, image: plan.artifact.image }] } };
  const runtime = runtimeFor(plan.language);
  const dir = plan.repository.path === undefined ? '/src' : `/src/${plan.repository.path}`;
  const steps = [plan.installCommand, plan.buildCommand, plan.startCommand === undefined ? undefined : `exec ${plan.startCommand}`].filter(
    (s): s is string => s !== undefined,
  );
  const spec: JsonObject = {
    initContainers: [{ name: 'fetch', image: GIT_IMAGE, command: ['sh', '-c', fetchScript(ctx)], volumeMounts: [{ name: 'src', mountPath: '/src' }] }],
    containers: [
      {
        ...base,
        image: runtime?.image ?? 'debian:bookworm-slim',
        workingDir: dir,
        command: ['sh', '-c', steps.length === 0 ? 'echo "scia: no start command was detected" >&2; exit 1' : steps.join(' && ')],
        volumeMounts: [{ name: 'src', mountPath: '/src' }],
      },
    ],
    volumes: [{ name: 'src', emptyDir: {} }],
  };
  const warning =
    plan.startCommand === undefined ? 'no start command was detected: pods will fetch the code but cannot start the app' : undefined;
  return warning === undefined ? { spec } : { spec, warning };
}

/**
 * podResources sizes the app's container from the decision's node type: its
 * memory limit is the share of a node the decider counted on for the app
 * (USABLE_SHARE.kubernetes of the type's memory, the rest left to system pods
 * and a neighbour), its request half that, so two replicas may share a node
 * while the cluster grows; a GPU type adds one GPU. An unknown type keeps a
 * 512Mi limit and a 256Mi request.
 */
export function podResources(nodeInstanceType: string): JsonObject {
  if (!isInstanceType(nodeInstanceType)) return { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } };
  const node = INSTANCE_TYPES[nodeInstanceType];
  const limitMi = Math.floor(node.memoryGib * 1024 * USABLE_SHARE.kubernetes);
  const gpu = node.gpus > 0 ? { 'nvidia.com/gpu': 1 } : {};
  return { requests: { cpu: '250m', memory: `${Math.floor(limitMi / 2)}Mi` }, limits: { memory: `${limitMi}Mi`, ...gpu } };
}

function fetchScript(ctx: RenderContext): string {
  const { repository } = ctx.plan;
  const rev = repository.commit ?? repository.ref;
  return [
    'git init -q /src',
    'cd /src',
    `git remote add origin ${quote(repository.url)}`,
    `git fetch -q --depth 1 origin ${quote(rev)}`,
    'git checkout -q FETCH_HEAD',
  ].join(' && ');
}

/** service is the app's LoadBalancer Service, or what it still needs under require-https. */
function service(ctx: RenderContext, app: string): JsonObject | string {
  const { plan } = ctx;
  const annotations: Record<string, string> = {};
  if (plan.https) {
    const arn = usableCertificate(ctx);
    if (!arn.ok) return arn.error;
    annotations['service.beta.kubernetes.io/aws-load-balancer-ssl-cert'] = arn.value;
    annotations['service.beta.kubernetes.io/aws-load-balancer-ssl-ports'] = '443';
    annotations['service.beta.kubernetes.io/aws-load-balancer-backend-protocol'] = 'http';
  }
  const port = plan.https ? { name: 'https', port: 443, targetPort: plan.port } : { name: 'http', port: 80, targetPort: plan.port };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...meta(app), ...(plan.https ? { annotations } : {}) },
    spec: { type: 'LoadBalancer', selector: podLabels(app), ports: [{ ...port, protocol: 'TCP' }] },
  };
}

function hpa(ctx: RenderContext, app: string): JsonObject {
  const replicas = ctx.plan.sizing.replicas;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(app),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app },
      minReplicas: replicas,
      maxReplicas: Math.min(100, replicas * 3),
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
}

function pdb(app: string): JsonObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(app),
    spec: { maxUnavailable: 1, selector: { matchLabels: podLabels(app) } },
  };
}

/** servicesObject is the workload's Secret of service connections, filled on the control plane by references (see servicesSecret). */
function servicesObject(ctx: RenderContext, app: string): Composed[] {
  const secret = servicesSecret(ctx, app);
  if (secret === undefined) return [];
  const references = secret.references.map((r) => ({ patchesFrom: r.patchesFrom, toFieldPath: r.toFieldPath }));
  return [object(ctx, 'workload-services', secret.manifest, undefined, references)];
}
