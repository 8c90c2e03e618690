/** KubeObject is any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: unknown[];
  [field: string]: unknown;
}

/** ResourceDef is one served resource (a CRD's version, or a built-in kind). */
export interface ResourceDef {
  /** group is '' for the core group. */
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** verbs the discovery document lists; every listed verb is served. */
  verbs: string[];
  /** status is true when `status` is a subresource (writes to the main resource ignore it). */
  status: boolean;
  /** schema is the openAPIV3Schema objects are checked against (types, required, enums). */
  schema?: unknown;
  categories?: string[];
}

/** WatchEvent is one change as the watch protocol sends it. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  rv: number;
}

type Listener = (e: WatchEvent) => void;

/** resourceKey names a ResourceDef: `plural.group` (`plural` for the core group). */
export function resourceKey(def: Pick<ResourceDef, 'group' | 'plural'>): string {
  return def.group === '' ? def.plural : `${def.plural}.${def.group}`;
}

/**
 * KubeStore keeps objects by resource with one resourceVersion counter for all
 * of them (as etcd does) and a bounded log of changes per resource, so a watch
 * can resume from a resourceVersion until the log is compacted past it.
 */
export class KubeStore {
  private rv = 1;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly logs = new Map<string, WatchEvent[]>();
  private readonly compacted = new Map<string, number>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private uidSeq = 0;

  constructor(private readonly historySize = 1000) {}

  /** resourceVersion is the store's current version. */
  get resourceVersion(): number {
    return this.rv;
  }

  list(res: string, namespace?: string): KubeObject[] {
    const all = this.objects.get(res);
    if (all === undefined) return [];
    const out: KubeObject[] = [];
    for (const o of all.values()) if (namespace === undefined || o.metadata.namespace === namespace) out.push(o);
    return out;
  }

  get(res: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(res)?.get(objectKey(namespace, name));
  }

  /** put stores `obj` (new or changed), stamping uid, creation time, generation and resourceVersion. */
  put(res: string, obj: KubeObject, opts: { specChanged?: boolean } = {}): KubeObject {
    const key = objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
    const byKey = this.objects.get(res) ?? new Map<string, KubeObject>();
    this.objects.set(res, byKey);
    const prior = byKey.get(key);
    this.rv += 1;
    const meta: ObjectMeta = {
      ...obj.metadata,
      uid: prior?.metadata.uid ?? obj.metadata.uid ?? this.newUid(),
      creationTimestamp: prior?.metadata.creationTimestamp ?? obj.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      generation: prior === undefined ? 1 : (prior.metadata.generation ?? 1) + (opts.specChanged === true ? 1 : 0),
      resourceVersion: String(this.rv),
    };
    const stored: KubeObject = { ...obj, metadata: meta };
    byKey.set(key, stored);
    this.emit(res, { type: prior === undefined ? 'ADDED' : 'MODIFIED', object: stored, rv: this.rv });
    return stored;
  }

  /** remove deletes an object, returning it as last seen (with the deletion's resourceVersion). */
  remove(res: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const byKey = this.objects.get(res);
    const key = objectKey(namespace, name);
    const prior = byKey?.get(key);
    if (byKey === undefined || prior === undefined) return undefined;
    byKey.delete(key);
    this.rv += 1;
    const gone: KubeObject = { ...prior, metadata: { ...prior.metadata, resourceVersion: String(this.rv) } };
    this.emit(res, { type: 'DELETED', object: gone, rv: this.rv });
    return gone;
  }

  /**
   * since returns the changes to `res` after resourceVersion `from`, or
   * 'expired' when the log no longer reaches back that far (HTTP 410 Gone).
   */
  since(res: string, from: number): WatchEvent[] | 'expired' {
    if (from < (this.compacted.get(res) ?? 0)) return 'expired';
    return (this.logs.get(res) ?? []).filter((e) => e.rv > from);
  }

  /** compact forgets every logged change of `res` (or of all resources), as etcd compaction does. */
  compact(res?: string): void {
    for (const key of res === undefined ? [...this.logs.keys()] : [res]) {
      this.logs.set(key, []);
      this.compacted.set(key, this.rv);
    }
  }

  subscribe(res: string, fn: Listener): () => void {
    const set = this.listeners.get(res) ?? new Set<Listener>();
    this.listeners.set(res, set);
    set.add(fn);
    return () => set.delete(fn);
  }

  private emit(res: string, e: WatchEvent): void {
    const log = this.logs.get(res) ?? [];
    this.logs.set(res, log);
    log.push(e);
    if (log.length > this.historySize) {
      const dropped = log.splice(0, log.length - this.historySize);
      this.compacted.set(res, dropped[dropped.length - 1]?.rv ?? 0);
    }
    for (const fn of this.listeners.get(res) ?? []) fn(e);
  }

  private newUid(): string {
    this.uidSeq += 1;
    const hex = this.uidSeq.toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${hex}`;
  }
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}
