import { setTimeout as sleep } from 'node:timers/promises';
import { PerKeyBackoff } from './backoff.ts';
import { KubeApiError, type KubeHttp } from './http.ts';

/** What changed in the informer's view of the cluster. `resync` replays an unchanged object periodically. */
export type InformerEvent<T> =
  | { type: 'add'; object: T }
  | { type: 'update'; object: T; old: T }
  | { type: 'delete'; object: T }
  | { type: 'resync'; object: T };

/** What to watch. */
export interface InformerOptions<T> {
  /** Collection path, such as /api/v1/namespaces or /apis/landlord.dev/v1alpha1/tenants. */
  path: string;
  labelSelector?: string;
  /** Replay every object this often (0: never), so a missed event cannot leave a key unprocessed forever. */
  resyncMs?: number;
  /** Told of every error; the informer keeps going regardless. */
  onError?: (error: unknown) => void;
  /** Start from a snapshot taken earlier instead of an empty cache; a stale one is corrected by a relist. */
  resumeFrom?: { resourceVersion: string; objects: T[] };
  /** Keeps an index of objects by this value (such as a label), or these values, for byIndex. */
  indexBy?: (object: T) => string | string[] | undefined;
  /**
   * Stores objects as JSON text and parses them when read: a fraction of the memory for caches that are
   * mostly written and rarely read (the operator's owned objects). Reads return fresh copies.
   */
  compact?: boolean;
}

/** What an informer needs of an object: its identity and version (as JSON, timestamps are strings). */
export interface ObjectWithMeta {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; managedFields?: unknown };
}

/** The key of an object in the store and the work queue: namespace/name, or name when cluster-scoped. */
export function objectKey(object: ObjectWithMeta): string {
  const { namespace, name } = object.metadata ?? {};
  return namespace ? `${namespace}/${name}` : `${name}`;
}

interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T & { code?: number; message?: string };
}

/** The watch said our resourceVersion is too old: list again. */
class GoneError extends Error {}

/**
 * A cache of one kind of object kept current by list + watch: bookmarks keep the resourceVersion fresh,
 * 410 Gone relists (emitting what changed meanwhile, deletions included), and any other error reconnects
 * after a backoff. It stops only when asked to.
 */
export class Informer<T extends ObjectWithMeta> {
  private readonly http: KubeHttp;
  private readonly options: InformerOptions<T>;
  private readonly store = new Map<string, T | string>();
  private readonly index = new Map<string, Set<string>>();
  private readonly handlers: ((event: InformerEvent<T>) => void)[] = [];
  private readonly abort = new AbortController();
  private readonly backoff = new PerKeyBackoff(200, 30_000);
  private resourceVersion: string | undefined;
  private synced = false;
  private loop: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  /** The last error met, cleared by the next successful list or watch. */
  lastError: unknown;

  constructor(http: KubeHttp, options: InformerOptions<T>) {
    this.http = http;
    this.options = options;
    if (options.resumeFrom) {
      for (const object of options.resumeFrom.objects) this.put(objectKey(object), object);
      this.resourceVersion = options.resumeFrom.resourceVersion;
      this.synced = true;
    }
  }

  /** Registers a handler for every event (called synchronously: enqueue keys, do no I/O). */
  on(handler: (event: InformerEvent<T>) => void): void {
    this.handlers.push(handler);
  }

  /** Starts listing and watching; resolves once the first list is in the store, or once stopped. */
  async start(): Promise<void> {
    this.loop = this.run();
    if (this.options.resyncMs) {
      this.resyncTimer = setInterval(() => this.resync(), this.options.resyncMs);
      this.resyncTimer.unref();
    }
    while (!this.synced && !this.abort.signal.aborted) await sleep(20);
  }

