import { stringify } from 'yaml';
import { tenantManifests, type TenantOptions } from '@scia/api';
import { parseArgs, type FlagSpec } from '../args.js';
import type { Command, Io } from '../command.js';

const FLAGS: FlagSpec = {
  region: { kind: 'string' },
  secret: { kind: 'string' },
  'role-arn': { kind: 'string' },
  'cloud-provider': { kind: 'string' },
  budget: { kind: 'string' },
  enforcement: { kind: 'string' },
  'max-deployments': { kind: 'string' },
  'max-ec2': { kind: 'string' },
  'max-eks': { kind: 'string' },
  'max-lambda': { kind: 'string' },
  deployers: { kind: 'string' },
  viewers: { kind: 'string' },
  tag: { kind: 'pairs' },
  help: { kind: 'bool', short: 'h' },
};

const USAGE = `Usage: scia tenant create NAMESPACE --region REGION (--secret NAME | --role-arn ARN) [flags]

Prints the manifests that onboard a team, as one YAML stream for kubectl apply -f -:
its Namespace (Pod Security restricted), a ResourceQuota (count/deployments.scia.io),
a NetworkPolicy (no ingress, DNS egress only), RoleBindings of its groups to
scia-deployer and scia-viewer, and its CloudProvider.

  --region REGION          the team's default AWS region
  --secret NAME            AWS credentials file in Secret NAME (key credentials) of the namespace
  --role-arn ARN           or: the team's IAM role, assumed by the provider through IRSA
  --cloud-provider NAME    the CloudProvider's name (default aws-team)
  --budget USD             the team's monthly budget
  --enforcement MODE       soft (warn, the default) or hard (refuse) over the budget
  --max-deployments N      Deployments the namespace may hold (default 20)
  --max-ec2 N, --max-eks N, --max-lambda N   quotas over the team's Deployments
  --deployers GROUP        bound to scia-deployer (default NAMESPACE-deployers)
  --viewers GROUP          bound to scia-viewer (default NAMESPACE-viewers)
  --tag KEY=VALUE          a tag on every managed resource of the team (repeatable)`;

function count(v: string | undefined, flag: string): number | undefined | Error {
  if (v === undefined) return undefined;
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : new Error(`flag --${flag} takes a number, not ${JSON.stringify(v)}`);
}

function run(argv: string[], io: Io): Promise<number> {
  return Promise.resolve(create(argv, io));
}

function create(argv: string[], io: Io): number {
  const args = parseArgs(argv, FLAGS);
  if (!args.ok) return fail(io, args.error);
  const a = args.value;
  if (a.bools.has('help')) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [verb, namespace, ...rest] = a.positionals;
  if (verb !== 'create' || namespace === undefined || rest.length > 0) return fail(io, `expected: create NAMESPACE\n${USAGE}`);
  const numbers: Record<string, number | undefined> = {};
  for (const [flag, key] of [['budget', 'monthlyBudget'], ['max-deployments', 'maxDeployments'], ['max-ec2', 'maxEc2Instances'], ['max-eks', 'maxEksClusters'], ['max-lambda', 'maxLambdaFunctions']] as const) {
    const n = count(a.strings.get(flag), flag);
    if (n instanceof Error) return fail(io, n.message);
    numbers[key] = n;
  }
  const options: Record<string, unknown> = {
    namespace,
    region: a.strings.get('region'),
    secret: a.strings.get('secret'),
    roleArn: a.strings.get('role-arn'),
    cloudProvider: a.strings.get('cloud-provider'),
    enforcementMode: a.strings.get('enforcement'),
    deployers: a.strings.get('deployers'),
    viewers: a.strings.get('viewers'),
    tags: a.pairs.get('tag'),
    ...numbers,
  };
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as TenantOptions;
  const built = tenantManifests(defined);
  if (!built.ok) return fail(io, built.error);
  io.stdout.write(built.value.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join(''));
  return 0;
}

function fail(io: Io, message: string): number {
  io.stderr.write(`scia tenant: ${message}\n`);
  return 1;
}

/** command is `scia tenant create`: the manifests that onboard a team, printed. */
export const command: Command = { name: 'tenant', summary: 'print the manifests that onboard a team: namespace, quota, network policy, role bindings, CloudProvider', usage: USAGE, run };
