import { CONFIGURATION_ROOT } from './configuration.js';
import { DEFAULT_REGISTRY, STEPS, packageRef, type Step } from './names.js';

/** ReleaseOptions say where a release goes. */
export interface ReleaseOptions {
  registry: string;
  version: string;
  /** configurationRef is the Configuration's repository (default `<registry>/configuration`). */
  configurationRef?: string;
  push: boolean;
}

/** functionPackageRoot is a step's Function package root, relative to the repository. */
export const functionPackageRoot = (step: Step): string => `functions/${step}/package`;

/** xpkgBuildArgs are the `crossplane xpkg build` arguments for a package root (its examples beside it). */
export function xpkgBuildArgs(root: string, output: string, runtimeImage?: string): string[] {
  return [
    'xpkg',
    'build',
    `--package-root=${root}`,
    `--examples-root=${root}/examples`,
    ...(runtimeImage === undefined ? [] : [`--embed-runtime-image=${runtimeImage}`]),
    `-o`,
    output,
  ];
}

/**
 * releaseCommands are the commands a release runs from the repository root,
 * in order: per step, build its image for this machine's platform into the
 * local daemon, build its Function package embedding that image, push it;
 * then build and push the Configuration. `npm run packages -- --registry R`
 * must have generated package/configuration for the same registry first.
 */
export function releaseCommands(opts: ReleaseOptions): string[][] {
  const out: string[][] = [];
  for (const step of STEPS) {
    const ref = packageRef(opts.registry, step);
    const runtime = `${ref}:${opts.version}-runtime`;
    out.push(['docker', 'buildx', 'build', '--load', '-f', `functions/${step}/Dockerfile`, '-t', runtime, '.']);
    out.push(['crossplane', ...xpkgBuildArgs(functionPackageRoot(step), `dist/xpkg/${step}.xpkg`, runtime)]);
    if (opts.push) out.push(['crossplane', 'xpkg', 'push', '-f', `dist/xpkg/${step}.xpkg`, `${ref}:${opts.version}`]);
  }
  const config = opts.configurationRef ?? `${opts.registry.replace(/\/+$/, '')}/configuration`;
  out.push(['crossplane', ...xpkgBuildArgs(CONFIGURATION_ROOT, 'dist/xpkg/scia.xpkg')]);
  if (opts.push) out.push(['crossplane', 'xpkg', 'push', '-f', 'dist/xpkg/scia.xpkg', `${config}:${opts.version}`]);
  return out;
}

export { DEFAULT_REGISTRY };
