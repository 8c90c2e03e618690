import { describe, expect, it } from 'vitest';
import { deploymentHref, href, parseRoute, takeToken, type Route } from '../src/model/route.js';

describe('routes', () => {
  const cases: Record<string, { hash: string; want: Route }> = {
    'no fragment': { hash: '', want: { page: 'overview' } },
    'the root': { hash: '#/', want: { page: 'overview' } },
    'the form': { hash: '#/new', want: { page: 'new' } },
    'a deployment': { hash: '#/deployments/team-a/flask-api', want: { page: 'deployment', namespace: 'team-a', name: 'flask-api' } },
    'an encoded deployment': { hash: '#/deployments/team%2Da/a%20b', want: { page: 'deployment', namespace: 'team-a', name: 'a b' } },
    'a broken escape is kept as written': { hash: '#/deployments/team-a/%E0', want: { page: 'deployment', namespace: 'team-a', name: '%E0' } },
    'an unknown page': { hash: '#/deployments/team-a', want: { page: 'overview' } },
  };
  it.each(Object.entries(cases))('%s', (_reason, { hash, want }) => {
    expect(parseRoute(hash)).toEqual(want);
    expect(parseRoute(href(want))).toEqual(want);
  });

  it('links to a deployment by its id', () => {
    expect(deploymentHref('team-a/flask-api')).toBe('#/deployments/team-a/flask-api');
  });

  it('takes a token from the fragment and leaves the page it names', () => {
    expect(takeToken('#token=abc.def')).toEqual({ token: 'abc.def', hash: '#/' });
    expect(takeToken('#token=abc&/new')).toEqual({ token: 'abc', hash: '#/new' });
    expect(takeToken('#/new')).toEqual({ token: null, hash: '#/new' });
  });
});
