import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLOUD_PROVIDER_COLUMNS, CloudProviderSpec, DeploymentSpec, PRINTER_COLUMNS, cloudProviderSchema, deploymentSchema, formatIssues } from '@scia/api';
import type { DeploymentSpecInput, StructuralSchema } from '@scia/api';
import { createValidator, crdDir } from '@scia/schemas';
import { XrSchemas, renderXrdFiles, xrdCommand } from '@scia/cli';

const root = join(import.meta.dirname, '..');
const files = renderXrdFiles();
if (!files.ok) throw new Error(files.error);

describe('xrds/', () => {
  it.each(files.value.map((f) => [f.name, f.text] as const))('%s is what scia xrd generates from packages/api', (name, text) => {
    const onDisk = readFileSync(join(root, 'xrds', name), 'utf8');
    // On failure: run `npx scia xrd` (or `npm run build && node bin/scia.js xrd`) and commit xrds/.
    expect(onDisk).toBe(text);
  });

  const where = crdDir();
  it.skipIf(!where.exists)('validates against the pinned Crossplane XRD CRD', () => {
    const validator = createValidator(where.dir);
    if (!validator.ok) throw new Error(validator.error);
    const results = files.value.map((f) => ({ name: f.name, result: validator.value.validate(parse(f.text)) }));
    expect(results).toEqual(files.value.map((f) => ({ name: f.name, result: { ok: true, skipped: [] } })));
  });
});

async function runXrd(argv: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]): Writable =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        into.push(chunk.toString());
        done();
      },
    });
  const status = await xrdCommand.run(argv, { stdout: sink(out), stderr: sink(err), env: {}, cwd });
  return { status, stdout: out.join(''), stderr: err.join('') };
}

describe('scia xrd', () => {
  it('checks, writes, then finds the files up to date', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'scia-xrd-'));
    const steps = [await runXrd(['--check'], cwd), await runXrd([], cwd), await runXrd(['--check'], cwd), await runXrd([], cwd)];
    expect(steps).toEqual([
      { status: 1, stdout: '', stderr: 'scia xrd: out of date (run npx scia xrd): xrds/xdeployments.v1.yaml, xrds/deployments.v2.yaml, xrds/xcloudproviders.v1.yaml, xrds/cloudproviders.v2.yaml\n' },
      { status: 0, stdout: 'wrote xrds/xdeployments.v1.yaml\nwrote xrds/deployments.v2.yaml\nwrote xrds/xcloudproviders.v1.yaml\nwrote xrds/cloudproviders.v2.yaml\n', stderr: '' },
      { status: 0, stdout: '', stderr: '' },
      { status: 0, stdout: '', stderr: '' },
    ]);
    expect(readFileSync(join(cwd, 'xrds', 'xdeployments.v1.yaml'), 'utf8')).toBe(files.value[0]?.text);
  });
});

