import { isObject } from '@scia/api';
import type { JsonObject, TeamCloudProvider } from '@scia/runtime';
import type { Composed, Target } from './model.js';

/** AWS_GROUP matches the API groups of provider-aws's managed resources, cluster-scoped and namespaced. */
const AWS_GROUP = /^[a-z0-9-]+\.aws(\.m)?\.upbound\.io\//;

/** isAwsManaged tells whether a composed resource is a provider-aws managed resource (not a provider-kubernetes Object, say). */
export function isAwsManaged(body: JsonObject): boolean {
  return typeof body['apiVersion'] === 'string' && AWS_GROUP.test(body['apiVersion']);
}

/**
 * teamProviderConfigRef is the ProviderConfig a team's managed resources use:
 * on a namespaced XR the CloudProvider's namespaced ProviderConfig (same name,
 * same namespace, composed by cloudprovider-aws-v2); on a cluster XR the
 * cluster-scoped one its v1 composition reports in status.providerConfigName,
 * or undefined while it has reported none.
 */
export function teamProviderConfigRef(target: Pick<Target, 'scope'>, cp: TeamCloudProvider): JsonObject | undefined {
  if (target.scope === 'namespaced') return { kind: 'ProviderConfig', name: cp.name };
  return cp.providerConfigName === undefined ? undefined : { name: cp.providerConfigName };
}

/**
 * withTeam is the one pass over every composed provider-aws managed resource,
 * whichever renderer built it: the team's ProviderConfig reference, and the
 * team's tags under SCIA's own (a team tag never replaces `managed-by` or a
 * `scia.io/` tag), on the `tags` map or the auto scaling group's `tag` list.
 * Other resources (provider-kubernetes Objects and their ProviderConfig) are
 * left as they are.
 */
export function withTeam(resources: readonly Composed[], ref: JsonObject, tags: Readonly<Record<string, string>>): Composed[] {
  return resources.map((r) => {
    if (!isAwsManaged(r.body)) return r;
    const spec = isObject(r.body['spec']) ? r.body['spec'] : {};
    const forProvider = isObject(spec['forProvider']) ? { ...spec['forProvider'] } : {};
    const map = forProvider['tags'];
    if (isObject(map)) forProvider['tags'] = { ...tags, ...map };
    const list: unknown = forProvider['tag'];
    if (Array.isArray(list)) {
      const entries = list as unknown[];
      const own = new Set(entries.map((t) => (isObject(t) ? t['key'] : undefined)));
      const added = Object.entries(tags).filter(([key]) => !own.has(key)).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
      forProvider['tag'] = [...entries, ...added];
    }
    return { key: r.key, body: { ...r.body, spec: { ...spec, forProvider, providerConfigRef: ref } } };
  });
}
