import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseDocument, stringify } from 'yaml';
import { DEFAULT_REGISTRY, STEPS, functionName, packageRef } from './names.js';

/** CONFIGURATION_ROOT is the Configuration package's root, relative to the repository. */
export const CONFIGURATION_ROOT = 'package/configuration';

/**
 * sourceOf is the one `meta.crossplane.io/source` every SCIA package names:
 * the `repository` of the repository's package.json (a URL or `{ url }`, npm's
 * `git+` prefix and `.git` suffix dropped). It is set there and nowhere else;
 * `npm run packages` writes it into each package's crossplane.yaml.
 */
export function sourceOf(repo: string): string {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { repository?: string | { url?: string } };
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (url === undefined || !/^(git\+)?https:\/\//.test(url)) throw new Error('cannot name the packages\' source: package.json needs "repository": { "url": "https://..." }');
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/** PROVIDER_AWS_FAMILIES are the provider-aws families whose kinds the render step composes. */
export const PROVIDER_AWS_FAMILIES = ['acm', 'autoscaling', 'cloudwatch', 'cloudwatchlogs', 'ec2', 'eks', 'elasticache', 'elbv2', 'iam', 'lambda', 'rds'] as const;

/** PROVIDER_REGISTRY is where the Crossplane community publishes its providers. */
const PROVIDER_REGISTRY = 'xpkg.crossplane.io/crossplane-contrib';

/**
 * The version ranges a Configuration accepts: provider-aws v2 (namespaced
 * kinds and ClusterAuth), provider-kubernetes v1 (namespaced Objects), and
 * the functions of this release line. Crossplane 1.19 is the first to read
 * dependencies named by apiVersion, kind and package.
 */
const PROVIDER_AWS_RANGE = '>=v2.0.0, <v3.0.0';
const PROVIDER_KUBERNETES_RANGE = '>=v1.0.0, <v2.0.0';
const CROSSPLANE_RANGE = '>=v1.19.0-0';

/** PackageFile is one generated file: its path from the repository root and its text. */
export interface PackageFile {
  path: string;
  text: string;
}

/** releaseRange is the range of function versions a Configuration of `version` takes: the same minor (0.x) or major. */
export function releaseRange(version: string): string {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const next = major === 0 ? `v0.${minor + 1}.0` : `v${major + 1}.0.0`;
  return `>=v${major}.${minor}.0, <${next}`;
}

const dependency = (kind: 'Provider' | 'Function', pkg: string, version: string) => ({ apiVersion: 'pkg.crossplane.io/v1', kind, package: pkg, version });

/** configurationMeta is the Configuration's crossplane.yaml for functions published under `registry`. */
export function configurationMeta(registry: string, version: string, source: string): Record<string, unknown> {
  return {
    apiVersion: 'meta.pkg.crossplane.io/v1',
    kind: 'Configuration',
    metadata: {
      name: 'scia',
      annotations: {
        'meta.crossplane.io/maintainer': 'SCIA maintainers',
        'meta.crossplane.io/source': source,
        'meta.crossplane.io/license': 'Apache-2.0',
        'meta.crossplane.io/description':
          'Deploy an application from its repository: a Deployment claim is analysed, compared with past deployments,\ndecided (VM, Kubernetes or serverless) and rendered to AWS managed resources by a pipeline of composition functions.\n',
      },
    },
    spec: {
      crossplane: { version: CROSSPLANE_RANGE },
      dependsOn: [
        ...STEPS.map((step) => dependency('Function', packageRef(registry, step), releaseRange(version))),
        ...PROVIDER_AWS_FAMILIES.map((f) => dependency('Provider', `${PROVIDER_REGISTRY}/provider-aws-${f}`, PROVIDER_AWS_RANGE)),
        dependency('Provider', `${PROVIDER_REGISTRY}/provider-kubernetes`, PROVIDER_KUBERNETES_RANGE),
      ],
    },
  };
}

/** SHIPPED are the files the Configuration carries, copied from where they are maintained. */
export const SHIPPED: readonly { from: string; to: string }[] = [
  { from: 'xrds/xdeployments.v1.yaml', to: 'xdeployments.v1.yaml' },
  { from: 'compositions/deployment-aws.yaml', to: 'deployment-aws.yaml' },
  { from: 'xrds/xcloudproviders.v1.yaml', to: 'xcloudproviders.v1.yaml' },
  { from: 'compositions/cloudprovider-aws.yaml', to: 'cloudprovider-aws.yaml' },
];

const header = (lines: string[]): string => `${lines.map((l) => `# ${l}`.trimEnd()).join('\n')}\n`;

/**
 * configurationFiles builds the Configuration package root from the
 * repository at `repo`: crossplane.yaml, and the v1 XRD and its composition
 * (the pair that works on Crossplane 1.x and 2.x), each composition step's
 * functionRef set to the name its Function installs under from `registry`.
 */
export function configurationFiles(repo: string, registry = DEFAULT_REGISTRY): PackageFile[] {
  const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
  const generated = (from: string) =>
    header([`Generated by \`npm run packages\`${from === '' ? '' : ` from ${from}`}: do not edit; a test fails when it drifts.`]);
  const files: PackageFile[] = [
    {
      path: `${CONFIGURATION_ROOT}/crossplane.yaml`,
      text:
        generated('') +
        header([
          'Build (from the repository root; the README shows the whole release):',
          `  crossplane xpkg build --package-root=${CONFIGURATION_ROOT} --examples-root=${CONFIGURATION_ROOT}/examples -o scia.xpkg`,
          'Crossplane installs each function dependency under the name of its repository path, which the',
          "packaged composition's functionRefs use.",
        ]) +
        stringify(configurationMeta(registry, version, sourceOf(repo)), { lineWidth: 0 }),
    },
    ...functionMetas(repo),
  ];
  for (const f of SHIPPED) {
    const value = parse(readFileSync(join(repo, f.from), 'utf8')) as unknown;
    files.push({ path: `${CONFIGURATION_ROOT}/${f.to}`, text: generated(f.from) + stringify(withFunctionRefs(value, registry), { lineWidth: 0 }) });
  }
  return files;
}

/** functionMetas are the Function packages' crossplane.yaml, maintained by hand but for their source, set from sourceOf. */
function functionMetas(repo: string): PackageFile[] {
  return STEPS.map((step) => {
    const path = `functions/${step}/package/crossplane.yaml`;
    const doc = parseDocument(readFileSync(join(repo, path), 'utf8'));
    doc.setIn(['metadata', 'annotations', 'meta.crossplane.io/source'], sourceOf(repo));
    return { path, text: doc.toString({ lineWidth: 0 }) };
  });
}

function withFunctionRefs(value: unknown, registry: string): unknown {
  const comp = value as { kind?: string; spec?: { pipeline?: Array<{ functionRef?: { name: string } }> } };
  if (comp.kind !== 'Composition') return value;
  for (const step of comp.spec?.pipeline ?? []) {
    const fn = STEPS.find((s) => step.functionRef?.name === functionName(DEFAULT_REGISTRY, s));
    if (fn !== undefined && step.functionRef !== undefined) step.functionRef.name = functionName(registry, fn);
  }
  return value;
}
