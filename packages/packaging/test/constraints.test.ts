import { describe, expect, it } from 'vitest';
import { dependencyProblems, isBounded, parseConstraints } from '@scia/packaging';

const cases: Record<string, { reason: string; text: string; parses: boolean; bounded: boolean }> = {
  commaRange: { reason: 'A comma joins the bounds of a range.', text: '>=v2.0.0, <v3.0.0', parses: true, bounded: true },
  spaceIsNotAnd: { reason: 'The package linter does not read a space as "and".', text: '>=v2.0.0 <v3.0.0', parses: false, bounded: false },
  openEnded: { reason: 'A lower bound alone lets a new major in.', text: '>=v2.0.0', parses: true, bounded: false },
  prerelease: { reason: 'Pre-releases are versions too.', text: '>=v1.19.0-0', parses: true, bounded: false },
  caret: { reason: 'A caret range is bounded by its major.', text: '^v1.2.0', parses: true, bounded: true },
  wildcard: { reason: 'An exact wildcard is not a bound.', text: '1.x', parses: true, bounded: false },
  hyphen: { reason: 'A hyphen range is bounded.', text: 'v1.0.0 - v1.9.0', parses: true, bounded: true },
  alternatives: { reason: 'Every alternative needs its bound.', text: '~v1.2 || >=v3', parses: true, bounded: false },
  words: { reason: 'A tag name is no constraint.', text: 'latest', parses: false, bounded: false },
};

describe('version constraints', () => {
  it.each(Object.entries(cases))('%s', (_, c) => {
    expect({ parses: parseConstraints(c.text).ok, bounded: isBounded(c.text) }, c.reason).toEqual({ parses: c.parses, bounded: c.bounded });
  });
});

describe('dependencyProblems', () => {
  it('names each dependency that uses the deprecated keys or has no upper bound', () => {
    const meta = {
      spec: {
        dependsOn: [
          { provider: 'xpkg.crossplane.io/crossplane-contrib/provider-aws-ec2', version: '>=v2.0.0' },
          { apiVersion: 'pkg.crossplane.io/v1', kind: 'Function', package: 'ghcr.io/function-scia/analyze', version: '>=v0.1.0, <v0.2.0' },
          { apiVersion: 'pkg.crossplane.io/v1', kind: 'Provider', package: '', version: 'latest' },
        ],
      },
    };
    expect(dependencyProblems(meta)).toEqual([
      'spec.dependsOn[0]: provider is deprecated: use apiVersion, kind and package',
      'spec.dependsOn[0].apiVersion: must be pkg.crossplane.io/v1',
      'spec.dependsOn[0].kind: must be Provider, Function or Configuration',
      'spec.dependsOn[0].package: required',
      'spec.dependsOn[0].version: ">=v2.0.0" has no upper bound',
      'spec.dependsOn[2].package: required',
      'spec.dependsOn[2].version: cannot parse version constraint "latest" in "latest"',
    ]);
  });
});
