import { z } from 'zod';
import { formatIssues } from '@scia/api';

/**
 * Meta package files (`crossplane.yaml`, `meta.pkg.crossplane.io`) have no CRD:
 * Crossplane parses them when it builds or installs a package. These schemas
 * hold what its parser requires of them.
 */
const SEMVER_CONSTRAINT = /^\s*(?:[<>=!~^]*\s*v?\d+(?:\.\d+){0,2}(?:-[\w.]+)?\s*,?\s*)+$/;

const Dependency = z
  .strictObject({
    provider: z.string().min(1).optional(),
    function: z.string().min(1).optional(),
    configuration: z.string().min(1).optional(),
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    package: z.string().min(1).optional(),
    version: z.string().regex(SEMVER_CONSTRAINT, 'must be a semantic version constraint such as ">=v1.0.0"'),
  })
  .refine((d) => [d.provider, d.function, d.configuration, d.package].filter((x) => x !== undefined).length === 1, {
    message: 'name exactly one of provider, function, configuration or package',
  });

const Metadata = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label').max(63),
  annotations: z.record(z.string(), z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

const PackageSpec = z.strictObject({
  crossplane: z.strictObject({ version: z.string().regex(SEMVER_CONSTRAINT, 'must be a semantic version constraint') }).optional(),
  dependsOn: z.array(Dependency).optional(),
  capabilities: z.array(z.string()).optional(),
});

const MetaPackage = z.object({
  apiVersion: z.enum(['meta.pkg.crossplane.io/v1', 'meta.pkg.crossplane.io/v1beta1']),
  kind: z.enum(['Configuration', 'Function', 'Provider']),
  metadata: Metadata,
  spec: PackageSpec.optional(),
});

/** isMetaPackage tells whether `apiVersion` is a package's meta file. */
export function isMetaPackage(apiVersion: string): boolean {
  return apiVersion.startsWith('meta.pkg.crossplane.io/');
}

/** validateMetaPackage returns the problems of a crossplane.yaml document as `field.path: message` lines. */
export function validateMetaPackage(obj: unknown): string[] {
  const parsed = MetaPackage.safeParse(obj);
  if (parsed.success) {
    const name = parsed.data.metadata.name;
    if (parsed.data.kind === 'Function' && !name.startsWith('function-')) {
      return ['metadata.name: a Function package name must start with function-'];
    }
    return [];
  }
  return parsed.error.issues.map((issue) => formatIssues(new z.ZodError([issue])));
}
