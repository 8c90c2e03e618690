/** LanguageRuntime is how an app in one language runs from source on each strategy. */
export interface LanguageRuntime {
  /** packages are the Amazon Linux 2023 packages a vm needs to build and run the app. */
  packages: string[];
  /** image is the container image a kubernetes pod builds and runs the app in. */
  image: string;
  /** lambda is the managed Lambda runtime for a zip artifact. */
  lambda: string;
}

/**
 * RUNTIMES maps the analyzer's language names (lower case) to runtimes. The
 * images are official language images; a vm installs the distribution's
 * packages. Languages not listed run only from a container image artifact.
 */
export const RUNTIMES: Record<string, LanguageRuntime> = {
  python: { packages: ['python3', 'python3-pip'], image: 'python:3.12-slim', lambda: 'python3.12' },
  javascript: { packages: ['nodejs', 'npm'], image: 'node:22-slim', lambda: 'nodejs22.x' },
  typescript: { packages: ['nodejs', 'npm'], image: 'node:22-slim', lambda: 'nodejs22.x' },
  java: { packages: ['java-21-amazon-corretto-devel', 'maven'], image: 'eclipse-temurin:21-jdk', lambda: 'java21' },
  go: { packages: ['golang'], image: 'golang:1.24', lambda: 'provided.al2023' },
  ruby: { packages: ['ruby', 'ruby-devel', 'rubygem-bundler'], image: 'ruby:3.3-slim', lambda: 'ruby3.3' },
  php: { packages: ['php', 'php-cli', 'composer'], image: 'php:8.3-cli', lambda: 'provided.al2023' },
};

/** runtimeFor finds the runtime of a language name, case-insensitively. */
export function runtimeFor(language: string): LanguageRuntime | undefined {
  return RUNTIMES[language.toLowerCase()];
}

/**
 * INSTALL_COMMANDS install an app's dependencies from its manifests, by the
 * analyzer's package manager name, before the build command runs. Package
 * managers whose build fetches dependencies itself (go, maven, gradle, cargo,
 * ...) need none.
 */
export const INSTALL_COMMANDS: Record<string, string> = {
  pip: 'if [ -f requirements.txt ]; then python3 -m pip install -r requirements.txt; else python3 -m pip install .; fi',
  poetry: 'python3 -m pip install .',
  uv: 'python3 -m pip install .',
  pipenv: 'python3 -m pip install pipenv && pipenv install --deploy --system',
  npm: 'if [ -f package-lock.json ]; then npm ci; else npm install; fi',
  yarn: 'corepack enable && yarn install',
  pnpm: 'corepack enable && pnpm install --frozen-lockfile',
  bundler: 'bundle install',
  composer: 'composer install --no-dev --no-interaction',
};

/** installCommandFor is the dependency install command of a package manager, if it needs one. */
export function installCommandFor(packageManager: string | undefined): string | undefined {
  return packageManager === undefined ? undefined : INSTALL_COMMANDS[packageManager.toLowerCase()];
}

/** GIT_IMAGE clones the source in a kubernetes init container. */
export const GIT_IMAGE = 'alpine/git:2.47.2';

/**
 * lambdaWebAdapterLayer is the public AWS Lambda Web Adapter layer for x86_64
 * in `region`: a zip artifact holds the web app and a `run.sh` that starts it,
 * and the adapter forwards each invocation to the app's port.
 */
export function lambdaWebAdapterLayer(region: string, partition: string): string {
  return `arn:${partition}:lambda:${region}:753240598075:layer:LambdaAdapterLayerX86:25`;
}

/** isArmInstanceType tells Graviton instance types (t4g, m7g, c7gn, ...) from x86 ones. */
export function isArmInstanceType(instanceType: string): boolean {
  return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(instanceType);
}
