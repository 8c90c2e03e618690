import type { RepoSource } from '@scia/analyzer';
import type { StepLogger } from '@scia/runtime/step';

/**
 * loggedRepoSource logs each resolve and fetch with its outcome and duration.
 * It logs the URL, ref and commit, never the credentials (URLs cannot carry them).
 */
export function loggedRepoSource(repos: RepoSource, logger: StepLogger): RepoSource {
  return {
    async resolve(repo) {
      const t0 = performance.now();
      const r = await repos.resolve(repo);
      const ms = Math.round(performance.now() - t0);
      if (r.ok) logger.debug({ url: repo.url, ref: repo.ref, commit: r.value.commit, ms }, 'resolved ref');
      else logger.warn({ url: repo.url, ref: repo.ref, ms, error: r.error }, 'cannot resolve ref');
      return r;
    },
    async analyze(repo, resolved) {
      const t0 = performance.now();
      const r = await repos.analyze(repo, resolved);
      const ms = Math.round(performance.now() - t0);
      if (r.ok) logger.info({ url: repo.url, commit: r.value.commit, files: r.value.size.files, framework: r.value.framework, ms }, 'analysed repository');
      else logger.warn({ url: repo.url, commit: resolved.commit, ms, error: r.error }, 'cannot analyse repository');
      return r;
    },
  };
}
