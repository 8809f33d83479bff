import { LRUCache } from 'lru-cache';

/**
 * Cache of serialized read results. Entries live in namespaces; invalidating a namespace makes
 * every entry written before it unreachable at once (a generation counter is part of every key).
 */
export interface Cache {
  /** Returns the cached value for key, or loads, stores and returns it; concurrent misses share one load. */
  wrap(namespace: string, key: string, load: () => Promise<string>): Promise<string>;
  invalidate(namespace: string): void;
  /** Registers a listener called on every invalidation (used to fan invalidations out to other processes). */
  onInvalidate(listener: (namespace: string) => void): void;
  /** Applies an invalidation received from elsewhere without notifying listeners again. */
  applyRemoteInvalidation(namespace: string): void;
  /** Drops everything (used when invalidations from elsewhere may have been missed). */
  clear(): void;
  readonly stats: { hits: number; misses: number };
}

export interface MemoryCacheOptions {
  enabled: boolean;
  maxEntries: number;
  ttlMs: number;
}

/** In-process LRU cache: the embedded default. */
export function createMemoryCache(options: MemoryCacheOptions): Cache {
  const entries = new LRUCache<string, string>({ max: options.maxEntries, ttl: options.ttlMs });
  const generations = new Map<string, number>();
  const inflight = new Map<string, Promise<string>>();
  const listeners: Array<(namespace: string) => void> = [];
  const stats = { hits: 0, misses: 0 };
  // Part of every key, and bumped by clear(): a load that started before a clear can then be neither
  // joined nor stored where later reads look, whatever namespace it belongs to.
  let epoch = 0;

  const bump = (namespace: string) => generations.set(namespace, (generations.get(namespace) ?? 0) + 1);

  return {
    stats,
    async wrap(namespace, key, load) {
      if (!options.enabled) return load();
      const fullKey = `${epoch}\u0000${namespace}\u0000${generations.get(namespace) ?? 0}\u0000${key}`;
      const hit = entries.get(fullKey);
      if (hit !== undefined) {
        stats.hits++;
        return hit;
      }
      stats.misses++;
      const pending = inflight.get(fullKey);
      if (pending) return pending;
      const loading = load().then(
        (value) => {
          inflight.delete(fullKey);
          entries.set(fullKey, value);
          return value;
        },
        (err: unknown) => {
          inflight.delete(fullKey);
          throw err;
        },
      );
      inflight.set(fullKey, loading);
      return loading;
    },
    invalidate(namespace) {
      bump(namespace);
      for (const listener of listeners) listener(namespace);
    },
    applyRemoteInvalidation(namespace) {
      bump(namespace);
    },
    clear() {
      epoch++;
      entries.clear();
    },
    onInvalidate(listener) {
      listeners.push(listener);
    },
  };
}
