import { CoreV1Api, CustomObjectsApi, ListWatch, Watch, type CoreV1Event, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '@scia/runtime';
import { Api } from '@scia/api';

/** BookmarkWatch asks for watch bookmarks, so a resumed watch starts from a recent resourceVersion. */
class BookmarkWatch extends Watch {
  override watch(path: string, query: Record<string, string | number | boolean | undefined>, cb: (phase: string, obj: unknown, watchObj?: unknown) => void, done: (err: unknown) => void): Promise<AbortController> {
    return super.watch(path, { ...query, allowWatchBookmarks: true }, cb, done);
  }
}

/** Informed is one resource kept current by list and watch. */
export interface Informed<T extends KubernetesObject> {
  list(namespace?: string): readonly T[];
  get(name: string, namespace?: string): T | undefined;
  /** synced resolves once the first list has filled the cache. */
  synced: Promise<void>;
  stop(): Promise<void>;
}

export type Change<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T };

/**
 * inform keeps a resource in memory with client-node's ListWatch: one list,
 * then a watch resumed from the last resourceVersion seen (bookmarks keep it
 * recent), a fresh list when the API server answers 410 Gone, and a restart
 * with backoff (1 s doubling to 30 s) after any other failure.
 */
export function inform<T extends KubernetesObject>(opts: {
  kc: KubeConfig; path: string; list: () => Promise<KubernetesListObject<T>>; fieldSelector?: string;
  onChange: (c: Change<T>) => void; logger: Logger; name: string;
}): Informed<T> {
  let markSynced: () => void = () => undefined;
  const synced = new Promise<void>((ok) => (markSynced = ok));
  const list = async (): Promise<KubernetesListObject<T>> => {
    const got = await opts.list();
    // ListWatch adds the items right after this resolves; the cache is full on the next turn.
    setImmediate(markSynced);
    return got;
  };
  const lw = new ListWatch<T>(opts.path, new BookmarkWatch(opts.kc), list, false, undefined, opts.fieldSelector);
  lw.on('add', (object) => opts.onChange({ type: 'ADDED', object }));
  lw.on('update', (object) => opts.onChange({ type: 'MODIFIED', object }));
  lw.on('delete', (object) => opts.onChange({ type: 'DELETED', object }));
  let backoff = 1000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  lw.on('connect', () => {
    backoff = 1000;
  });
  lw.on('error', (err: unknown) => {
    if (stopped) return;
    opts.logger.warn({ informer: opts.name, err: String(err), retryMs: backoff }, 'watch failed; restarting');
    timer = setTimeout(() => void lw.start().catch(() => undefined), backoff);
    backoff = Math.min(backoff * 2, 30_000);
  });
  void lw.start().catch((err: unknown) => opts.logger.warn({ informer: opts.name, err: String(err) }, 'cannot start the informer'));
  return {
    list: (ns) => lw.list(ns),
    get: (name, ns) => lw.get(name, ns),
    synced,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await lw.stop();
    },
  };
}

/** deploymentsInformer informs on deployments.scia.io in every namespace (the v1 claim or the v2 XR). */
export function deploymentsInformer<T extends KubernetesObject>(kc: KubeConfig, onChange: (c: Change<T>) => void, logger: Logger): Informed<T> {
  const api = kc.makeApiClient(CustomObjectsApi);
  return inform<T>({
    kc, logger, onChange, name: 'deployments',
    path: `/apis/${Api.group}/${Api.version}/deployments`,
    list: () => api.listClusterCustomObject({ group: Api.group, version: Api.version, plural: 'deployments' }) as Promise<KubernetesListObject<T>>,
  });
}

/** EVENT_SELECTOR keeps the events about SCIA's objects. */
export const EVENT_SELECTOR = `involvedObject.apiVersion=${Api.apiVersion}`;

/** eventsInformer informs on core/v1 events about SCIA objects in every namespace. */
export function eventsInformer(kc: KubeConfig, onChange: (c: Change<CoreV1Event>) => void, logger: Logger): Informed<CoreV1Event> {
  const api = kc.makeApiClient(CoreV1Api);
  return inform<CoreV1Event>({
    kc, logger, onChange, name: 'events', fieldSelector: EVENT_SELECTOR,
    path: '/api/v1/events',
    list: () => api.listEventForAllNamespaces({ fieldSelector: EVENT_SELECTOR }),
  });
}