/** schemaAt follows a printer column's JSON path (`.status.endpoints[0].url`) through the schema. */
function schemaAt(schema: StructuralSchema, jsonPath: string): StructuralSchema | undefined {
  let node: StructuralSchema | undefined = schema;
  for (const segment of jsonPath.slice(1).split('.')) {
    const [, name, index] = /^([^[]+)(\[\d+\])?$/.exec(segment) ?? [];
    node = name === undefined ? undefined : node?.properties?.[name];
    if (index !== undefined) node = node?.items;
  }
  return node;
}

describe('printer columns', () => {
  const schema = deploymentSchema();
  if (!schema.ok) throw new Error(schema.error);
  it.each(PRINTER_COLUMNS.map((c) => [c.name, c] as const))('%s names a field of its type', (_, column) => {
    const node = schemaAt(schema.value, column.jsonPath);
    expect({ path: column.jsonPath, type: node?.type }).toEqual({ path: column.jsonPath, type: column.type });
  });
});

const base: DeploymentSpecInput = { repository: { url: 'https://github.com/acme/api' }, region: 'eu-west-3' };

interface AgreementCase {
  reason: string;
  spec: Record<string, unknown>;
  want: { zod: string[]; crd: string[] };
}

/**
 * Each case is checked by the zod schema the functions use and by the CRD
 * Crossplane generates from our XRD (schema and CEL), as the API server would:
 * both must accept, or both refuse. Cross-field rules refuse with the same words.
 */
const agreement: Record<string, AgreementCase> = {
  minimal: { reason: 'repository and region are all a claim needs', spec: { ...base }, want: { zod: [], crd: [] } },
  complete: {
    reason: 'every field set, consistently',
    spec: {
      ...base,
      prompt: 'Python API',
      budget: { maxMonthlyCost: 200, alertThreshold: 0.8, enforcementMode: 'hard' },
      policies: ['require-https', 'enable-monitoring'],
      strategy: 'vm',
      artifact: { s3: { bucket: 'acme-builds', key: 'api/1.4.2.zip' } },
      overrides: { minSize: 1, desiredCapacity: 2, maxSize: 3, minNodes: 1, desiredNodes: 2, maxNodes: 2, port: 8080 },
    },
    want: { zod: [], crd: [] },
  },
  hardBudget: {
    reason: 'a hard budget needs maxMonthlyCost',
    spec: { ...base, budget: { enforcementMode: 'hard' } },
    want: {
      zod: ['spec.budget.maxMonthlyCost: a hard budget needs maxMonthlyCost'],
      crd: ['spec.budget.maxMonthlyCost: a hard budget needs maxMonthlyCost'],
    },
  },
  bothArtifacts: {
    reason: 'an artifact is an image or an S3 zip, not both',
    spec: { ...base, artifact: { image: 'acme/api:1', s3: { bucket: 'acme-builds', key: 'a.zip' } } },
    want: { zod: ['spec.artifact: set exactly one of image and s3'], crd: ['spec.artifact: set exactly one of image and s3'] },
  },
  noArtifact: {
    reason: 'an empty artifact names nothing',
    spec: { ...base, artifact: {} },
    want: { zod: ['spec.artifact: set exactly one of image and s3'], crd: ['spec.artifact: set exactly one of image and s3'] },
  },
  serverlessWithoutArtifact: {
    reason: 'an explicit serverless strategy needs what CI built: render-aws has no from-source path',
    spec: { ...base, strategy: 'serverless' },
    want: {
      zod: ['spec.artifact: strategy serverless needs an artifact (a container image or a zip in S3 built by CI)'],
      crd: ['spec.artifact: strategy serverless needs an artifact (a container image or a zip in S3 built by CI)'],
    },
  },
  serverlessWithArtifact: {
    reason: 'serverless with an image is a valid claim',
    spec: { ...base, strategy: 'serverless', artifact: { image: 'acme/api:1' } },
    want: { zod: [], crd: [] },
  },
  autoWithoutArtifact: {
    reason: 'auto needs no artifact: it only never chooses serverless without one',
    spec: { ...base, strategy: 'auto' },
    want: { zod: [], crd: [] },
  },
  sizes: {
    reason: 'minSize above maxSize, and desiredNodes outside the node range',
    spec: { ...base, overrides: { minSize: 3, maxSize: 2, minNodes: 2, desiredNodes: 5, maxNodes: 4 } },
    want: {
      zod: ['spec.overrides.minSize: minSize must not exceed maxSize', 'spec.overrides.desiredNodes: desiredNodes must not exceed maxNodes'],
      crd: ['spec.overrides.minSize: minSize must not exceed maxSize', 'spec.overrides.desiredNodes: desiredNodes must not exceed maxNodes'],
    },
  },
  negativeBudget: {
    reason: 'a negative budget is refused by both, each in its own words',
    spec: { ...base, budget: { maxMonthlyCost: -1 } },
    want: { zod: ['spec.budget.maxMonthlyCost: Too small: expected number to be >0'], crd: ['spec.budget.maxMonthlyCost: must be > 0'] },
  },
  unknownPolicy: {
    reason: 'an unknown policy is refused by both',
    spec: { ...base, policies: ['tls-everywhere'] },
    want: {
      zod: ['spec.policies[0]: Invalid option: expected one of "require-https"|"enable-monitoring"|"private-data"'],
      crd: ['spec.policies[0]: must be one of ["require-https","enable-monitoring","private-data"]'],
    },
  },
  services: {
    reason: 'every kind of service override is accepted by both',
    spec: {
      ...base,
      services: {
        postgresql: { managed: false, secretRef: { name: 'orders-db' } },
        mysql: { instanceClass: 'db.t4g.medium', storageGb: 50 },
        redis: { none: true },
      },
    },
    want: { zod: [], crd: [] },
  },
  byoWithoutSecret: {
    reason: 'bring your own needs a Secret',
    spec: { ...base, services: { postgresql: { managed: false } } },
    want: {
      zod: ['spec.services.postgresql.managed: managed: false needs secretRef or awsSecretArn'],
      crd: ['spec.services.postgresql.managed: managed: false needs secretRef or awsSecretArn'],
    },
  },
  secretWhileManaged: {
    reason: 'a Secret reference only for a service the team brings',
    spec: { ...base, services: { redis: { secretRef: { name: 'cache' } } } },
    want: {
      zod: ['spec.services.redis.secretRef: secretRef and awsSecretArn need managed: false'],
      crd: ['spec.services.redis.secretRef: secretRef and awsSecretArn need managed: false'],
    },
  },
  noneWithSize: {
    reason: 'none takes no other field',
    spec: { ...base, services: { mysql: { none: true, storageGb: 40 } } },
    want: {
      zod: ['spec.services.mysql.none: none: true takes no other field'],
      crd: ['spec.services.mysql.none: none: true takes no other field'],
    },
  },
  sizeExternal: {
    reason: 'a class for a service the team brings means nothing',
    spec: { ...base, services: { postgresql: { managed: false, awsSecretArn: 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:orders-db', instanceClass: 'db.t4g.small' } } },
    want: {
      zod: ['spec.services.postgresql.instanceClass: instanceClass and storageGb need a managed service'],
      crd: ['spec.services.postgresql.instanceClass: instanceClass and storageGb need a managed service'],
    },
  },
  badClass: {
    reason: 'a cache class must look like one, and storage has a floor',
    spec: { ...base, services: { redis: { instanceClass: 'db.t4g.small' }, postgresql: { storageGb: 5 } } },
    want: {
      zod: ['spec.services.postgresql.storageGb: Too small: expected number to be >=20', 'spec.services.redis.instanceClass: must be a class such as cache.t4g.small'],
      crd: ['spec.services.postgresql.storageGb: must be >= 20', 'spec.services.redis.instanceClass: must match pattern "^cache\\.[a-z0-9]+\\.[a-z0-9]+$"'],
    },
  },
  badRegion: {
    reason: 'a region must look like an AWS region',
    spec: { ...base, region: 'Paris' },
    want: {
      zod: ['spec.region: must be an AWS region such as eu-west-3'],
      crd: ['spec.region: must match pattern "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}$"'],
    },
  },
  regionFromCloudProvider: {
    reason: 'a claim naming a CloudProvider may leave its region to the CloudProvider\'s defaultRegion',
    spec: { repository: base.repository, cloudProvider: 'team-a' },
    want: { zod: [], crd: [] },
  },
  noRegionOnPlatform: {
    reason: 'a claim on the platform\'s account (aws, the default) needs spec.region',
    spec: { repository: base.repository },
    want: {
      zod: ['spec.region: required unless spec.cloudProvider names a CloudProvider with a defaultRegion'],
      crd: ['spec.region: required unless spec.cloudProvider names a CloudProvider with a defaultRegion'],
    },
  },
  noRegionOnAws: {
    reason: 'naming aws explicitly is the platform\'s account too',
    spec: { repository: base.repository, cloudProvider: 'aws' },
    want: {
      zod: ['spec.region: required unless spec.cloudProvider names a CloudProvider with a defaultRegion'],
      crd: ['spec.region: required unless spec.cloudProvider names a CloudProvider with a defaultRegion'],
    },
  },
  badDomain: {
    reason: 'a domain must be a DNS name',
    spec: { ...base, domain: 'https://api.example.com' },
    want: {
      zod: ['spec.domain: must be a DNS name such as app.example.com'],
      crd: ['spec.domain: must match pattern "^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$"'],
    },
  },
};

describe('the zod schema and the XRD-generated CRD agree', () => {
  const schemas = XrSchemas.build();
  if (!schemas.ok) throw new Error(schemas.error);
  it.each(Object.entries(agreement))('%s', (_, c) => {
    const parsed = DeploymentSpec.safeParse(c.spec);
    const zod = parsed.success ? [] : formatIssues(parsed.error, 'spec').split('; ');
    const claim = { apiVersion: 'scia.io/v1alpha1', kind: 'Deployment', metadata: { name: 'a', namespace: 'b' }, spec: c.spec };
    const crd = schemas.value.validate(claim).map((e) => e.replace(/ \(as a v1 claim\)$/, ''));
    expect({ zod, crd }, c.reason).toEqual(c.want);
  });
});

const cpBase = { credentials: { source: 'Secret', secretRef: { name: 'aws' } }, defaultRegion: 'eu-west-3' };

/** The same agreement for the CloudProvider: its zod schema (the functions) and its generated CRD (the API server). */
const cloudProviderAgreement: Record<string, AgreementCase> = {
  minimal: { reason: 'credentials and a region are all a CloudProvider needs', spec: cpBase, want: { zod: [], crd: [] } },
  complete: {
    reason: 'every field set',
    spec: {
      type: 'aws',
      credentials: { source: 'PodIdentity', roleARN: 'arn:aws:iam::123456789012:role/team-a' },
      defaultRegion: 'us-east-1',
      quotas: { maxEc2Instances: 10, maxEksClusters: 1, maxLambdaFunctions: 50 },
      costControl: { monthlyBudget: 500, alertThreshold: 0.9, enforcementMode: 'hard' },
      tags: { team: 'a', 'cost-center': 'cc-1' },
    },
    want: { zod: [], crd: [] },
  },
  secretWithoutRef: {
    reason: 'a Secret source names its Secret',
    spec: { ...cpBase, credentials: { source: 'Secret' } },
    want: { zod: ['spec.credentials.secretRef: source Secret needs secretRef'], crd: ['spec.credentials.secretRef: source Secret needs secretRef'] },
  },
  irsaWithoutRole: {
    reason: 'IRSA assumes the team\'s role',
    spec: { ...cpBase, credentials: { source: 'IRSA' } },
    want: { zod: ['spec.credentials.roleARN: source IRSA or PodIdentity needs roleARN'], crd: ['spec.credentials.roleARN: source IRSA or PodIdentity needs roleARN'] },
  },
  reservedTag: {
    reason: 'AWS reserves tag keys starting with aws:',
    spec: { ...cpBase, tags: { 'aws:owner': 'x' } },
    want: { zod: ['spec.tags: tag keys are AWS tag keys, none starting with aws:'], crd: ['spec.tags: tag keys are AWS tag keys, none starting with aws:'] },
  },
  otherCloud: {
    reason: 'only aws',
    spec: { ...cpBase, type: 'gcp' },
    want: { zod: ['spec.type: Invalid input: expected "aws"'], crd: ['spec.type: must be one of ["aws"]'] },
  },
};

describe('the CloudProvider zod schema and the XRD-generated CRD agree', () => {
  const schemas = XrSchemas.build();
  if (!schemas.ok) throw new Error(schemas.error);
  it.each(Object.entries(cloudProviderAgreement))('%s', (_, c) => {
    const parsed = CloudProviderSpec.safeParse(c.spec);
    const zod = parsed.success ? [] : formatIssues(parsed.error, 'spec').split('; ');
    const cp = { apiVersion: 'scia.io/v1alpha1', kind: 'CloudProvider', metadata: { name: 'a', namespace: 'b' }, spec: c.spec };
    const crd = schemas.value.validate(cp).map((e) => e.replace(/ \(as a (v1 claim|v2 XR)\)$/, ''));
    expect({ zod, crd }, c.reason).toEqual(c.want);
  });

  const schema = cloudProviderSchema();
  if (!schema.ok) throw new Error(schema.error);
  it.each(CLOUD_PROVIDER_COLUMNS.map((c) => [c.name, c] as const))('printer column %s names a field of its type', (_, column) => {
    const node = schemaAt(schema.value, column.jsonPath);
    expect({ path: column.jsonPath, type: node?.type }).toEqual({ path: column.jsonPath, type: column.type });
  });
});
