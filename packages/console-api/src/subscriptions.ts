import { DEPLOYMENTS } from './access.js';
import type { DeploymentChange } from './cache.js';
import { apiError, type Ctx } from './context.js';

/** MAX_BACKLOG is how many changes a slow subscriber may fall behind before it is dropped. */
export const MAX_BACKLOG = 1000;

type Payload = { deploymentUpdated: { type: DeploymentChange['type']; deployment: DeploymentChange['view'] } };

/**
 * changes is an async iterator of the Deployment changes the caller may
 * watch: in `namespace` (checked once up front) or, without one, in every
 * namespace the caller may watch (checked per change against Access's brief
 * cache, so a right revoked stops the stream's changes within its TTL). Order
 * is kept; a subscriber more than MAX_BACKLOG changes behind is ended with an error.
 */
export async function changes(ctx: Ctx, namespace: string | null | undefined): Promise<AsyncIterableIterator<Payload>> {
  const { access, cache, metrics } = ctx.deps;
  if (namespace != null && !(await access.can(ctx.token, 'watch', DEPLOYMENTS, namespace))) {
    throw apiError('FORBIDDEN', `cannot watch deployments.scia.io in namespace ${JSON.stringify(namespace)}: forbidden by RBAC for user ${JSON.stringify(ctx.who.username)}`);
  }
  const queue: Payload[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let done = false;
  let chain = Promise.resolve();
  const allowed = (ns: string): boolean | Promise<boolean> => {
    const cached = access.cached(ctx.token, 'watch', DEPLOYMENTS, ns) ?? access.cached(ctx.token, 'watch', DEPLOYMENTS, '');
    if (cached === true) return true;
    return access.namespaces(ctx.token, 'watch', DEPLOYMENTS, [ns]).then((s) => s.has(ns));
  };
  const deliver = (c: DeploymentChange): void => {
    if (queue.length >= MAX_BACKLOG) {
      failure = apiError('UNAVAILABLE', `cannot keep up: more than ${MAX_BACKLOG} changes behind; subscribe again`);
      stop();
    } else {
      queue.push({ deploymentUpdated: { type: c.type, deployment: c.view } });
    }
    wake?.();
  };
  const unsubscribe = cache.onChange((c) => {
    if (namespace != null && c.view.namespace !== namespace) return;
    const ok = namespace != null ? access.cached(ctx.token, 'watch', DEPLOYMENTS, namespace) ?? allowed(namespace) : allowed(c.view.namespace);
    if (ok === true) {
      // Keep order behind any change still waiting for an answer.
      chain = chain.then(() => deliver(c));
      return;
    }
    if (ok === false) return;
    chain = chain.then(async () => {
      if (await ok.catch(() => false)) deliver(c);
    });
  });
  metrics.subscribers.inc();
  function stop(): void {
    if (done) return;
    done = true;
    unsubscribe();
    metrics.subscribers.dec();
    wake?.();
  }
  const iterator: AsyncIterableIterator<Payload> = {
    async next() {
      for (;;) {
        const item = queue.shift();
        if (item !== undefined) return { value: item, done: false };
        if (failure !== undefined) throw failure;
        if (done) return { value: undefined, done: true };
        await new Promise<void>((ok) => (wake = ok));
        wake = undefined;
      }
    },
    return() {
      stop();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err: unknown) {
      stop();
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
