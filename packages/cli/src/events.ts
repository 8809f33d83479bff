import {
  DatabaseDeadLetters,
  eventBusKind,
  loadConfig,
  openDatabase,
  outboxBacklog,
  RabbitDeadLetters,
  RabbitNames,
  type Config,
  type ConsumerBinding,
  type DeadLetterStore,
  type Database,
} from '@shopstack/kernel';
import type { Kysely } from 'kysely';
import { resolveServices } from './services.js';

/** The consumers of the configured services, with the schema each one's service owns. */
function bindingsOf(config: Config, database: Database): ConsumerBinding[] {
  return resolveServices(config.services).flatMap((service) =>
    (service.consumers ?? []).map((consumer) => ({
      name: consumer.name,
      events: consumer.events,
      schema: database.schemaFor(service.name),
    })),
  );
}

/** Where the store's dead letters are: the broker's dead-letter queues, or the consuming services' schemas. */
function deadLettersOf(config: Config, database: Database): DeadLetterStore {
  const bindings = bindingsOf(config, database);
  return eventBusKind(config) === 'rabbitmq'
    ? new RabbitDeadLetters(
        config.events.amqpUrl!,
        new RabbitNames(config.events.prefix, config.store.id),
        () => bindings,
      )
    : new DatabaseDeadLetters(database.db as Kysely<unknown>, () => bindings);
}

async function withDatabase<T>(
  purpose: string,
  work: (config: Config, database: Database) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config, { purpose });
  try {
    return await work(config, database);
  } finally {
    await database.close();
  }
}

/** `shopstack events outbox`: every enabled service's unsent events and the age of the oldest. */
export async function outboxCommand(options: { json?: boolean }): Promise<void> {
  await withDatabase('shopstack events outbox', async (config, database) => {
    const rows = [];
    for (const service of resolveServices(config.services)) {
      const backlog = await outboxBacklog(database.db as Kysely<unknown>, database.schemaFor(service.name));
      rows.push({
        service: service.name,
        unsent: backlog.count,
        oldestAgeSeconds: Math.round(backlog.oldestAgeSeconds),
      });
    }
    if (options.json) {
      console.log(JSON.stringify(rows, null, 2));
      return;
    }
    console.log(`${'service'.padEnd(16)}${'unsent'.padStart(8)}  oldest`);
    for (const row of rows) {
      const oldest = row.unsent === 0 ? '-' : `${row.oldestAgeSeconds} s`;
      console.log(`${row.service.padEnd(16)}${String(row.unsent).padStart(8)}  ${oldest}`);
    }
    const total = rows.reduce((sum, row) => sum + row.unsent, 0);
    console.log(`${total} event(s) waiting to be published (${eventBusKind(config)} bus)`);
  });
}

/** `shopstack events dlq list`: dead letters of every consumer, or of one. */
export async function deadLetterListCommand(options: { consumer?: string; json?: boolean }): Promise<void> {
  await withDatabase('shopstack events dlq', async (config, database) => {
    const letters = await deadLettersOf(config, database).list(options.consumer);
    if (options.json) {
      console.log(JSON.stringify(letters, null, 2));
      return;
    }
    if (letters.length === 0) {
      console.log('No dead letters.');
      return;
    }
    for (const letter of letters) {
      console.log(
        `${letter.consumer}  ${letter.eventId}  ${letter.type}  attempts ${letter.attempts}  ${letter.failedAt}\n    ${letter.error}`,
      );
    }
    console.log(`${letters.length} dead letter(s)`);
  });
}

function target(consumer: string, eventId: string | undefined, all: boolean | undefined): string | undefined {
  if (eventId === undefined && !all) {
    throw new Error(`Name the event to act on, or pass --all for every dead letter of ${consumer}.`);
  }
  return eventId;
}

/** `shopstack events dlq replay <consumer> [event]`: delivers dead letters to their consumer again. */
export async function deadLetterReplayCommand(
  consumer: string,
  eventId: string | undefined,
  options: { all?: boolean },
): Promise<void> {
  const event = target(consumer, eventId, options.all);
  await withDatabase('shopstack events dlq', async (config, database) => {
    const count = await deadLettersOf(config, database).replay(consumer, event);
    console.log(`Replayed ${count} dead letter(s) of ${consumer}.`);
    if (count === 0) process.exitCode = 1;
  });
}

/** `shopstack events dlq drop <consumer> [event]`: forgets dead letters. */
export async function deadLetterDropCommand(
  consumer: string,
  eventId: string | undefined,
  options: { all?: boolean },
): Promise<void> {
  const event = target(consumer, eventId, options.all);
  await withDatabase('shopstack events dlq', async (config, database) => {
    const count = await deadLettersOf(config, database).drop(consumer, event);
    console.log(`Dropped ${count} dead letter(s) of ${consumer}.`);
    if (count === 0) process.exitCode = 1;
  });
}
