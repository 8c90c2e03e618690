/** STEPS are the pipeline's functions, in pipeline order: each is functions/<step>/. */
export const STEPS = ['analyze', 'retrieve', 'decide', 'render-aws', 'record'] as const;
export type Step = (typeof STEPS)[number];

/** DEFAULT_REGISTRY is where the function packages are published: `<registry>/<step>`. */
export const DEFAULT_REGISTRY = 'ghcr.io/function-scia';

/**
 * dnsLabel is the name Crossplane gives an object installed from a package
 * reference (its repository path, registry host left out): lower-case letters
 * and digits kept, `.`, `/`, `:` and `-` turned into `-` except at either end,
 * at most 63 characters, other characters dropped.
 */
export function dnsLabel(repositoryPath: string): string {
  let out = '';
  for (let i = 0; i < repositoryPath.length && i < 63; i++) {
    const c = repositoryPath[i] ?? '';
    if (/[a-z0-9]/.test(c)) out += c;
    else if ('./:-'.includes(c) && i !== 0 && i !== 62 && i !== repositoryPath.length - 1) out += '-';
  }
  return out.replace(/^-+|-+$/g, '');
}

/** packageRef is the package reference of `step` under `registry` (`host/path`). */
export function packageRef(registry: string, step: Step): string {
  return `${registry.replace(/\/+$/, '')}/${step}`;
}

/** functionName is the name the Function of `step` is installed under, from `registry`: what compositions reference. */
export function functionName(registry: string, step: Step): string {
  return dnsLabel(repositoryPath(packageRef(registry, step)));
}

/** repositoryPath drops a reference's registry host (a first segment with `.` or `:`, or `localhost`); Docker Hub has none. */
export function repositoryPath(ref: string): string {
  const [first = '', ...rest] = ref.split('/');
  return rest.length > 0 && (/[.:]/.test(first) || first === 'localhost') ? rest.join('/') : ref;
}
