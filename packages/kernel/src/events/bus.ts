import type { EventEnvelope } from '../outbox.js';

/** A consumer as the bus knows it: its name (its queue), the event types it takes, its service's schema. */
export interface ConsumerBinding {
  name: string;
  events: readonly string[];
  /** The Postgres schema of the consuming service (the in-process bus keeps failed deliveries there). */
  schema: string;
}

/**
 * Handles one delivery; resolves when the event's effect is committed (or was already, for a
 * redelivery). Throwing asks the bus to deliver it again later.
 */
export type DeliveryHandler = (envelope: EventEnvelope, attempt: number) => Promise<void>;

/** A delivery that failed every attempt, kept until an operator replays or drops it. */
export interface DeadLetter {
  consumer: string;
  eventId: string;
  type: string;
  attempts: number;
  error: string;
  /** When it was dead-lettered (ISO 8601). */
  failedAt: string;
  envelope: EventEnvelope;
}

/** The dead letters of a store's consumers: what `shopstack events dlq` lists, replays and drops. */
export interface DeadLetterStore {
  list(consumer?: string): Promise<DeadLetter[]>;
  /** Delivers dead letters to their consumer once more (all of a consumer's, or one event's); returns how many. */
  replay(consumer: string, eventId?: string): Promise<number>;
  /** Forgets dead letters (all of a consumer's, or one event's); returns how many. */
  drop(consumer: string, eventId?: string): Promise<number>;
}

/**
 * Carries events from the outbox relay to consumers, at least once. Two adapters: in-process (the
 * embedded default) and RabbitMQ. Both retry a failing delivery with growing delays and, after the
 * last attempt, keep it as a dead letter without holding up the events behind it.
 */
export interface EventBus {
  readonly kind: 'memory' | 'rabbitmq';
  /** Resolves once every event is durably accepted (RabbitMQ: confirmed by the broker), in order. */
  publish(events: readonly EventEnvelope[]): Promise<void>;
  /** Registers a consumer; deliveries start with start(). */
  subscribe(binding: ConsumerBinding, handler: DeliveryHandler): void;
  start(): Promise<void>;
  /** Throws when the bus cannot carry events now (readiness). */
  ping(): Promise<void>;
  readonly deadLetters: DeadLetterStore;
  close(): Promise<void>;
}

/** The delay before attempt `attempt + 1` after `attempt` failed: retryDelayMs doubled each time, at most an hour. */
export function retryDelay(baseMs: number, attempt: number): number {
  return Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** A short, single-line description of why a delivery failed (kept with the dead letter). */
export function failureText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.replace(/\s+/g, ' ').slice(0, 1000);
}