  /** Stops watching and waits for the loop to end. */
  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.resyncTimer);
    await this.loop;
  }

  /** Whether the first list has completed. */
  get hasSynced(): boolean {
    return this.synced;
  }

  /** The cached object of a key. */
  get(key: string): T | undefined {
    const entry = this.store.get(key);
    return typeof entry === 'string' ? (JSON.parse(entry) as T) : entry;
  }

  /** Every cached object. */
  list(): T[] {
    return [...this.store.keys()].map((key) => this.get(key) as T);
  }

  /** The keys of the cached objects one of whose index values is the given one: nothing is parsed. */
  keysByIndex(value: string): string[] {
    return [...(this.index.get(value) ?? [])];
  }

  /** The cached objects one of whose index values (options.indexBy) is the given one. */
  byIndex(value: string): T[] {
    return [...(this.index.get(value) ?? [])].map((key) => this.get(key) as T);
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        if (!this.resourceVersion) await this.relist();
        await this.watch();
        this.backoff.forget('watch');
      } catch (error) {
        if (this.abort.signal.aborted) return;
        if (error instanceof GoneError) {
          this.resourceVersion = undefined;
          continue;
        }
        this.lastError = error;
        this.options.onError?.(error);
        await this.sleep(this.backoff.next('watch'));
      }
    }
  }

  /** Lists everything (in pages) and emits the difference with the store, deletions included. */
  private async relist(): Promise<void> {
    const fresh = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion: string;
    do {
      const page = await this.http.request<{
        apiVersion: string;
        kind: string;
        items: T[];
        metadata: { resourceVersion: string; continue?: string };
      }>({
        method: 'GET',
        path: this.options.path,
        query: { labelSelector: this.options.labelSelector, limit: '500', continue: continueToken },
        // stop() ends a list in flight too: an API server that never answers must not hold a shutdown.
        signal: this.abort.signal,
      });
      // List items come without apiVersion and kind; watch events carry them. Make both look alike.
      const identity = page.kind ? { apiVersion: page.apiVersion, kind: page.kind.replace(/List$/, '') } : {};
      for (const item of page.items) fresh.set(objectKey(item), { ...identity, ...item });
      continueToken = page.metadata.continue || undefined;
      resourceVersion = page.metadata.resourceVersion;
    } while (continueToken);
    for (const key of [...this.store.keys()]) if (!fresh.has(key)) this.remove(key, this.get(key) as T);
    for (const object of fresh.values()) this.upsert(object);
    this.resourceVersion = resourceVersion;
    this.synced = true;
    this.lastError = undefined;
  }

  private async watch(): Promise<void> {
    // Servers end watches after timeoutSeconds; a spread avoids every informer reconnecting at once.
    const timeoutSeconds = String(240 + Math.floor(Math.random() * 120));
    await this.http
      .stream(
        {
          method: 'GET',
          path: this.options.path,
          query: {
            watch: '1',
            allowWatchBookmarks: 'true',
            resourceVersion: this.resourceVersion,
            timeoutSeconds,
            labelSelector: this.options.labelSelector,
          },
        },
        (line) => this.handleEvent(JSON.parse(line) as WatchEvent<T>),
        this.abort.signal,
      )
      .catch((error: unknown) => {
        if (error instanceof KubeApiError && error.status === 410) throw new GoneError(error.message);
        throw error;
      });
    this.lastError = undefined;
  }

  private handleEvent(event: WatchEvent<T>): void {
    if (event.type === 'ERROR') {
      if (event.object.code === 410) throw new GoneError(event.object.message);
      throw new KubeApiError(event.object.code ?? 500, 'WatchError', event.object.message ?? 'watch error');
    }
    const resourceVersion = event.object.metadata?.resourceVersion;
    if (event.type === 'DELETED') this.remove(objectKey(event.object), event.object);
    else if (event.type !== 'BOOKMARK') this.upsert(event.object);
    if (resourceVersion) this.resourceVersion = resourceVersion;
  }

  private upsert(object: T): void {
    // managedFields often outweigh the rest of the object and no controller of ours reads them.
    if (object.metadata && 'managedFields' in object.metadata) delete object.metadata.managedFields;
    const key = objectKey(object);
    const old = this.get(key);
    if (old?.metadata?.resourceVersion === object.metadata?.resourceVersion && old) return;
    this.put(key, object);
    this.emit(old ? { type: 'update', object, old } : { type: 'add', object });
  }

  private put(key: string, object: T): void {
    const previous = this.store.has(key) ? this.get(key) : undefined;
    if (previous) this.unindex(key, previous);
    this.store.set(key, this.options.compact ? JSON.stringify(object) : object);
    for (const value of this.indexValues(object)) this.index.set(value, (this.index.get(value) ?? new Set()).add(key));
  }

  private indexValues(object: T): string[] {
    const values = this.options.indexBy?.(object);
    return values === undefined ? [] : typeof values === 'string' ? [values] : [...new Set(values)];
  }

  private unindex(key: string, object: T): void {
    for (const value of this.indexValues(object)) {
      const keys = this.index.get(value);
      keys?.delete(key);
      if (keys?.size === 0) this.index.delete(value);
    }
  }

  private remove(key: string, object: T): void {
    const stored = this.get(key);
    if (!stored) return;
    this.unindex(key, stored);
    this.store.delete(key);
    this.emit({ type: 'delete', object });
  }

  private resync(): void {
    for (const key of this.store.keys()) this.emit({ type: 'resync', object: this.get(key) as T });
  }

  private emit(event: InformerEvent<T>): void {
    for (const handler of this.handlers) handler(event);
  }

  private async sleep(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }
}
