import type { CommandLoader } from '../command.js';

/**
 * COMMANDS is the table of `scia` subcommands, each loaded only when named.
 * Add a command by adding one line here and a file beside this one.
 */
export const COMMANDS: Record<string, { summary: string; load: CommandLoader }> = {
  analyze: { summary: 'analyze a repository (local path or HTTPS Git URL) as the analyze step does', load: () => import('./analyze.js').then((m) => m.command) },
  console: { summary: 'serve the console: GraphQL over the cluster with each user\'s rights, and the dashboard', load: () => import('./console.js').then((m) => m.command) },
  decide: { summary: 'decide how a claim deploys: strategy, size, monthly cost and why', load: () => import('./decide.js').then((m) => m.command) },
  rag: { summary: 'import, query, count and benchmark the deployments store (past deployments and their outcomes)', load: () => import('./rag.js').then((m) => m.command) },
  render: { summary: 'render an XR through its function pipeline, as crossplane render does', load: () => import('./render.js').then((m) => m.command) },
  serve: { summary: 'serve the SCIA functions over gRPC for crossplane render or a cluster', load: () => import('./serve.js').then((m) => m.command) },
  tenant: { summary: 'print the manifests that onboard a team: namespace, quota, network policy, role bindings, CloudProvider', load: () => import('./tenant.js').then((m) => m.command) },
  validate: { summary: 'validate XRDs, compositions, packages and examples against the CRDs', load: () => import('./validate.js').then((m) => m.command) },
  xrd: { summary: 'generate xrds/ from the Deployment API schemas (--check to verify)', load: () => import('./xrd.js').then((m) => m.command) },
};
