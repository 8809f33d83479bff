import type { MetricCounter, ServiceRuntime } from '@shopstack/kernel';
import type { MailAdapter } from '../mail/adapter.js';
import { MessageRepository } from '../repositories/messages.js';
import type { MessageRow, NotificationsTables } from '../tables.js';
import type { OrderMail } from './order-mail.js';
import { messageIdHeader } from './views.js';

/** The longest wait between two attempts of a message, however many it had. */
export const MAX_RETRY_DELAY_MS = 3_600_000;
/** How many due messages one round claims. */
const BATCH = 20;
/** How long a claim holds a message: more than a slow SMTP server takes to answer. */
const LEASE_MS = 120_000;

/** The wait before the next attempt, after `attempts` failed ones: retryDelayMs doubling, capped. */
export function retryDelay(retryDelayMs: number, attempts: number): number {
  return Math.min(retryDelayMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

/**
 * Sends queued messages in the background, apart from any request: claims due messages (a lease,
 * in one statement, so several processes share the queue), renders each from its order the first
 * time and sends it through the adapter with no transaction open, then records the outcome. A failed attempt is tried again later with
 * growing delays; after mail.maxAttempts the message is failed for staff to look at.
 */
export class MailSender {
  private readonly messages: MessageRepository;
  private readonly sent: MetricCounter;
  private readonly failed: MetricCounter;
  private readonly attemptsFailed: MetricCounter;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<number> | undefined;
  private running = false;
  /** Set by stop(): a round under way gives back what it has not sent yet. */
  private closing = false;

  constructor(
    private readonly runtime: ServiceRuntime<NotificationsTables>,
    private readonly orderMail: OrderMail,
    readonly adapter: MailAdapter,
  ) {
    this.messages = new MessageRepository(runtime.uow, runtime.schema);
    const { metrics } = runtime;
    this.sent = metrics.counter('notifications_mail_sent_total', 'Customer e-mails sent, by kind', ['kind']);
    this.failed = metrics.counter(
      'notifications_mail_failed_total',
      'Customer e-mails given up on after their last attempt, by kind',
      ['kind'],
    );
    this.attemptsFailed = metrics.counter(
      'notifications_mail_attempts_failed_total',
      'Attempts to send a customer e-mail that the transport refused or that failed',
      ['kind'],
    );
  }

  start(): void {
    if (this.running || this.closing) return;
    this.running = true;
    this.schedule();
  }

  /** Stops the loop, waiting for the round under way, and closes the adapter. */
  async stop(): Promise<void> {
    this.running = false;
    this.closing = true;
    clearTimeout(this.timer);
    await this.round?.catch(() => 0);
    await this.adapter.close();
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.sendDue()
        .catch((err: unknown) => this.runtime.logger.error({ err }, 'mail round failed'))
        .finally(() => this.schedule());
    }, this.runtime.config.mail.intervalMs);
    this.timer.unref();
  }

  /** One round: sends the messages due now; resolves with how many were sent. */
  async sendDue(): Promise<number> {
    const round = (this.round ?? Promise.resolve(0)).catch(() => 0).then(() => this.sendClaimed());
    this.round = round;
    return round;
  }

  private async sendClaimed(): Promise<number> {
    const claimed = await this.messages.claimDue(BATCH, LEASE_MS);
    let sent = 0;
    for (const [i, message] of claimed.entries()) {
      if (this.closing) {
        // Closing: what this round has not sent yet is left to the next sender now, not after the lease.
        await this.messages.release(claimed.slice(i).map((m) => m.id));
        break;
      }
      if (await this.sendOne(message)) sent += 1;
    }
    return sent;
  }

  private async sendOne(message: MessageRow): Promise<boolean> {
    const { config, store, logger } = this.runtime;
    const log = logger.child({ messageId: message.id, orderId: message.order_id, kind: message.kind });
    try {
      const mail = await this.orderMail.rendered(message);
      const result = await this.adapter.send({
        messageId: messageIdHeader(message.id, store.id),
        from: config.mail.from,
        to: message.recipient,
        ...mail,
        reference: `order-${message.order_number}-${message.kind}`,
      });
      await this.messages.markSent(message.id, result.messageId);
      this.sent.inc({ kind: message.kind });
      log.info({ transport: this.adapter.kind }, 'customer e-mail sent');
      return true;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const delay = retryDelay(config.mail.retryDelayMs, message.attempts + 1);
      const status = await this.messages.markAttemptFailed(
        message.id,
        reason.slice(0, 1000),
        config.mail.maxAttempts,
        delay,
      );
      this.attemptsFailed.inc({ kind: message.kind });
      if (status === 'failed') {
        this.failed.inc({ kind: message.kind });
        log.error({ reason, attempts: message.attempts + 1 }, 'customer e-mail failed for good');
      } else {
        log.warn(
          { reason, attempts: message.attempts + 1, retryInMs: delay },
          'customer e-mail not sent; will retry',
        );
      }
      return false;
    }
  }
}
