import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  CONFIGURATION_ROOT,
  DEFAULT_REGISTRY,
  PROVIDER_AWS_FAMILIES,
  sourceOf,
  SHIPPED,
  STEPS,
  collectPayload,
  configurationFiles,
  dependencyProblems,
  dnsLabel,
  functionName,
  lintPayload,
  releaseCommands,
  repositoryPath,
  type BuildFlags,
  type PackageKind,
} from '@scia/packaging';
import { createValidator, crdDir } from '@scia/schemas';

const repo = join(import.meta.dirname, '..', '..', '..');
const where = crdDir();
const validator = where.exists ? createValidator(where.dir) : undefined;
if (!where.exists) console.warn(`skipping CRD validation of package payloads: no CRDs at ${where.dir} (npm run crds or set SCIA_CRD_DIR)`);
const crds = validator?.ok === true ? validator.value : undefined;

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'scia-pkg-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const META = (kind: string, name: string) => `apiVersion: meta.pkg.crossplane.io/v1\nkind: ${kind}\nmetadata: {name: ${name}}\n`;
const XRD = 'apiVersion: apiextensions.crossplane.io/v1\nkind: CompositeResourceDefinition\nmetadata: {name: xs.example.org}\n';
const MR = 'apiVersion: ec2.aws.upbound.io/v1beta1\nkind: VPC\nmetadata: {name: v}\n';

interface Case {
  reason: string;
  files: Record<string, string>;
  flags: BuildFlags;
  kind: PackageKind;
  want: { files: string[]; problems: string[] };
}

const cases: Record<string, Case> = {
  globsStopAtSlash: {
    reason: 'A root-level build whose --ignore globs cannot cross `/` packs nested metas, goldens and node_modules.',
    files: {
      'crossplane.yaml': META('Configuration', 'scia'),
      'xrds/x.yaml': XRD,
      'functions/a/package/crossplane.yaml': META('Function', 'function-a'),
      'functions/a/test/golden/vpc.yaml': MR,
      'node_modules/p/q/r.yml': 'a: 1\n',
      'node_modules/top.yaml': 'b: 2\n',
    },
    flags: { packageRoot: '.', ignore: ['node_modules/*', 'functions/*'] },
    kind: 'Configuration',
    want: {
      files: ['crossplane.yaml', 'functions/a/package/crossplane.yaml', 'functions/a/test/golden/vpc.yaml', 'node_modules/p/q/r.yml', 'xrds/x.yaml'],
      problems: [
        'not exactly one package meta type: crossplane.yaml#1, functions/a/package/crossplane.yaml#1',
        'functions/a/package/crossplane.yaml#1: package meta type is not Configuration',
        'functions/a/test/golden/vpc.yaml#1: object is not an XRD or a Composition (ec2.aws.upbound.io/v1beta1 VPC)',
        'node_modules/p/q/r.yml#1: a document needs string apiVersion and kind',
      ],
    },
  },
  ownRoot: {
    reason: 'A package root of its own holds one meta and what it ships; its examples stay out of the payload.',
    files: {
      'pkg/crossplane.yaml': META('Configuration', 'scia'),
      'pkg/x.yaml': XRD,
      'pkg/examples/claim.yaml': 'apiVersion: example.org/v1\nkind: X\nmetadata: {name: a}\n',
      'pkg/README.md': '# not YAML\n',
      'pkg/empty.yaml': '',
    },
    flags: { packageRoot: 'pkg', examplesRoot: 'pkg/examples' },
    kind: 'Configuration',
    want: { files: ['pkg/crossplane.yaml', 'pkg/x.yaml'], problems: [] },
  },
  wrongKind: {
    reason: 'A Function package whose meta is a Configuration is refused.',
    files: { 'fn/crossplane.yaml': META('Configuration', 'function-a') },
    flags: { packageRoot: 'fn' },
    kind: 'Function',
    want: { files: ['fn/crossplane.yaml'], problems: ['fn/crossplane.yaml#1: package meta type is not Function'] },
  },
};

describe('collectPayload and lintPayload', () => {
  it.each(Object.entries(cases))('%s', (_, c) => {
    const dir = tree(c.files);
    const payload = collectPayload(c.flags, dir);
    expect({ files: payload.files, problems: lintPayload(payload, c.kind) }, c.reason).toEqual(c.want);
  });
});

/** readmeBuilds are the `crossplane xpkg build` command lines of the README, as flags. */
function readmeBuilds(): Array<{ line: string; flags: BuildFlags }> {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const lines = readme.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('crossplane xpkg build '));
  return lines.map((line) => {
    const flag = (name: string): string | undefined => new RegExp(`--${name}=(\\S+)`).exec(line)?.[1];
    const flags: BuildFlags = { packageRoot: flag('package-root') ?? '.' };
    const examples = flag('examples-root');
    const ignore = flag('ignore');
    if (examples !== undefined) flags.examplesRoot = examples;
    if (ignore !== undefined) flags.ignore = ignore.split(',');
    return { line, flags };
  });
}

