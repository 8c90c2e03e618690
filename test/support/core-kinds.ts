/**
 * Structural checks of the core Kubernetes kinds the deploy kit holds, for
 * what a schema alone would not catch: selectors that select the pod
 * template, named ports, volumes and ConfigMaps that exist, DNS names.
 * Each returns `path: problem` lines; an unknown kind is a problem.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const DNS = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', '*']);

/** Kit is every object of the kit, to resolve references between them. */
export type Kit = Obj[];

const named = (kit: Kit, kind: string, namespace: unknown, name: unknown): boolean =>
  kit.some((o) => o['kind'] === kind && obj(o['metadata'])['name'] === name && obj(o['metadata'])['namespace'] === namespace);

/** podProblems checks a pod template's spec: containers, named ports in probes, mounts, and referenced ConfigMaps and claims. */
export function podProblems(spec: Obj, at: string, kit: Kit, namespace: unknown, claimTemplates: string[] = []): string[] {
  const out: string[] = [];
  const volumes = arr(spec['volumes']).map(obj);
  const volumeNames = new Set([...volumes.map((v) => v['name']), ...claimTemplates]);
  for (const v of volumes) {
    const cm = obj(v['configMap'])['name'];
    if (cm !== undefined && !named(kit, 'ConfigMap', namespace, cm)) out.push(`${at}.volumes.${String(v['name'])}: no ConfigMap ${JSON.stringify(cm)} in the kit`);
    const pvc = obj(v['persistentVolumeClaim'])['claimName'];
    if (pvc !== undefined && !named(kit, 'PersistentVolumeClaim', namespace, pvc)) out.push(`${at}.volumes.${String(v['name'])}: no claim ${JSON.stringify(pvc)} in the kit`);
  }
  const containers = [...arr(spec['containers']), ...arr(spec['initContainers'])].map(obj);
  if (containers.length === 0) out.push(`${at}.containers: none`);
  for (const c of containers) {
    const where = `${at}.containers.${String(c['name'])}`;
    if (typeof c['name'] !== 'string') out.push(`${at}.containers: a container has no name`);
    const ports = new Set(arr(c['ports']).map((p) => obj(p)['name']));
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const p = obj(c[probe]);
      const port = obj(p['httpGet'])['port'] ?? obj(p['tcpSocket'])['port'] ?? obj(p['grpc'])['port'];
      if (typeof port === 'string' && !ports.has(port)) out.push(`${where}.${probe}: no port named ${port}`);
    }
    for (const m of arr(c['volumeMounts']).map(obj)) {
      if (!volumeNames.has(m['name'])) out.push(`${where}.volumeMounts.${String(m['name'])}: no such volume`);
    }
    for (const e of arr(c['env']).map(obj)) {
      const ref = obj(obj(e['valueFrom'])['secretKeyRef']);
      if (e['valueFrom'] !== undefined && (typeof ref['name'] !== 'string' || typeof ref['key'] !== 'string')) out.push(`${where}.env.${String(e['name'])}: needs a secret name and key`);
    }
  }
  return out;
}

function workloadProblems(o: Obj, kit: Kit): string[] {
  const spec = obj(o['spec']);
  const template = obj(spec['template']);
  const labels = obj(obj(template['metadata'])['labels']);
  const out: string[] = [];
  if (o['kind'] !== 'Job') {
    const match = obj(obj(spec['selector'])['matchLabels']);
    if (Object.keys(match).length === 0) out.push('spec.selector.matchLabels: empty');
    for (const [k, v] of Object.entries(match)) if (labels[k] !== v) out.push(`spec.selector: ${k}=${String(v)} does not select the pod template`);
  } else if (!['Never', 'OnFailure'].includes(String(obj(template['spec'])['restartPolicy']))) {
    out.push('spec.template.spec.restartPolicy: a Job needs Never or OnFailure');
  }
  const claims = arr(spec['volumeClaimTemplates']).map((t) => String(obj(obj(t)['metadata'])['name']));
  if (o['kind'] === 'StatefulSet' && !named(kit, 'Service', obj(o['metadata'])['namespace'], spec['serviceName'])) out.push('spec.serviceName: no such Service');
  return [...out, ...podProblems(obj(template['spec']), 'spec.template.spec', kit, obj(o['metadata'])['namespace'], claims)];
}

function serviceProblems(o: Obj, kit: Kit): string[] {
  const spec = obj(o['spec']);
  const selector = obj(spec['selector']);
  const ns = obj(o['metadata'])['namespace'];
  const pods = kit
    .filter((w) => ['Deployment', 'StatefulSet'].includes(String(w['kind'])) && obj(w['metadata'])['namespace'] === ns)
    .map((w) => obj(obj(w['spec'])['template']));
  const selected = pods.filter((t) => Object.entries(selector).every(([k, v]) => obj(obj(t['metadata'])['labels'])[k] === v));
  if (selected.length === 0) return ['spec.selector: selects no workload of the kit'];
  const portNames = new Set(selected.flatMap((t) => arr(obj(t['spec'])['containers']).flatMap((c) => arr(obj(c)['ports']).map((p) => obj(p)['name']))));
  return arr(spec['ports'])
    .map(obj)
    .filter((p) => typeof p['targetPort'] === 'string' && !portNames.has(p['targetPort']))
    .map((p) => `spec.ports.${String(p['name'])}: no container port named ${String(p['targetPort'])}`);
}

