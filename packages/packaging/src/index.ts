export { goMatch } from './go-match.js';
export { collectPayload, type BuildFlags, type Payload, type PayloadDocument } from './payload.js';
export { parseConstraints, isBounded, satisfies, type Constraint } from './constraints.js';
export { lintPayload, dependencyProblems, type PackageKind } from './lint.js';
export { STEPS, DEFAULT_REGISTRY, dnsLabel, functionName, packageRef, repositoryPath, type Step } from './names.js';
export {
  CONFIGURATION_ROOT,
  sourceOf,
  PROVIDER_AWS_FAMILIES,
  configurationFiles,
  configurationMeta,
  SHIPPED,
  releaseRange,
  type PackageFile,
} from './configuration.js';
export { EXTERNAL, copyClosure, packageDir, treeBytes } from './layout.js';
export { APP_DIR, STORE_TEMPLATES, bundleFunction, functionEntry, type Bundle, type BundleInput } from './bundle.js';
export { startBundle, type Started, type StartOptions } from './start.js';
export { BASELINE_ENTRY, measureSizes, sizesTable, type SizeRow } from './sizes.js';
export { functionPackageRoot, releaseCommands, xpkgBuildArgs, type ReleaseOptions } from './release.js';
export { DATA_ROOT, IMAGE_ENV, NODE_FLAGS, NONROOT_UID, dockerfile, dockerfiles } from './dockerfile.js';