describe('the README release', () => {
  const builds = readmeBuilds();
  const commands = releaseCommands({ registry: 'ghcr.io/acme/function-scia', version: 'v0.1.0', push: true }).map((c) => c.join(' '));

  it('runs exactly the commands `npm run images` runs', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    expect(commands.filter((c) => !readme.includes(c))).toEqual([]);
  });

  it('builds every package root, each one', () => {
    expect(builds.map((b) => b.flags.packageRoot).sort()).toEqual([CONFIGURATION_ROOT, ...STEPS.map((s) => `functions/${s}/package`)].sort());
  });

  it.each(builds.map((b) => [b.flags.packageRoot, b] as const))('%s: the payload lints clean', (root, b) => {
    const payload = collectPayload(b.flags, repo);
    const kind: PackageKind = root === CONFIGURATION_ROOT ? 'Configuration' : 'Function';
    const wantFiles =
      kind === 'Configuration'
        ? readdirSync(join(repo, root)).filter((f) => f.endsWith('.yaml')).sort().map((f) => `${root}/${f}`)
        : [`${root}/crossplane.yaml`];
    expect(payload.files).toEqual(wantFiles);
    const meta = payload.documents.find((d) => d.file.endsWith('crossplane.yaml'))?.value;
    expect([...lintPayload(payload, kind, crds), ...dependencyProblems(meta)]).toEqual([]);
  });
});

describe('package/configuration', () => {
  it.each(configurationFiles(repo).map((f) => [f.path, f.text] as const))('%s is what npm run packages generates', (path, text) => {
    // On failure: run `npm run packages` and commit package/configuration.
    expect(readFileSync(join(repo, path), 'utf8')).toBe(text);
  });

  it('names, for another registry, the functions as Crossplane will install them', () => {
    const registry = 'ghcr.io/acme/function-scia';
    const files = configurationFiles(repo, registry);
    const meta = parse(files.find((f) => f.path.endsWith('crossplane.yaml'))?.text ?? '') as { spec: { dependsOn: Array<{ kind: string; package: string }> } };
    const installed = meta.spec.dependsOn.filter((d) => d.kind === 'Function').map((d) => dnsLabel(repositoryPath(d.package)));
    const comp = parse(files.find((f) => f.path.endsWith('deployment-aws.yaml'))?.text ?? '') as { spec: { pipeline: Array<{ functionRef: { name: string } }> } };
    expect(comp.spec.pipeline.map((s) => s.functionRef.name)).toEqual(installed);
    expect(installed).toEqual(STEPS.map((s) => `acme-function-scia-${s}`));
    expect(STEPS.map((s) => functionName(DEFAULT_REGISTRY, s))).toEqual(STEPS.map((s) => `function-scia-${s}`));
  });

  it('depends on exactly the provider families the render step composes', () => {
    const rendered = [
      ...readdirSync(join(repo, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(repo, 'examples', d.name, 'expected.yaml')),
      ...readdirSync(join(repo, 'functions/render-aws/test/golden')).map((f) => join(repo, 'functions/render-aws/test/golden', f)),
    ];
    const groups = new Set<string>();
    for (const file of rendered) {
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const m of text.matchAll(/apiVersion: ([a-z0-9.]+)\/v/g)) groups.add(m[1] ?? '');
    }
    const families = [...groups].flatMap((g) => /^([a-z0-9]+)\.aws\.(m\.)?upbound\.io$/.exec(g)?.[1] ?? []);
    expect([...new Set(families)].sort()).toEqual([...PROVIDER_AWS_FAMILIES]);
    expect(groups.has('kubernetes.crossplane.io') || groups.has('kubernetes.m.crossplane.io')).toBe(true);
  });

  it("takes every package's source from package.json's repository, the one place it is set", () => {
    const fork = mkdtempSync(join(tmpdir(), 'scia-fork-'));
    const files = [...SHIPPED.map((f) => f.from), ...STEPS.map((s) => `functions/${s}/package/crossplane.yaml`)];
    for (const f of files) {
      mkdirSync(dirname(join(fork, f)), { recursive: true });
      writeFileSync(join(fork, f), readFileSync(join(repo, f)));
    }
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(fork, 'package.json'), JSON.stringify({ ...pkg, repository: { type: 'git', url: 'git+https://git.example.com/acme/scia.git' } }));
    const sources = configurationFiles(fork)
      .filter((f) => f.path.endsWith('crossplane.yaml'))
      .map((f) => (parse(f.text) as { metadata: { annotations: Record<string, string> } }).metadata.annotations['meta.crossplane.io/source']);
    expect(sources).toEqual(Array.from({ length: STEPS.length + 1 }, () => 'https://git.example.com/acme/scia'));
    writeFileSync(join(fork, 'package.json'), JSON.stringify({ ...pkg, repository: undefined }));
    expect(() => configurationFiles(fork)).toThrow('cannot name the packages\' source: package.json needs "repository"');
  });

  it('names one source for every package', () => {
    const metas = [join(repo, CONFIGURATION_ROOT, 'crossplane.yaml'), ...STEPS.map((s) => join(repo, 'functions', s, 'package', 'crossplane.yaml'))];
    const sources = metas.map((m) => {
      const doc = parseAllDocuments(readFileSync(m, 'utf8'))[0]?.toJS() as { metadata: { annotations: Record<string, string> } };
      return doc.metadata.annotations['meta.crossplane.io/source'];
    });
    expect(sources).toEqual(metas.map(() => sourceOf(repo)));
    expect(sourceOf(repo)).toMatch(/^https:\/\/[^\s]+[^/]$/);
  });
});