function roleProblems(o: Obj): string[] {
  const rules = arr(o['rules']).map(obj);
  if (rules.length === 0) return ['rules: none'];
  return rules.flatMap((r, i) => {
    const verbs = arr(r['verbs']);
    const bad = verbs.filter((v) => !VERBS.has(String(v)));
    return [
      ...(arr(r['apiGroups']).length === 0 || arr(r['resources']).length === 0 ? [`rules[${i}]: needs apiGroups and resources`] : []),
      ...(verbs.length === 0 || bad.length > 0 ? [`rules[${i}].verbs: unknown ${bad.join(', ')}`] : []),
    ];
  });
}

/** QUOTA_KEY is a ResourceQuota key: a compute resource, or `count/<resource>[.<group>]`. */
const QUOTA_KEY = /^(count\/[a-z0-9.-]+|(requests|limits)\.(cpu|memory)|pods|services|secrets|configmaps|persistentvolumeclaims)$/;

function quotaProblems(o: Obj): string[] {
  const hard = obj(obj(o['spec'])['hard']);
  if (Object.keys(hard).length === 0) return ['spec.hard: none'];
  return Object.entries(hard).flatMap(([k, v]) => [
    ...(QUOTA_KEY.test(k) ? [] : [`spec.hard.${k}: not a quota key`]),
    ...(typeof v === 'string' && /^\d+[a-zA-Z]*$/.test(v) ? [] : [`spec.hard.${k}: must be a quantity string`]),
  ]);
}

function networkPolicyProblems(o: Obj): string[] {
  const spec = obj(o['spec']);
  const types = arr(spec['policyTypes']);
  const ports = arr(spec['egress']).flatMap((e) => arr(obj(e)['ports'])).map(obj);
  return [
    ...(isObj(spec['podSelector']) ? [] : ['spec.podSelector: required']),
    ...(types.every((t) => t === 'Ingress' || t === 'Egress') ? [] : ['spec.policyTypes: Ingress or Egress']),
    ...ports.flatMap((p, i) => (['TCP', 'UDP', 'SCTP'].includes(String(p['protocol'])) && typeof p['port'] === 'number' ? [] : [`spec.egress ports[${i}]: protocol and numeric port`])),
  ];
}

/** roleBindingProblems checks a RoleBinding's namespace, its ClusterRole (which must be in the kit) and its subjects. */
function roleBindingProblems(o: Obj, kit: Kit): string[] {
  const ref = obj(o['roleRef']);
  const subjects = arr(o['subjects']).map(obj);
  return [
    ...(typeof obj(o['metadata'])['namespace'] === 'string' ? [] : ['metadata.namespace: required']),
    ...(ref['apiGroup'] === 'rbac.authorization.k8s.io' && ref['kind'] === 'ClusterRole' && kit.some((r) => r['kind'] === 'ClusterRole' && obj(r['metadata'])['name'] === ref['name'])
      ? []
      : [`roleRef: no ClusterRole ${String(ref['name'])} in the kit`]),
    ...(subjects.length > 0 && subjects.every((x) => ['Group', 'User', 'ServiceAccount'].includes(String(x['kind'])) && typeof x['name'] === 'string') ? [] : ['subjects: Group, User or ServiceAccount, named']),
  ];
}

const CHECKS: Record<string, (o: Obj, kit: Kit) => string[]> = {
  'v1/ResourceQuota': quotaProblems,
  'networking.k8s.io/v1/NetworkPolicy': networkPolicyProblems,
  'rbac.authorization.k8s.io/v1/RoleBinding': roleBindingProblems,
  'v1/Namespace': () => [],
  'v1/ConfigMap': (o) => Object.entries(obj(o['data'])).filter(([, v]) => typeof v !== 'string').map(([k]) => `data.${k}: must be a string`),
  'v1/Service': serviceProblems,
  'v1/PersistentVolumeClaim': (o) =>
    arr(obj(o['spec'])['accessModes']).length > 0 && typeof obj(obj(obj(o['spec'])['resources'])['requests'])['storage'] === 'string'
      ? []
      : ['spec: needs accessModes and resources.requests.storage'],
  'apps/v1/StatefulSet': workloadProblems,
  'apps/v1/Deployment': workloadProblems,
  'batch/v1/Job': workloadProblems,
  'rbac.authorization.k8s.io/v1/ClusterRole': roleProblems,
};

/** coreProblems checks one core object, or says its kind has no check here. */
export function coreProblems(o: Obj, kit: Kit): string[] | undefined {
  const check = CHECKS[`${String(o['apiVersion'])}/${String(o['kind'])}`];
  if (check === undefined) return undefined;
  const name = obj(o['metadata'])['name'];
  const dns = typeof name === 'string' && DNS.test(name) && name.length <= 253 ? [] : [`metadata.name: ${String(name)} is not a DNS name`];
  return [...dns, ...check(o, kit)];
}
