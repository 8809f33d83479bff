import type {
  ChannelModel,
  ConfirmChannel,
  ConsumeMessage,
  Message,
  Options,
  RecoveringChannelModel,
} from 'amqplib';

/** amqplib loads only in processes that use RabbitMQ (most run the in-process bus). */
const amqp = async () => (await import('amqplib')).default;
import type { Logger } from '../logger.js';
import type { EventEnvelope } from '../outbox.js';
import {
  failureText,
  retryDelay,
  type ConsumerBinding,
  type DeadLetter,
  type DeadLetterStore,
  type DeliveryHandler,
  type EventBus,
} from './bus.js';

export interface RabbitBusOptions {
  url: string;
  /** Names of the store's exchange and queues start with `<prefix>.<store>.`. */
  prefix: string;
  storeId: string;
  maxAttempts: number;
  retryDelayMs: number;
  prefetch: number;
  logger: Logger;
  /** How long a publish may wait for the broker's confirmation. */
  confirmTimeoutMs?: number;
}

/** Names of a store's exchange and of each consumer's queues on the broker. */
export class RabbitNames {
  constructor(
    private readonly prefix: string,
    private readonly storeId: string,
  ) {}

  get exchange(): string {
    return `${this.prefix}.${this.storeId}.events`;
  }
  queue(consumer: string): string {
    return `${this.prefix}.${this.storeId}.${consumer}`;
  }
  /** The queue holding a delivery before its next attempt: its messages wait `delayMs`, then go back. */
  retryQueue(consumer: string, delayMs: number): string {
    return `${this.queue(consumer)}.retry.${delayMs}ms`;
  }
  deadLetterQueue(consumer: string): string {
    return `${this.queue(consumer)}.dlq`;
  }
}

const ATTEMPT = 'x-attempt';

/** Quorum queues (replicated, safe across broker restarts) from RabbitMQ 3.8 on; classic durable queues before. */
function supportsQuorum(model: ChannelModel): boolean {
  const version = String(model.connection.serverProperties.version ?? '');
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 8);
}

