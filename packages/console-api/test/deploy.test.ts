import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { authorize, type Rule } from '@scia/console-api/testing';

// The manifests must grant the console's ServiceAccount what its informers call, and no more.
const docs = parseAllDocuments(readFileSync(resolve(import.meta.dirname, '..', 'deploy', 'console.yaml'), 'utf8')).map((d) => d.toJSON() as { kind: string; metadata: { name: string }; rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> });

function rulesOf(role: string, subject: string): Rule[] {
  const r = docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === role);
  return (r?.rules ?? []).map((x) => ({ subjects: [subject], verbs: x.verbs, resources: x.resources.flatMap((res) => x.apiGroups.map((g) => (g === '' ? res : `${res}.${g}`))) }));
}

describe('deploy/console.yaml', () => {
  const sa = { username: 'system:serviceaccount:scia-system:scia-console', groups: [] };
  const rules = rulesOf('scia-console', sa.username);
  it.each(Object.entries({
    'list Deployments everywhere': { verb: 'list', resource: 'deployments.scia.io', want: true },
    'watch Deployments everywhere': { verb: 'watch', resource: 'deployments.scia.io', want: true },
    'watch events everywhere': { verb: 'watch', resource: 'events', want: true },
    'never write a Deployment': { verb: 'patch', resource: 'deployments.scia.io', want: false },
    'never read Secrets': { verb: 'get', resource: 'secrets', want: false },
  }))('lets the console %s', (_reason, { verb, resource, want }) => {
    expect(authorize(rules, sa, { verb, resource })).toBe(want);
  });

  it('ships a Deployment and a Service for the console', () => {
    expect(docs.map((d) => d.kind)).toEqual(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRole', 'RoleBinding', 'Deployment', 'Service']);
  });
});
