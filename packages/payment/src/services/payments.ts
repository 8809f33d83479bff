import {
  assertInput,
  authorize,
  Conflict,
  InvalidInput,
  InvalidState,
  newId,
  NotFound,
  PaymentRequired,
  UpstreamUnavailable,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import type { PaymentProvider, ProviderOutcome } from '../providers/provider.js';
import { IntentRepository } from '../repositories/intents.js';
import { TokenRepository } from '../repositories/tokens.js';
import { AuthorizeInput, CaptureInput, RefundInput, type PaymentIntent } from '../schemas/intent.js';
import type { IntentRow, PaymentOperation, PaymentTables } from '../tables.js';
import { CHARGES, intentNotFound } from './access.js';
import { toIntent } from './intent-view.js';

/** What a transaction decided: the intent, or a refusal to throw once the transaction committed. */
type Settled = { intent: PaymentIntent; created: boolean } | { refusal: PaymentRequired };

function invalidState(row: IntentRow, action: string): InvalidState {
  return new InvalidState(`Payment intent ${row.id} is ${row.status}: it cannot be ${action}.`, {
    code: 'invalid_payment_state',
    intentId: row.id,
    intentStatus: row.status,
  });
}

/** The record of one call to the provider. */
function attemptRow(row: IntentRow, operation: PaymentOperation, amount: number, outcome: ProviderOutcome) {
  return {
    id: newId(),
    intent_id: row.id,
    operation,
    outcome: outcome.ok ? ('succeeded' as const) : ('failed' as const),
    amount,
    failure_code: outcome.ok ? null : outcome.code,
  };
}

function refusal(row: Pick<IntentRow, 'id' | 'reference'>, code: string, message: string): PaymentRequired {
  return new PaymentRequired(message, { code, intentId: row.id, reference: row.reference });
}

/**
 * Moving money: authorize, capture, void, refund. Each runs in one transaction that holds what it
 * changes (the claimed reference, or the intent's row lock), calls the provider with an idempotency
 * key derived from the intent, records the outcome and one attempt row, and writes its event to the
 * outbox. A refusal by the provider is recorded (committed) and then thrown as PaymentRequired.
 */
export class PaymentService {
  readonly repo: IntentRepository;
  private readonly tokens: TokenRepository;

  constructor(
    private readonly runtime: ServiceRuntime<PaymentTables>,
    private readonly providers: ReadonlyMap<string, PaymentProvider>,
  ) {
    this.repo = new IntentRepository(runtime.uow, runtime.schema);
    this.tokens = new TokenRepository(runtime.uow, runtime.schema);
  }

  private provider(name: string): PaymentProvider {
    const provider = this.providers.get(name);
    if (!provider)
      throw new UpstreamUnavailable(`payment provider ${name}`, 'the provider is not configured');
    return provider;
  }

  /** Calls the provider; a failure that is not a decline (it could not be reached) leaves nothing recorded. */
  private async call<T>(provider: PaymentProvider, what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw new UpstreamUnavailable(`payment provider ${provider.name}`, `${what} failed`, undefined, err);
    }
  }

  private async view(ctx: RequestContext, row: IntentRow): Promise<PaymentIntent> {
    // Refunds are written with the amount they add to amount_refunded: none to read while it is 0.
    const refunds = row.amount_refunded > 0 ? await this.repo.in(ctx).refundsOf([row.id]) : [];
    return toIntent(row, refunds);
  }

  private async attempt(
    ctx: RequestContext,
    row: IntentRow,
    operation: PaymentOperation,
    amount: number,
    outcome: ProviderOutcome,
  ): Promise<void> {
    await this.repo.in(ctx).insertAttempt(attemptRow(row, operation, amount, outcome));
  }

  private async emit(ctx: RequestContext, type: string, intent: PaymentIntent): Promise<void> {
    await this.runtime.outbox.emit(ctx, { type, aggregate: intent.id, data: intent });
  }

  private static settle(settled: Settled): { intent: PaymentIntent; created: boolean } {
    if ('refusal' in settled) throw settled.refusal;
    return settled;
  }

  /**
   * Authorizes an amount on a token for a reference. The token is locked and the reference claimed
   * before the provider is asked: a concurrent repeat waits on them, then finds this intent; a
   * repeat with other terms is refused. Only a
   * successful authorization consumes the token. A decline is recorded as a failed intent, and a
   * repeat of its reference throws the same decline without asking the provider again.
   */
  async authorize(
    ctx: RequestContext,
    input: AuthorizeInput,
  ): Promise<{ intent: PaymentIntent; created: boolean }> {
    authorize(ctx, CHARGES, 'authorize payments');
    assertInput(AuthorizeInput, input);
    const settled = await this.runtime.uow.transaction(ctx, async (txCtx): Promise<Settled> => {
      const repo = this.repo.in(txCtx);
      // The token first, locked: of two authorizations with one token, the second waits and finds it used.
      const token = await this.tokens.in(txCtx).lock(input.token);
      if (!token) {
        throw new NotFound(`There is no card token ${input.token}.`, { code: 'payment_token_not_found' });
      }
      const claimed = await repo.claim({
        id: newId(),
        reference: input.reference,
        provider: token.provider,
        provider_ref: null,
        token_id: token.id,
        status: 'authorizing',
        amount: input.amount,
        currency: input.currency,
        customer_id: input.customerId ?? null,
        card_brand: token.brand,
        card_last4: token.last4,
        failure_code: null,
        failure_message: null,
      });
      if (!claimed) return this.repeated(txCtx, input);
      if (token.used_at !== null) {
        throw new InvalidInput('This card token was used already; tokenize the card again.', 'token', {
          code: 'payment_token_used',
        });
      }
      if (token.expires_at.getTime() <= Date.now()) {
        throw new InvalidInput('This card token has expired; tokenize the card again.', 'token', {
          code: 'payment_token_expired',
        });
      }
      const provider = this.provider(token.provider);
      const outcome = await this.call(provider, 'authorize', () =>
        provider.authorize({
          card: {
            tokenId: token.id,
            brand: token.brand,
            last4: token.last4,
            expMonth: token.exp_month,
            expYear: token.exp_year,
            providerToken: token.provider_token,
            testOutcome: token.test_outcome,
          },
          amount: input.amount,
          currency: input.currency,
          ...(input.email === undefined ? {} : { email: input.email }),
          idempotencyKey: `authorize:${input.reference}`,
        }),
      );
      if (!outcome.ok) {
        const failed = await repo.update(claimed.id, {
          status: 'failed',
          failure_code: outcome.code,
          failure_message: outcome.message,
        });
        await this.attempt(txCtx, failed, 'authorize', input.amount, outcome);
        await this.emit(txCtx, 'PaymentFailed', await this.view(txCtx, failed));
        ctx.log.info({ intentId: failed.id, code: outcome.code }, 'payment authorization declined');
        return { refusal: refusal(failed, outcome.code, outcome.message) };
      }
      // The intent, the used token, the attempt and the event in one statement.
      const changes = {
        status: 'authorized' as const,
        provider_ref: outcome.providerRef,
        updated_at: new Date(),
      };
      const intent = toIntent({ ...claimed, ...changes }, []);
      await repo.update(claimed.id, changes, [
        this.tokens.in(txCtx).usedUpdate(token.id),
        repo.attemptInsert(attemptRow(claimed, 'authorize', input.amount, outcome)),
        this.runtime.outbox.prepare(txCtx, { type: 'PaymentAuthorized', aggregate: intent.id, data: intent })
          .insert,
      ]);
      ctx.log.info({ intentId: intent.id, reference: intent.reference }, 'payment authorized');
      return { intent, created: true };
    });
    return PaymentService.settle(settled);
  }

  /** The answer to a reference authorized before: the same intent, or the same decline, or a conflict. */
  private async repeated(ctx: RequestContext, input: AuthorizeInput): Promise<Settled> {
    const existing = (await this.repo.in(ctx).findByReference(input.reference))!;
    if (
      existing.amount !== input.amount ||
      existing.currency !== input.currency ||
      existing.token_id !== input.token
    ) {
      throw new Conflict(
        `Reference ${input.reference} was authorized with another amount, currency or card.`,
        { code: 'payment_reference_reused', reference: input.reference },
      );
    }
    if (existing.status === 'failed') {
      return {
        refusal: refusal(
          existing,
          existing.failure_code ?? 'card_declined',
          existing.failure_message ?? 'The payment was declined.',
        ),
      };
    }
    return { intent: await this.view(ctx, existing), created: false };
  }

  /** Locks an intent for a change; NotFound when there is none. */
  /**
   * Locks an intent for a change, with how many calls of `operation` were made for it before (they
   * number the next call's idempotency key); NotFound when there is none.
   */
  private async locked(
    ctx: RequestContext,
    id: string,
    operation: PaymentOperation,
  ): Promise<{ row: IntentRow; attempts: number }> {
    const locked = await this.repo.in(ctx).lockWithAttempts(id, operation);
    if (!locked || locked.status === 'authorizing') throw intentNotFound(id);
    const { attempts, ...row } = locked;
    return { row, attempts };
  }

  /**
   * Captures all, or `amount`, of an authorized intent; what is not captured is released. Capturing
   * a captured intent returns it. A refused capture is recorded and thrown (402 capture_failed); the
   * intent stays authorized, so it can be captured again or voided.
   */
  async capture(ctx: RequestContext, id: string, input: CaptureInput = {}): Promise<PaymentIntent> {
    authorize(ctx, CHARGES, 'capture payments');
    assertInput(CaptureInput, input);
    const settled = await this.runtime.uow.transaction(ctx, async (txCtx): Promise<Settled> => {
      const repo = this.repo.in(txCtx);
      const { row, attempts } = await this.locked(txCtx, id, 'capture');
      if (['captured', 'partially_refunded', 'refunded'].includes(row.status)) {
        return { intent: await this.view(txCtx, row), created: false };
      }
      if (row.status !== 'authorized') throw invalidState(row, 'captured');
      const amount = input.amount ?? row.amount;
      if (amount > row.amount) {
        throw new InvalidInput(`At most ${row.amount} was authorized.`, 'amount', {
          code: 'capture_exceeds_authorized',
          authorized: row.amount,
        });
      }
      const provider = this.provider(row.provider);
      // Numbered by the attempts before it: a retry after a lost answer reuses the key; a new try after a refusal does not.
      const outcome = await this.call(provider, 'capture', () =>
        provider.capture({
          providerRef: row.provider_ref!,
          amount,
          idempotencyKey: `${row.id}:capture:${attempts}`,
        }),
      );
      if (!outcome.ok) {
        await this.attempt(txCtx, row, 'capture', amount, outcome);
        await repo.update(row.id, { failure_code: outcome.code, failure_message: outcome.message });
        ctx.log.info({ intentId: row.id, code: outcome.code }, 'payment capture refused');
        return { refusal: refusal(row, outcome.code, outcome.message) };
      }
      // The intent, the attempt and the event in one statement.
      const changes = {
        status: 'captured' as const,
        amount_captured: amount,
        failure_code: null,
        failure_message: null,
        updated_at: new Date(),
      };
      const intent = toIntent({ ...row, ...changes }, []);
      await repo.update(row.id, changes, [
        repo.attemptInsert(attemptRow(row, 'capture', amount, outcome)),
        this.runtime.outbox.prepare(txCtx, { type: 'PaymentCaptured', aggregate: intent.id, data: intent })
          .insert,
      ]);
      ctx.log.info({ intentId: row.id, amount }, 'payment captured');
      return { intent, created: true };
    });
    return PaymentService.settle(settled).intent;
  }

  /** Voids an authorized intent; voiding a voided or failed one returns it; a captured one is refunded instead. */
  async voidIntent(ctx: RequestContext, id: string): Promise<PaymentIntent> {
    authorize(ctx, CHARGES, 'void payments');
    const settled = await this.runtime.uow.transaction(ctx, async (txCtx): Promise<Settled> => {
      const { row } = await this.locked(txCtx, id, 'void');
      if (row.status === 'voided' || row.status === 'failed') {
        return { intent: await this.view(txCtx, row), created: false };
      }
      if (row.status !== 'authorized') throw invalidState(row, 'voided (refund it instead)');
      const provider = this.provider(row.provider);
      const outcome = await this.call(provider, 'void', () =>
        provider.void({ providerRef: row.provider_ref!, idempotencyKey: `${row.id}:void` }),
      );
      await this.attempt(txCtx, row, 'void', row.amount, outcome);
      if (!outcome.ok) return { refusal: refusal(row, outcome.code, outcome.message) };
      const voided = await this.repo.in(txCtx).update(row.id, { status: 'voided' });
      const intent = await this.view(txCtx, voided);
      await this.emit(txCtx, 'PaymentVoided', intent);
      ctx.log.info({ intentId: row.id }, 'payment voided');
      return { intent, created: true };
    });
    return PaymentService.settle(settled).intent;
  }

  /**
   * Refunds all that is captured and not yet refunded, or `amount` of it. Refunds of one intent
   * queue on its row lock, so together they never exceed what was captured. A repeat with the same
   * reference returns the intent without refunding again.
   */
  async refund(
    ctx: RequestContext,
    id: string,
    input: RefundInput,
  ): Promise<{ intent: PaymentIntent; created: boolean }> {
    authorize(ctx, CHARGES, 'refund payments');
    assertInput(RefundInput, input);
    const settled = await this.runtime.uow.transaction(ctx, async (txCtx): Promise<Settled> => {
      const { row, attempts } = await this.locked(txCtx, id, 'refund');
      const repo = this.repo.in(txCtx);
      if (input.reference !== undefined) {
        const earlier = await repo.findRefund(row.id, input.reference);
        if (earlier) {
          if (input.amount !== undefined && input.amount !== earlier.amount) {
            throw new Conflict(`Refund ${input.reference} was for ${earlier.amount}.`, {
              code: 'refund_reference_reused',
              reference: input.reference,
            });
          }
          return { intent: await this.view(txCtx, row), created: false };
        }
      }
      if (!['captured', 'partially_refunded', 'refunded'].includes(row.status)) {
        throw invalidState(row, 'refunded (void it, or capture it first)');
      }
      const refundable = row.amount_captured - row.amount_refunded;
      const amount = input.amount ?? refundable;
      if (amount === 0 || amount > refundable) {
        throw new Conflict(`Only ${refundable} of the captured ${row.amount_captured} is left to refund.`, {
          code: 'refund_exceeds_captured',
          refundable,
        });
      }
      const provider = this.provider(row.provider);
      const key =
        input.reference === undefined
          ? `${row.id}:refund:#${attempts}`
          : `${row.id}:refund:${input.reference}`;
      const outcome = await this.call(provider, 'refund', () =>
        provider.refund({ providerRef: row.provider_ref!, amount, idempotencyKey: key }),
      );
      await this.attempt(txCtx, row, 'refund', amount, outcome);
      if (!outcome.ok) return { refusal: refusal(row, outcome.code, outcome.message) };
      await repo.insertRefund({
        id: newId(),
        intent_id: row.id,
        reference: input.reference ?? null,
        amount,
        reason: input.reason ?? null,
      });
      const refunded = row.amount_refunded + amount;
      const updated = await repo.update(row.id, {
        amount_refunded: refunded,
        status: refunded === row.amount_captured ? 'refunded' : 'partially_refunded',
      });
      const intent = await this.view(txCtx, updated);
      await this.emit(txCtx, 'PaymentRefunded', intent);
      ctx.log.info({ intentId: row.id, amount }, 'payment refunded');
      return { intent, created: true };
    });
    return PaymentService.settle(settled);
  }
}