/** The broker URL with a 5-second heartbeat unless it sets one: a dead connection is noticed within seconds. */
function withHeartbeat(url: string): string {
  return /[?&]heartbeat=/.test(url) ? url : `${url}${url.includes('?') ? '&' : '?'}heartbeat=5`;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from RabbitMQ within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function confirmed(send: (callback: (err: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    send((err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
  });
}

/** Message properties of an event: persistent, identified, with its trace context as headers. */
function propertiesOf(envelope: EventEnvelope, headers: Record<string, unknown> = {}): Options.Publish {
  return {
    persistent: true,
    contentType: 'application/json',
    messageId: envelope.id,
    type: envelope.type,
    appId: envelope.source,
    timestamp: Math.floor(new Date(envelope.occurredAt).getTime() / 1000),
    headers: {
      'x-store': envelope.store,
      'x-event-version': envelope.version,
      'x-occurred-at': envelope.occurredAt,
      ...(envelope.aggregate ? { 'x-aggregate': envelope.aggregate } : {}),
      ...(envelope.traceparent ? { traceparent: envelope.traceparent } : {}),
      ...headers,
    },
  };
}

/**
 * Acks a delivery; on a channel that closed meanwhile there is nothing to ack, and the broker
 * delivers the message again (the consumer's record drops the repeat).
 */
function ackQuietly(channel: ConfirmChannel, message: ConsumeMessage): void {
  try {
    channel.ack(message);
  } catch {
    // the channel is closed
  }
}

interface Subscription {
  binding: ConsumerBinding;
  handler: DeliveryHandler;
}

/**
 * The RabbitMQ bus: events go to the store's durable topic exchange as persistent messages, each
 * publish confirmed by the broker; every consumer has its own durable queue (quorum where the
 * broker has them) bound to the event types it takes, reads with manual acks and a prefetch, and
 * sends a failed delivery to a delay queue per attempt (which hands it back after the delay) or,
 * after the last attempt, to its dead-letter queue. The connection recovers by itself with
 * exponential backoff; consumers and topology are set up again on every reconnect.
 */
export class RabbitEventBus implements EventBus {
  readonly kind = 'rabbitmq' as const;
  readonly names: RabbitNames;
  readonly deadLetters: DeadLetterStore;
  private readonly subscriptions: Subscription[] = [];
  private connection: RecoveringChannelModel | undefined;
  private publisher: ConfirmChannel | undefined;
  private closed = false;

  constructor(private readonly options: RabbitBusOptions) {
    this.names = new RabbitNames(options.prefix, options.storeId);
    this.deadLetters = new RabbitDeadLetters(options.url, this.names, () =>
      this.subscriptions.map((s) => s.binding),
    );
  }

  subscribe(binding: ConsumerBinding, handler: DeliveryHandler): void {
    this.subscriptions.push({ binding, handler });
  }

  /** Every queue this bus declares for its consumers: main, delay and dead-letter queues. */
  queueNames(): string[] {
    return this.subscriptions.flatMap(({ binding }) => [
      this.names.queue(binding.name),
      ...Array.from({ length: this.options.maxAttempts - 1 }, (_, i) =>
        this.names.retryQueue(binding.name, retryDelay(this.options.retryDelayMs, i + 1)),
      ),
      this.names.deadLetterQueue(binding.name),
    ]);
  }

  /** Connects (and keeps reconnecting); waits a little for the first connection, then goes on without it. */
  async start(): Promise<void> {
    const { logger } = this.options;
    const connection = await (
      await amqp()
    ).connect(withHeartbeat(this.options.url), {
      recovery: {
        initialDelay: 200,
        maxDelay: 5000,
        factor: 2,
        jitter: 0.2,
        maxRetries: Infinity,
        waitForConnect: false,
        setup: (model: ChannelModel) => this.setUp(model),
      },
    });
    this.connection = connection;
    connection.on('disconnect', (err: Error) => {
      this.publisher = undefined;
      if (!this.closed) logger.warn({ err }, 'lost the connection to RabbitMQ; reconnecting');
    });
    connection.on('reconnect-scheduled', ({ attempt, delay }: { attempt: number; delay: number }) => {
      if (attempt === 1 || attempt % 10 === 0) logger.info({ attempt, delay }, 'reconnecting to RabbitMQ');
    });
    connection.on('connect', () => logger.info('connected to RabbitMQ'));
    connection.on('error', (err: Error) => logger.warn({ err }, 'RabbitMQ connection error'));
    await withTimeout(connection.waitForConnect(), 5000, 'connect').catch((err: unknown) => {
      logger.warn({ err }, 'RabbitMQ is not reachable yet; events wait in the outbox until it is');
    });
  }

  /** Declares the topology and starts the consumers on a new connection. */
  private async setUp(model: ChannelModel): Promise<void> {
    const quorum = supportsQuorum(model);
    const publisher = await model.createConfirmChannel();
    publisher.on('error', (err: Error) =>
      this.options.logger.warn({ err }, 'RabbitMQ publish channel error'),
    );
    await publisher.assertExchange(this.names.exchange, 'topic', { durable: true });
    for (const subscription of this.subscriptions) {
      await this.consume(model, subscription, quorum);
    }
    this.publisher = publisher;
  }

  private async consume(model: ChannelModel, subscription: Subscription, quorum: boolean): Promise<void> {
    const { binding } = subscription;
    const channel = await model.createConfirmChannel();
    channel.on('error', (err: Error) =>
      this.options.logger.warn({ err, consumer: binding.name }, 'RabbitMQ consumer channel error'),
    );
    const queue = this.names.queue(binding.name);
    const queueArguments = quorum ? { 'x-queue-type': 'quorum' } : {};
    await channel.assertQueue(queue, { durable: true, arguments: queueArguments });
    for (const type of binding.events) await channel.bindQueue(queue, this.names.exchange, type);
    for (let attempt = 1; attempt < this.options.maxAttempts; attempt += 1) {
      const delay = retryDelay(this.options.retryDelayMs, attempt);
      await channel.assertQueue(this.names.retryQueue(binding.name, delay), {
        durable: true,
        arguments: {
          'x-message-ttl': delay,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': queue,
        },
      });
    }
    await channel.assertQueue(this.names.deadLetterQueue(binding.name), {
      durable: true,
      arguments: queueArguments,
    });
    await channel.prefetch(this.options.prefetch);
    await channel.consume(queue, (message) => {
      if (message) void this.deliver(channel, subscription, message);
    });
  }

  private async deliver(channel: ConfirmChannel, subscription: Subscription, message: ConsumeMessage) {
    const { binding, handler } = subscription;
    const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
    const attempt = Math.max(1, Number(headers[ATTEMPT] ?? 1) || 1);
    let envelope: EventEnvelope | undefined;
    try {
      const parsed = JSON.parse(message.content.toString('utf8')) as EventEnvelope;
      if (typeof parsed?.id === 'string' && typeof parsed.type === 'string') envelope = parsed;
    } catch {
      envelope = undefined;
    }
    let error: unknown;
    if (envelope) {
      try {
        await handler(envelope, attempt);
        ackQuietly(channel, message);
        return;
      } catch (err) {
        error = err;
      }
    } else {
      error = new Error('The message is not an event envelope.');
    }
    const dead = !envelope || attempt >= this.options.maxAttempts;
    const failure = failureText(error);
    this.options.logger[dead ? 'error' : 'warn'](
      { consumer: binding.name, eventId: envelope?.id, type: envelope?.type, attempt, error: failure },
      dead ? 'event dead-lettered after its last attempt' : 'event handler failed; it will be retried',
    );
    const target = dead
      ? this.names.deadLetterQueue(binding.name)
      : this.names.retryQueue(binding.name, retryDelay(this.options.retryDelayMs, attempt));
    const forward: Options.Publish = {
      ...message.properties,
      persistent: true,
      headers: {
        ...headers,
        [ATTEMPT]: dead ? attempt : attempt + 1,
        'x-error': failure,
        'x-consumer': binding.name,
        'x-failed-at': new Date().toISOString(),
      },
    };
    try {
      await confirmed((done) => channel.sendToQueue(target, message.content, forward, done));
      ackQuietly(channel, message);
    } catch (err) {
      // The channel is gone: the broker delivers the message again, and the consumer's record drops a repeat.
      this.options.logger.warn({ err, consumer: binding.name }, 'could not set a failed event aside');
    }
  }

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed.');
    const channel = this.publisher;
    if (!channel) throw new Error('RabbitMQ is unreachable.');
    const confirmations = events.map((envelope) =>
      confirmed((done) =>
        channel.publish(
          this.names.exchange,
          envelope.type,
          Buffer.from(JSON.stringify(envelope)),
          propertiesOf(envelope),
          done,
        ),
      ),
    );
    await withTimeout(Promise.all(confirmations), this.options.confirmTimeoutMs ?? 10_000, 'publish');
  }

  async ping(): Promise<void> {
    if (!this.publisher) throw new Error('RabbitMQ is unreachable.');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.publisher = undefined;
    // A connection that is away (the broker unreachable) would wait for its next attempt to close.
    if (this.connection) await withTimeout(this.connection.close(), 2000, 'close').catch(() => undefined);
  }
}

/**
 * Dead letters in each consumer's dead-letter queue. Listing reads every message without taking
 * it (the channel closes, and they stay); a replay sends one back to its consumer's queue as a
 * first attempt and only then takes it off; a drop takes it off.
 */
export class RabbitDeadLetters implements DeadLetterStore {
  constructor(
    private readonly url: string,
    private readonly names: RabbitNames,
    private readonly bindings: () => readonly ConsumerBinding[],
  ) {}

  private consumers(consumer?: string): ConsumerBinding[] {
    const all = this.bindings().filter((b) => consumer === undefined || b.name === consumer);
    if (consumer !== undefined && all.length === 0) throw new Error(`There is no consumer ${consumer}.`);
    return all;
  }

  /** Reads a dead-letter queue within one channel; `act` may ack what it takes, the rest stays. */
  private async withQueue<T>(
    consumer: string,
    act: (channel: ConfirmChannel, messages: Array<{ message: Message; letter: DeadLetter }>) => Promise<T>,
  ): Promise<T | undefined> {
    const connection = await (await amqp()).connect(this.url);
    try {
      const channel = await connection.createConfirmChannel();
      const queue = this.names.deadLetterQueue(consumer);
      try {
        await channel.checkQueue(queue);
      } catch {
        return undefined;
      }
      const messages: Array<{ message: Message; letter: DeadLetter }> = [];
      for (;;) {
        const message = await channel.get(queue, { noAck: false });
        if (!message) break;
        const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
        let envelope: EventEnvelope;
        try {
          envelope = JSON.parse(message.content.toString('utf8')) as EventEnvelope;
        } catch {
          envelope = { id: String(message.properties.messageId ?? '') } as EventEnvelope;
        }
        messages.push({
          message,
          letter: {
            consumer,
            eventId: envelope.id,
            type: envelope.type,
            attempts: Number(headers[ATTEMPT] ?? 0),
            error: String(headers['x-error'] ?? ''),
            failedAt: String(headers['x-failed-at'] ?? ''),
            envelope,
          },
        });
      }
      const result = await act(channel, messages);
      // Closing the channel (and waiting for the broker to say so) settles every ack before the connection goes.
      await channel.close();
      return result;
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  async list(consumer?: string): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for (const binding of this.consumers(consumer)) {
      const letters = await this.withQueue(binding.name, async (_channel, messages) =>
        messages.map((m) => m.letter),
      );
      out.push(...(letters ?? []));
    }
    return out;
  }

  async replay(consumer: string, eventId?: string): Promise<number> {
    let count = 0;
    for (const binding of this.consumers(consumer)) {
      count +=
        (await this.withQueue(binding.name, async (channel, messages) => {
          let n = 0;
          for (const { message, letter } of messages) {
            if (eventId !== undefined && letter.eventId !== eventId) continue;
            const headers = { ...(message.properties.headers ?? {}), [ATTEMPT]: 1 };
            await confirmed((done) =>
              channel.sendToQueue(
                this.names.queue(binding.name),
                message.content,
                { ...message.properties, persistent: true, headers },
                done,
              ),
            );
            channel.ack(message);
            n += 1;
          }
          await channel.waitForConfirms();
          return n;
        })) ?? 0;
    }
    return count;
  }

  async drop(consumer: string, eventId?: string): Promise<number> {
    let count = 0;
    for (const binding of this.consumers(consumer)) {
      count +=
        (await this.withQueue(binding.name, async (channel, messages) => {
          let n = 0;
          for (const { message, letter } of messages) {
            if (eventId !== undefined && letter.eventId !== eventId) continue;
            channel.ack(message);
            n += 1;
          }
          // An ack has no reply; a round trip makes sure the broker has them before the channel closes.
          await channel.checkQueue(this.names.deadLetterQueue(binding.name));
          return n;
        })) ?? 0;
    }
    return count;
  }
}
