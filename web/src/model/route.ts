/** Route is a page of the dashboard, kept in the URL's fragment so links and the back button work. */
export type Route =
  | { page: 'overview' }
  | { page: 'deployment'; namespace: string; name: string }
  | { page: 'new' };

/** parseRoute reads a fragment (`#/deployments/team-a/api`); anything unknown is the overview. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '').map(decodePart);
  if (parts[0] === 'new' && parts.length === 1) return { page: 'new' };
  if (parts[0] === 'deployments' && parts.length === 3 && parts[1] !== undefined && parts[2] !== undefined) {
    return { page: 'deployment', namespace: parts[1], name: parts[2] };
  }
  return { page: 'overview' };
}

function decodePart(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/** href is the fragment link to a route. */
export function href(r: Route): string {
  switch (r.page) {
    case 'overview':
      return '#/';
    case 'new':
      return '#/new';
    case 'deployment':
      return `#/deployments/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}`;
  }
}

/** deploymentHref links to a deployment by its API id, `namespace/name`. */
export function deploymentHref(id: string): string {
  const [namespace = '', name = ''] = id.split('/');
  return href({ page: 'deployment', namespace, name });
}

/**
 * takeToken reads a token handed over in the fragment (`#token=...`, as `scia
 * console` prints it): the fragment never reaches a server or its logs. It
 * returns the token and the fragment to show instead.
 */
export function takeToken(hash: string): { token: string | null; hash: string } {
  const m = /^#token=([^&]+)(?:&(.*))?$/.exec(hash);
  if (m === null) return { token: null, hash };
  return { token: decodePart(m[1]!), hash: m[2] === undefined ? '#/' : `#${m[2]}` };
}
