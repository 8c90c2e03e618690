import { parentPort } from 'node:worker_threads';
import { newRepoSource, type RepoRef, type RepoSourceOptions, type Resolved } from '../fetch/repo-source.js';

/**
 * The analysis worker: a worker thread of the RepoSource's pool. It answers
 * each `{ id, op, args }` with `{ id, result }`, the result a PoolResult
 * holding the RepoSource's own Result, running the job with an
 * in-thread RepoSource, so a hostile repository costs this thread's time and
 * memory and never the event loop of the process serving requests.
 */

type Message =
  | { id: number; op: 'analyze'; args: { opts: RepoSourceOptions; repo: RepoRef; resolved: Resolved } }
  | { id: number; op: 'resolve'; args: { opts: RepoSourceOptions; repo: RepoRef } };

const port = parentPort;
port?.on('message', (m: Message) => {
  void answer(m).then((value) => port.postMessage({ id: m.id, result: { ok: true, value } }));
});

async function answer(m: Message): Promise<unknown> {
  try {
    const source = newRepoSource({ ...m.args.opts, workers: 'none' });
    return m.op === 'analyze' ? await source.analyze(m.args.repo, m.args.resolved) : await source.resolve(m.args.repo);
  } catch (err) {
    return { ok: false, error: `cannot ${m.op} the repository: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}` };
  }
}
