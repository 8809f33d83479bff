import { newId, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import type { PaymentProvider, ProviderEvent } from '../providers/provider.js';
import { IntentRepository } from '../repositories/intents.js';
import { WebhookEventRepository } from '../repositories/webhook-events.js';
import type { WebhookReceipt } from '../schemas/intent.js';
import type { IntentRow, PaymentTables } from '../tables.js';
import { toIntent } from './intent-view.js';

/**
 * Events the provider sends about its charges (a refund made in its dashboard, say). Each is
 * verified by the provider, recorded by its id in the same transaction that applies it (a
 * redelivery does nothing), and applied as a snapshot: amounts only grow and a void is final, so
 * events arriving out of order or twice end in the same state.
 */
export class WebhookService {
  private readonly events: WebhookEventRepository;
  private readonly intents: IntentRepository;

  constructor(private readonly runtime: ServiceRuntime<PaymentTables>) {
    this.events = new WebhookEventRepository(runtime.uow, runtime.schema);
    this.intents = new IntentRepository(runtime.uow, runtime.schema);
  }

  /** Verifies and applies one delivery; the signature is checked before anything is read or written. */
  async receive(
    ctx: RequestContext,
    provider: PaymentProvider,
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
  ): Promise<WebhookReceipt> {
    const event = provider.verifyWebhook(headers, rawBody);
    return this.runtime.uow.transaction(ctx, async (txCtx) => {
      if (!(await this.events.in(txCtx).claim(provider.name, event.id, event.type))) {
        return { received: true, eventId: event.id, duplicate: true };
      }
      const row =
        event.providerRef === null
          ? null
          : await this.intents.in(txCtx).lockByProviderRef(provider.name, event.providerRef);
      if (row) await this.apply(txCtx, row, event);
      else ctx.log.info({ eventId: event.id, type: event.type }, 'webhook event about no known payment');
      return { received: true, eventId: event.id, duplicate: false };
    });
  }

  private async apply(ctx: RequestContext, row: IntentRow, event: ProviderEvent): Promise<void> {
    const repo = this.intents.in(ctx);
    let current = row;
    const emit = async (type: string) => {
      const intent = toIntent(current, await repo.refundsOf([current.id]));
      await this.runtime.outbox.emit(ctx, { type, aggregate: intent.id, data: intent });
    };
    if (event.voided && current.status === 'authorized') {
      current = await repo.update(current.id, { status: 'voided' });
      await emit('PaymentVoided');
    }
    const captured = Math.min(event.amountCaptured ?? 0, current.amount);
    if (current.status === 'authorized' && captured > 0) {
      current = await repo.update(current.id, { status: 'captured', amount_captured: captured });
      await emit('PaymentCaptured');
    }
    const refunded = Math.min(event.amountRefunded ?? 0, current.amount_captured);
    if (refunded > current.amount_refunded) {
      await repo.insertRefund({
        id: newId(),
        intent_id: current.id,
        reference: `event:${event.id}`,
        amount: refunded - current.amount_refunded,
        reason: 'refunded at the provider',
      });
      current = await repo.update(current.id, {
        amount_refunded: refunded,
        status: refunded === current.amount_captured ? 'refunded' : 'partially_refunded',
      });
      await emit('PaymentRefunded');
    }
    ctx.log.info({ intentId: row.id, eventId: event.id, type: event.type }, 'webhook event applied');
  }
}
