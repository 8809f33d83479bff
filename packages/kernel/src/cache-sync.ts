import { randomUUID } from 'node:crypto';
import type { Cache } from './cache.js';
import type { Database } from './database.js';
import type { Logger } from './logger.js';

const CHANNEL = 'shopstack_cache';

interface InvalidationMessage {
  from: string;
  scope: string;
  namespace: string;
}

function send(database: Database, message: InvalidationMessage): Promise<void> {
  return database.notify(CHANNEL, JSON.stringify(message));
}

/**
 * Tells every process serving this database to drop a cache namespace. For writers that run
 * outside any app and its cache, such as seeding from the command line.
 */
export async function broadcastCacheInvalidation(database: Database, namespace: string): Promise<void> {
  await send(database, { from: 'outside', scope: database.schemaPrefix, namespace });
}

/**
 * Keeps the caches of every process on one database coherent: a local invalidation is broadcast
 * with NOTIFY, and invalidations from other processes are applied here. If the listening connection
 * drops, the whole cache is cleared on reconnect, since messages may have been missed.
 */
export async function syncCacheAcrossProcesses(
  database: Database,
  cache: Cache,
  logger: Logger,
): Promise<() => Promise<void>> {
  const self = randomUUID();
  const scope = database.schemaPrefix;
  const stop = await database.listen(
    CHANNEL,
    (payload) => {
      try {
        const message = JSON.parse(payload) as InvalidationMessage;
        if (message.from !== self && message.scope === scope)
          cache.applyRemoteInvalidation(message.namespace);
      } catch {
        logger.warn({ payload }, 'ignored malformed cache invalidation message');
      }
    },
    () => cache.clear(),
  );
  cache.onInvalidate((namespace) => {
    send(database, { from: self, scope, namespace }).catch((err: unknown) => {
      logger.error(
        { err, namespace },
        'could not broadcast cache invalidation; clearing other caches relies on their TTL',
      );
    });
  });
  return stop;
}
