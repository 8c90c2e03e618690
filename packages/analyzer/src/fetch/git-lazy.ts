import type * as GitRemote from './git-remote.js';

/**
 * The remote Git entry points, loading isomorphic-git (about a fifth of a
 * second) the first time a remote repository is reached: analysing a local
 * directory, as `scia decide --repo PATH` does, never loads it.
 */
export const resolveRemoteRef: typeof GitRemote.resolveRemoteRef = async (remote, ref) => (await import('./git-remote.js')).resolveRemoteRef(remote, ref);

/** fetchRemoteTree is git-remote.ts's, loaded on first use. */
export const fetchRemoteTree: typeof GitRemote.fetchRemoteTree = async (remote, resolved) => (await import('./git-remote.js')).fetchRemoteTree(remote, resolved);
