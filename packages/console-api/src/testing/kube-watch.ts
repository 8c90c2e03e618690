import type { ServerResponse } from 'node:http';
import type { KubeObject, KubeStore, WatchEvent } from './kube-store.js';

export interface WatchOptions {
  resourceVersion: string;
  bookmarks: boolean;
  bookmarkMs: number;
  timeoutSeconds: number;
  apiVersion: string;
  kind: string;
}

/**
 * watchResponse streams changes as the watch protocol does: one JSON event a
 * line. From resourceVersion '' or '0' it starts with ADDED for every object;
 * from a version the change log no longer reaches it sends one ERROR event
 * carrying a 410 Expired Status and ends. Bookmarks carry the current version.
 */
export function watchResponse(res: ServerResponse, store: KubeStore, resource: string, namespace: string | undefined,
  match: (o: KubeObject) => boolean, opts: WatchOptions, open: Set<ServerResponse>): void {
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  const send = (type: string, object: unknown): void => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const inScope = (o: KubeObject): boolean => (namespace === undefined || o.metadata.namespace === namespace) && match(o);
  const from = opts.resourceVersion === '' || opts.resourceVersion === '0' ? undefined : Number(opts.resourceVersion);
  let backlog: WatchEvent[];
  if (from === undefined || !Number.isFinite(from)) {
    backlog = store.list(resource, namespace).map((object) => ({ type: 'ADDED' as const, object, rv: Number(object.metadata.resourceVersion) }));
  } else {
    const since = store.since(resource, from);
    if (since === 'expired') {
      send('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${from} (${store.resourceVersion})`, reason: 'Expired', code: 410 });
      res.end();
      return;
    }
    backlog = since;
  }
  open.add(res);
  for (const e of backlog) if (inScope(e.object)) send(e.type, e.object);
  const unsubscribe = store.subscribe(resource, (e) => {
    if (inScope(e.object)) send(e.type, e.object);
  });
  const bookmark = opts.bookmarks
    ? setInterval(() => send('BOOKMARK', { apiVersion: opts.apiVersion, kind: opts.kind, metadata: { resourceVersion: String(store.resourceVersion) } }), opts.bookmarkMs)
    : undefined;
  const timeout = Number.isFinite(opts.timeoutSeconds) ? setTimeout(() => res.end(), opts.timeoutSeconds * 1000) : undefined;
  const finish = (): void => {
    unsubscribe();
    clearInterval(bookmark);
    clearTimeout(timeout);
    open.delete(res);
  };
  res.on('finish', finish);
  res.on('close', finish);
}
