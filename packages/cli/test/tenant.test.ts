import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { COMMANDS, XrSchemas } from '@scia/cli';

async function tenant(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]): Writable => new Writable({ write(chunk: Buffer, _e, done) { into.push(chunk.toString()); done(); } });
  const cmd = await (COMMANDS['tenant']?.load() ?? Promise.reject(new Error('no tenant command')));
  const status = await cmd.run(argv, { stdout: sink(out), stderr: sink(err), env: {}, cwd: '/' });
  return { status, stdout: out.join(''), stderr: err.join('') };
}

describe('scia tenant create', () => {
  const refused = {
    neither: {
      reason: 'credentials are a Secret or a role, one of them',
      argv: ['create', 'team-a', '--region', 'eu-west-3'],
      want: 'scia tenant: tenant.secret: set exactly one of secret and roleArn\n',
    },
    names: {
      reason: 'each bad value is named by its field',
      argv: ['create', 'Team_A', '--region', 'mars-1', '--role-arn', 'arn:aws:iam::1:role/x'],
      want: 'scia tenant: tenant.namespace: must be a DNS label such as team-backend; tenant.region: must be an AWS region such as eu-west-3; tenant.roleArn: must be an IAM role ARN\n',
    },
    number: { reason: 'numbers are numbers', argv: ['create', 'team-a', '--region', 'eu-west-3', '--secret', 's', '--budget', 'lots'], want: 'scia tenant: flag --budget takes a number, not "lots"\n' },
    reserved: {
      reason: 'the CloudProvider\'s own schema has the last word on tags',
      argv: ['create', 'team-a', '--region', 'eu-west-3', '--secret', 's', '--tag', 'aws:owner=x'],
      want: 'scia tenant: tenant.cloudProvider.spec.tags: tag keys are AWS tag keys, none starting with aws:\n',
    },
  };
  it.each(Object.entries(refused))('refuses: %s', async (_, { reason, argv, want }) => {
    expect(await tenant(argv), reason).toEqual({ status: 1, stdout: '', stderr: want });
  });

  it('prints a namespace, a quota, a network policy, two role bindings and a CloudProvider that validates', async () => {
    const got = await tenant(['create', 'team-a', '--region', 'eu-west-3', '--secret', 'aws-team-a', '--budget', '250', '--enforcement', 'hard', '--max-eks', '0', '--tag', 'cost-center=cc-7']);
    const docs = parseAllDocuments(got.stdout).map((d) => d.toJS() as Record<string, unknown>);
    const schemas = XrSchemas.build();
    if (!schemas.ok) throw new Error(schemas.error);
    const cp = docs.find((d) => d['kind'] === 'CloudProvider') ?? {};
    expect({ status: got.status, kinds: docs.map((d) => d['kind']), problems: schemas.value.validate(cp), spec: cp['spec'] }).toEqual({
      status: 0,
      kinds: ['Namespace', 'ResourceQuota', 'NetworkPolicy', 'RoleBinding', 'RoleBinding', 'CloudProvider'],
      problems: [],
      spec: {
        type: 'aws',
        credentials: { source: 'Secret', secretRef: { name: 'aws-team-a', key: 'credentials' } },
        defaultRegion: 'eu-west-3',
        quotas: { maxEksClusters: 0 },
        costControl: { monthlyBudget: 250, alertThreshold: 0.8, enforcementMode: 'hard' },
        tags: { team: 'team-a', 'cost-center': 'cc-7' },
      },
    });
  });
});
