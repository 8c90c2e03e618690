import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createValidator, crdDir, evaluateRules, loadSchemaFor, pointerToPath, validateResource } from '@scia/schemas';

const where = crdDir();
const needCrds = where.exists ? describe : describe.skip;
if (!where.exists) console.warn(`skipping CRD validation tests: no CRDs at ${where.dir} (run npm run crds or set SCIA_CRD_DIR)`);

const ingress = (forProvider: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'ec2.aws.upbound.io/v1beta1',
  kind: 'SecurityGroupIngressRule',
  metadata: { name: 'web' },
  spec: { forProvider: { region: 'eu-west-3', ...forProvider }, ...extra },
});

needCrds('validateResource against the pinned CRDs', () => {
  const cases: Record<string, { reason: string; obj: unknown; want: { ok: boolean; errors?: string[] } }> = {
    validIngress: {
      reason: 'a complete ingress rule is valid',
      obj: ingress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' }),
      want: { ok: true },
    },
    celRequired: {
      reason: 'the CEL rule makes ipProtocol required while managementPolicies (defaulted to *) may create',
      obj: ingress({ fromPort: 443, toPort: 443 }),
      want: { ok: false, errors: ['spec: spec.forProvider.ipProtocol is a required parameter'] },
    },
    celObserveOnly: {
      reason: 'an observe-only resource needs no ipProtocol, so the same rule passes',
      obj: ingress({}, { managementPolicies: ['Observe'] }),
      want: { ok: true },
    },
    wrongType: {
      reason: 'a port must be a number',
      obj: ingress({ ipProtocol: 'tcp', fromPort: '443' }),
      want: { ok: false, errors: ['spec.forProvider.fromPort: must be number'] },
    },
    unknownField: {
      reason: 'a misspelt field is reported, not pruned',
      obj: ingress({ ipProtocol: 'tcp', formPort: 443 }),
      want: { ok: false, errors: ['spec.forProvider.formPort: unknown field'] },
    },
    schemaRequired: {
      reason: 'an Instance without region fails the schema, naming the missing field',
      obj: { apiVersion: 'ec2.aws.upbound.io/v1beta1', kind: 'Instance', metadata: { name: 'a' }, spec: { forProvider: {} } },
      want: { ok: false, errors: ['spec.forProvider.region: Required value'] },
    },
    enumAndCel: {
      reason: 'an EKS cluster with a bad deletion policy and no vpcConfig gets both errors',
      obj: {
        apiVersion: 'eks.aws.upbound.io/v1beta1',
        kind: 'Cluster',
        metadata: { name: 'c' },
        spec: { deletionPolicy: 'Keep', forProvider: { region: 'eu-west-3', roleArn: 'arn:aws:iam::1:role/x' } },
      },
      want: {
        ok: false,
        errors: [
          'spec.deletionPolicy: must be one of ["Orphan","Delete"]',
          'spec: spec.forProvider.vpcConfig is a required parameter',
        ],
      },
    },
    arrayPath: {
      reason: 'errors inside arrays name the index',
      obj: {
        apiVersion: 'kubernetes.crossplane.io/v1alpha2',
        kind: 'Object',
        metadata: { name: 'o' },
        spec: { forProvider: { manifest: { apiVersion: 'v1', kind: 'Namespace' } }, references: [{ dependsOn: { apiVersion: 1, kind: 'Namespace', name: 'n' } }] },
      },
      want: { ok: false, errors: ['spec.references[0].dependsOn.apiVersion: must be string'] },
    },
    unknownKind: {
      reason: 'a kind with no CRD names the apiVersion, kind and directory',
      obj: { apiVersion: 'example.com/v1', kind: 'Widget' },
      want: { ok: false, errors: [`cannot find a CRD for apiVersion example.com/v1 kind Widget in ${where.dir}`] },
    },
    notAResource: {
      reason: 'an object without apiVersion and kind cannot be validated',
      obj: { spec: {} },
      want: { ok: false, errors: ['(root): a resource needs string apiVersion and kind'] },
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { reason, obj, want }) => {
    const got = validateResource(obj);
    const summary = got.ok ? { ok: true } : { ok: false, errors: got.errors };
    expect(summary, reason).toEqual(want);
    expect(got.skipped, reason).toEqual([]);
  });

  it('does not change the object it validates (defaults go to a copy)', () => {
    const obj = ingress({ ipProtocol: 'tcp' });
    const before = structuredClone(obj);
    validateResource(obj);
    expect(obj).toEqual(before);
  });

  it('finds the served version of a namespaced kind', () => {
    const got = loadSchemaFor('ec2.aws.m.upbound.io/v1beta1', 'SecurityGroup');
    expect(got.ok && { scope: got.value.crd.scope, version: got.value.version }).toEqual({ scope: 'Namespaced', version: 'v1beta1' });
  });

  it('evaluates CEL rules of Crossplane kinds (a v2 XRD may not name a claim)', () => {
    const xrd = {
      apiVersion: 'apiextensions.crossplane.io/v2',
      kind: 'CompositeResourceDefinition',
      metadata: { name: 'xthings.example.org' },
      spec: {
        group: 'example.org',
        names: { kind: 'XThing', plural: 'xthings' },
        claimNames: { kind: 'Thing', plural: 'things' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, referenceable: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    };
    expect(validateResource(xrd)).toEqual({ ok: false, errors: ["spec: Claims aren't supported in apiextensions.crossplane.io/v2"], skipped: [] });
    const { claimNames: _dropped, ...withoutClaim } = xrd.spec;
    expect(validateResource({ ...xrd, spec: withoutClaim })).toEqual({ ok: true, skipped: [] });
  });

  it('reports a missing directory with where it looked', () => {
    expect(createValidator('/nonexistent/crds')).toEqual({ ok: false, error: 'cannot load CRDs: directory /nonexistent/crds does not exist' });
  });
});

describe('evaluateRules', () => {
  const cases: Record<string, { reason: string; rule: string; data: unknown; type?: string; want: { errors: string[]; skipped: number } }> = {
    pass: { reason: 'a true rule adds nothing', rule: 'self.a.lowerAscii() == self.a', data: { a: 'x' }, want: { errors: [], skipped: 0 } },
    fail: { reason: 'a false rule names the node', rule: 'size(self.a) < 2', data: { a: 'xyz' }, want: { errors: ['spec: failed rule: size(self.a) < 2'], skipped: 0 } },
    ints: { reason: 'schema integers are CEL ints', rule: 'self.n == 3', data: { n: 3 }, want: { errors: [], skipped: 0 } },
    transition: { reason: 'transition rules are not evaluated on create', rule: 'self == oldSelf', data: { a: 'x' }, want: { errors: [], skipped: 0 } },
    unknownFn: { reason: 'a rule using a function we lack is skipped, not passed', rule: 'isURL(self.a)', data: { a: 'x' }, want: { errors: [], skipped: 1 } },
    missingKey: { reason: 'reading an absent field is an error', rule: 'self.b == "x"', data: { a: 'x' }, want: { errors: ['spec: cannot evaluate rule "self.b == \\"x\\"": No such key: b'], skipped: 0 } },
  };
  it.each(Object.entries(cases))('%s', (_name, { reason, rule, data, want }) => {
    const schema = {
      type: 'object',
      properties: { spec: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, n: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule }] } },
    };
    const got = evaluateRules(schema, { spec: data });
    expect({ errors: got.errors, skipped: got.skipped.length }, reason).toEqual(want);
  });

  it('skips nothing silently when a directory holds a CRD whose rule cannot compile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scia-crds-'));
    writeFileSync(join(dir, 'example.org_things.yaml'), THING_CRD);
    const v = createValidator(dir);
    if (!v.ok) throw new Error(v.error);
    const got = v.value.validate({ apiVersion: 'example.org/v1', kind: 'Thing', spec: { url: 'x' } });
    expect(got).toEqual({ ok: true, skipped: ['spec.url: rule "isURL(self)" not evaluated: ' + got.skipped[0]?.split('not evaluated: ')[1]] });
    expect(got.skipped).toHaveLength(1);
  });
});

describe('pointerToPath', () => {
  it.each([
    ['', ''],
    ['/spec/ports/0/name', 'spec.ports[0].name'],
    ['/metadata/labels/app.kubernetes.io~1name', 'metadata.labels["app.kubernetes.io/name"]'],
  ])('%s', (pointer, want) => expect(pointerToPath(pointer)).toBe(want));
});

const THING_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.org
spec:
  group: example.org
  names:
    kind: Thing
    plural: things
  scope: Cluster
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            properties:
              url:
                type: string
                x-kubernetes-validations:
                - rule: isURL(self)
`;
