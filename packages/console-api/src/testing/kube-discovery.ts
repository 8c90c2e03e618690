import type { ResourceDef } from './kube-store.js';

/**
 * discovery answers the discovery documents (`/api`, `/api/v1`, `/apis`,
 * `/apis/GROUP`, `/apis/GROUP/VERSION`, `/version`) for the served resources,
 * or undefined for any other path.
 */
export function discovery(resources: ResourceDef[], path: string): unknown {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 1 && parts[0] === 'version') return { major: '1', minor: '31', gitVersion: 'v1.31.0-scia-loopback', platform: 'linux/amd64' };
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    if (parts.length === 2 && parts[1] === 'v1') return resourceList('v1', resources.filter((r) => r.group === ''));
    return undefined;
  }
  if (parts[0] !== 'apis') return undefined;
  const groups = [...new Set(resources.filter((r) => r.group !== '').map((r) => r.group))];
  if (parts.length === 1) return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => group(g, resources)) };
  if (parts.length === 2 && groups.includes(parts[1] ?? '')) return { kind: 'APIGroup', apiVersion: 'v1', ...group(parts[1] ?? '', resources) };
  if (parts.length === 3) {
    const served = resources.filter((r) => r.group === parts[1] && r.version === parts[2]);
    return served.length === 0 ? undefined : resourceList(`${parts[1]}/${parts[2]}`, served);
  }
  return undefined;
}

function group(name: string, resources: ResourceDef[]): Record<string, unknown> {
  const versions = [...new Set(resources.filter((r) => r.group === name).map((r) => r.version))].map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions, preferredVersion: versions[0] };
}

function resourceList(groupVersion: string, served: ResourceDef[]): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: served.flatMap((r) => [
      { name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, ...(r.categories === undefined ? {} : { categories: r.categories }) },
      ...(r.status ? [{ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] }] : []),
    ]),
  };
}
