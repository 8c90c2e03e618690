import type { CoreV1Event, KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '@scia/runtime';
import { deploymentsInformer, eventsInformer, type Change, type Informed } from './informers.js';
import { viewOf, type DeploymentObject, type View } from './view.js';

/** DeploymentChange is one change of a Deployment, as subscribers receive it. */
export interface DeploymentChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  view: View;
}

const MAX_EVENTS_PER_OBJECT = 50;

/**
 * ClusterCache is the console's one view of the cluster: the Deployments and
 * their events, kept by informers under the console's own identity. It holds
 * every namespace; callers filter by what the user may see (see Access).
 * Lists are served from a sorted index rebuilt only after a change.
 */
export class ClusterCache {
  private readonly deployments: Informed<DeploymentObject>;
  private readonly events: Informed<CoreV1Event>;
  private readonly eventsByObject = new Map<string, CoreV1Event[]>();
  private readonly listeners = new Set<(c: DeploymentChange) => void>();
  private sorted: View[] | undefined;
  private namespaceSet: Set<string> | undefined;

  constructor(kc: KubeConfig, logger: Logger) {
    this.deployments = deploymentsInformer<DeploymentObject>(kc, (c) => this.onDeployment(c), logger);
    this.events = eventsInformer(kc, (c) => this.onEvent(c), logger);
  }

  /** synced resolves once both informers have listed. */
  get synced(): Promise<void> {
    return Promise.all([this.deployments.synced, this.events.synced]).then(() => undefined);
  }

  /** all is every Deployment, newest first (then by id): the order of every page. */
  all(): View[] {
    this.sorted ??= this.deployments.list().map(viewOf).sort(newestFirst);
    return this.sorted;
  }

  /** namespaces holds every namespace with at least one Deployment. */
  namespaces(): Set<string> {
    this.namespaceSet ??= new Set(this.all().map((v) => v.namespace));
    return this.namespaceSet;
  }

  get(namespace: string, name: string): View | undefined {
    const obj = this.deployments.get(name, namespace);
    return obj === undefined ? undefined : viewOf(obj);
  }

  /** eventsOf are the events about a Deployment, newest first. */
  eventsOf(v: View): CoreV1Event[] {
    return this.eventsByObject.get(v.id) ?? [];
  }

  /** onChange calls `fn` for every Deployment change until the returned function is called. */
  onChange(fn: (c: DeploymentChange) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async stop(): Promise<void> {
    await Promise.all([this.deployments.stop(), this.events.stop()]);
  }

  private onDeployment(c: Change<DeploymentObject>): void {
    this.sorted = undefined;
    this.namespaceSet = undefined;
    const change: DeploymentChange = { type: c.type, view: viewOf(c.object) };
    for (const fn of this.listeners) fn(change);
  }

  private onEvent(c: Change<CoreV1Event>): void {
    const about = c.object.involvedObject;
    const key = `${about.namespace ?? c.object.metadata.namespace ?? ''}/${about.name ?? ''}`;
    const others = (this.eventsByObject.get(key) ?? []).filter((e) => e.metadata.uid !== c.object.metadata.uid);
    const next = c.type === 'DELETED' ? others : [c.object, ...others].sort((a, b) => lastSeen(b) - lastSeen(a)).slice(0, MAX_EVENTS_PER_OBJECT);
    if (next.length === 0) this.eventsByObject.delete(key);
    else this.eventsByObject.set(key, next);
  }
}

function newestFirst(a: View, b: View): number {
  const ta = a.createdAt ?? '';
  const tb = b.createdAt ?? '';
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** lastSeen is when an event last happened, in ms. */
export function lastSeen(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  return t === undefined ? 0 : new Date(t).getTime();
}
