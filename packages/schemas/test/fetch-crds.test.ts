import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createValidator, crdDir, repoRootFrom } from '@scia/schemas';

const reference = crdDir();
const root = repoRootFrom(process.cwd()) ?? process.cwd();

// No internet here: a stand-in `curl` serves raw.githubusercontent.com paths from
// the pinned reference copies, and answers GitHub's commit API with a full SHA.
const CURL = `#!/bin/bash
out=""; url=""
while [[ $# -gt 0 ]]; do case "$1" in -o) out="$2"; shift 2;; --retry) shift 2;; -*) shift;; *) url="$1"; shift;; esac; done
echo "$url" >>"$(dirname "$0")/urls"
case "$url" in https://api.github.com/*) printf '{\\n  "sha": "%040d",\\n' 7; exit 0;; esac
case "$url" in */crossplane/crossplane/*) d=crossplane-crds;; */provider-upjet-aws/*) d=provider-aws-crds;; *) d=provider-kubernetes-crds;; esac
cp "${reference.dir}/$d/$(basename "$url")" "$out"
`;

describe.skipIf(!reference.exists)('npm run crds (scripts/fetch-crds.sh)', () => {
  it('fills a cache the validator reads, from the release paths of each project', () => {
    const bin = mkdtempSync(join(tmpdir(), 'scia-curl-'));
    writeFileSync(join(bin, 'curl'), CURL);
    chmodSync(join(bin, 'curl'), 0o755);
    const dest = join(mkdtempSync(join(tmpdir(), 'scia-cache-')), 'crds');
    execFileSync('bash', [join(root, 'scripts', 'fetch-crds.sh'), dest], { env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` }, stdio: 'pipe' });
    for (const sub of ['crossplane-crds', 'provider-aws-crds', 'provider-kubernetes-crds']) {
      expect(readdirSync(join(dest, sub))).toEqual(readdirSync(join(reference.dir, sub)));
    }
    const urls = readFileSync(join(bin, 'urls'), 'utf8').split('\n');
    expect(urls).toContain('https://raw.githubusercontent.com/crossplane/crossplane/v2.2.3/cluster/crds/pkg.crossplane.io_functions.yaml');
    expect(urls).toContain('https://api.github.com/repos/crossplane-contrib/provider-upjet-aws/commits/75a4c57');
    expect(urls).toContain(`https://raw.githubusercontent.com/crossplane-contrib/provider-upjet-aws/${'7'.padStart(40, '0')}/package/crds/ec2.aws.upbound.io_vpcs.yaml`);
    const v = createValidator(dest);
    if (!v.ok) throw new Error(v.error);
    expect(v.value.validate({ apiVersion: 'ec2.aws.upbound.io/v1beta1', kind: 'VPC', spec: { forProvider: { region: 'eu-west-3' } } })).toEqual({ ok: true, skipped: [] });
  });
});
