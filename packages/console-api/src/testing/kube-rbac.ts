/** UserInfo is who a token authenticates as. */
export interface UserInfo {
  username: string;
  groups: string[];
}

/**
 * Rule grants `verbs` on `resources` (`plural.group`, `plural` for the core
 * group, `*` for all; `plural.group/status` for a subresource) to `subjects`
 * (user names, or `group:NAME`), in one namespace or, without one, in all of them
 * and on cluster-scoped resources: a Role with its RoleBinding, or a
 * ClusterRole with its ClusterRoleBinding, in one line.
 */
export interface Rule {
  subjects: string[];
  verbs: string[];
  resources: string[];
  namespace?: string;
}

/** Attributes describe one request as the authorizer sees it. */
export interface Attributes {
  verb: string;
  /** resource is `plural.group` (`plural` for the core group). */
  resource: string;
  subresource?: string;
  namespace?: string;
}

/** authorize tells whether `user` may do `attrs` under `rules`. */
export function authorize(rules: readonly Rule[], user: UserInfo, attrs: Attributes): boolean {
  const names = new Set([user.username, ...user.groups.map((g) => `group:${g}`)]);
  const wanted = attrs.subresource === undefined ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
  return rules.some((r) =>
    r.subjects.some((s) => names.has(s)) &&
    (r.verbs.includes('*') || r.verbs.includes(attrs.verb)) &&
    (r.resources.includes('*') || r.resources.includes(wanted)) &&
    (r.namespace === undefined || (attrs.namespace !== undefined && attrs.namespace !== '' && r.namespace === attrs.namespace)));
}

/** forbiddenMessage is the API server's wording for a denial. */
export function forbiddenMessage(user: UserInfo, attrs: Attributes, name?: string): string {
  const [plural = '', ...group] = attrs.resource.split('.');
  const what = `${attrs.resource}${name === undefined ? '' : ` "${name}"`}`;
  const where = attrs.namespace === undefined || attrs.namespace === '' ? 'at the cluster scope' : `in the namespace "${attrs.namespace}"`;
  const resource = attrs.subresource === undefined ? plural : `${plural}/${attrs.subresource}`;
  return `${what} is forbidden: User "${user.username}" cannot ${attrs.verb} resource "${resource}" in API group "${group.join('.')}" ${where}`;
}
