import type { CommandLoader } from '../command.js';

/**
 * COMMANDS is the table of `scia` subcommands, each loaded only when named.
 * Add a command by adding one line here and a file beside this one.
 */
export const COMMANDS: Record<string, { summary: string; load: CommandLoader }> = {
  validate: { summary: 'validate XRDs, compositions, packages and examples against the CRDs', load: () => import('./validate.js').then((m) => m.command) },
  xrd: { summary: 'generate xrds/ from the Deployment API schemas (--check to verify)', load: () => import('./xrd.js').then((m) => m.command) },
};
