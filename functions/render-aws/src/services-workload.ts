import type { ServicePlan } from '@scia/api';
import type { JsonObject } from '@scia/runtime';
import { CONNECTION_SECRET_NAMESPACE } from './builder.js';
import { awsApiVersion } from './kinds.js';
import type { RenderContext } from './model.js';
import { resourceName } from './naming.js';
import { DB_NAME, DB_USER, passwordSecretName } from './services-db.js';
import { envPrefix, urlScheme, wired } from './services-env.js';
import { SERVICE_PORTS } from './services-network.js';

/** servicesSecretName is the workload's Secret (in the app's namespace) holding its services' connections. */
export const servicesSecretName = (app: string): string => `${app}-services`;

interface Reference {
  patchesFrom: JsonObject;
  toFieldPath: string;
}

/**
 * servicesSecret is the workload's Secret as a provider-kubernetes manifest
 * and the references that fill it on the control plane: each address from
 * its managed resource's status, each password (or AUTH token) from the
 * Secret the provider generated it into, and a team's own URL from its
 * Secret. What is known when rendering (ports, names) is written as is; no
 * credential ever passes through the function. Undefined without services.
 */
export function servicesSecret(ctx: RenderContext, app: string): { manifest: JsonObject; references: Reference[] } | undefined {
  const plans = wired(ctx.plan.services);
  if (plans.length === 0) return undefined;
  const stringData: Record<string, string> = {};
  const references: Reference[] = [];
  const ns = (namespace: string): JsonObject => (ctx.target.scope === 'cluster' ? { namespace } : {});
  for (const plan of plans) {
    const p = envPrefix(plan, plans);
    if (plan.offering === 'external') {
      const ref = plan.external?.secretRef;
      if (ref === undefined) continue;
      references.push({ patchesFrom: { apiVersion: 'v1', kind: 'Secret', name: ref.name, ...ns(ctx.target.namespace), fieldPath: `data.${ref.key}` }, toFieldPath: `data.${p}_URL` });
      continue;
    }
    const kind = plan.offering === 'elasticache' ? 'ReplicationGroup' : plan.offering === 'aurora-serverless-v2' ? 'DBCluster' : 'DBInstance';
    const field = kind === 'ReplicationGroup' ? 'primaryEndpointAddress' : kind === 'DBCluster' ? 'endpoint' : 'address';
    references.push({
      patchesFrom: { apiVersion: awsApiVersion(kind, ctx.target.scope), kind: kindName(kind), name: resourceName(ctx.target, plan.kind), fieldPath: `status.atProvider.${field}` },
      toFieldPath: `stringData.${p}_HOST`,
    });
    references.push({
      patchesFrom: { apiVersion: 'v1', kind: 'Secret', name: passwordSecretName(ctx, plan.kind), ...ns(CONNECTION_SECRET_NAMESPACE), fieldPath: 'data.password' },
      toFieldPath: `data.${p}_PASSWORD`,
    });
    stringData[`${p}_PORT`] = String(SERVICE_PORTS[plan.kind]);
    if (plan.kind !== 'redis') Object.assign(stringData, { [`${p}_NAME`]: DB_NAME, [`${p}_USER`]: DB_USER });
  }
  const manifest: JsonObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: servicesSecretName(app), namespace: app, labels: { 'app.kubernetes.io/name': app, 'app.kubernetes.io/managed-by': 'scia' } },
    type: 'Opaque',
    stringData,
  };
  return { manifest, references };
}

function kindName(kind: 'ReplicationGroup' | 'DBCluster' | 'DBInstance'): string {
  return kind === 'DBCluster' ? 'Cluster' : kind === 'DBInstance' ? 'Instance' : kind;
}

/**
 * servicesEnv is the app container's environment for its services: each
 * variable from the workload's Secret, and each URL composed from them by
 * Kubernetes' `$(VAR)` expansion (the provider's generated passwords are
 * alphanumeric, so they need no escaping in a URL).
 */
export function servicesEnv(ctx: RenderContext, app: string): JsonObject[] {
  const plans = wired(ctx.plan.services);
  const fromSecret = (name: string): JsonObject => ({ name, valueFrom: { secretKeyRef: { name: servicesSecretName(app), key: name } } });
  return plans.flatMap((plan: ServicePlan) => {
    const p = envPrefix(plan, plans);
    if (plan.offering === 'external') return plan.external?.secretRef === undefined ? [] : [fromSecret(`${p}_URL`)];
    if (plan.kind === 'redis') {
      return [fromSecret(`${p}_HOST`), fromSecret(`${p}_PORT`), fromSecret(`${p}_PASSWORD`), { name: `${p}_URL`, value: `rediss://:$(${p}_PASSWORD)@$(${p}_HOST):$(${p}_PORT)/0` }];
    }
    const vars = ['HOST', 'PORT', 'NAME', 'USER', 'PASSWORD'].map((v) => fromSecret(`${p}_${v}`));
    return [...vars, { name: `${p}_URL`, value: `${urlScheme(plan)}://$(${p}_USER):$(${p}_PASSWORD)@$(${p}_HOST):$(${p}_PORT)/$(${p}_NAME)` }];
  });
}
