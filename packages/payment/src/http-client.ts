import { randomUUID } from 'node:crypto';
import { Conflict, ServiceClient, type HttpClientOptions, type RequestContext } from '@shopstack/kernel';
import type { PaymentClient } from './client.js';
import type { AuthorizeInput, IntentPage, PaymentIntent, RefundInput } from './schemas/intent.js';

const PREFIX = '/api/payment';
/** How often a call whose first sending still runs is asked again, and how long apart. */
const IN_PROGRESS_RETRIES = 5;
const IN_PROGRESS_WAIT_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Payment over HTTP, for processes that do not host it; same interface and errors as in process.
 * Every POST carries an Idempotency-Key of its own, named after the operation (authorize:<reference>:
 * <uuid>), and is retried with it: a retry after a lost answer gets the first answer again and
 * moves no money twice. The key is made per call rather than from the operation alone, so that a
 * later call of the same operation is answered as in process (the intent as it is now, a conflict
 * for other terms) rather than with a stored earlier answer.
 */
export class HttpPaymentClient implements PaymentClient {
  private readonly client: ServiceClient;

  constructor(options: HttpClientOptions) {
    this.client = new ServiceClient({ service: 'payment', ...options });
  }

  private async post(ctx: RequestContext, path: string, operation: string, body?: object) {
    const headers = { 'idempotency-key': `${operation}:${randomUUID()}` };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client.call<PaymentIntent>(ctx, {
          method: 'POST',
          path,
          headers,
          ...(body === undefined ? {} : { body }),
          idempotent: true,
        });
      } catch (err) {
        // The first sending of this very call still runs (a retry overtook it): its answer comes shortly.
        const running = err instanceof Conflict && err.details.code === 'idempotency_in_progress';
        if (!running || attempt >= IN_PROGRESS_RETRIES) throw err;
        await sleep(IN_PROGRESS_WAIT_MS * (attempt + 1));
      }
    }
  }

  private intentPath(intentId: string, action = ''): string {
    return `${PREFIX}/intents/${encodeURIComponent(intentId)}${action}`;
  }

  authorize(ctx: RequestContext, input: AuthorizeInput): Promise<PaymentIntent> {
    return this.post(ctx, `${PREFIX}/intents`, `authorize:${input.reference}`, input);
  }

  capture(ctx: RequestContext, intentId: string, input: { amount?: number } = {}): Promise<PaymentIntent> {
    return this.post(ctx, this.intentPath(intentId, '/capture'), `capture:${intentId}`, input);
  }

  voidIntent(ctx: RequestContext, intentId: string): Promise<PaymentIntent> {
    return this.post(ctx, this.intentPath(intentId, '/void'), `void:${intentId}`);
  }

  refund(ctx: RequestContext, intentId: string, input: RefundInput): Promise<PaymentIntent> {
    return this.post(ctx, this.intentPath(intentId, '/refunds'), `refund:${intentId}`, input);
  }

  getIntent(ctx: RequestContext, intentId: string): Promise<PaymentIntent> {
    return this.client.call<PaymentIntent>(ctx, { method: 'GET', path: this.intentPath(intentId) });
  }

  /** The listing filtered by reference: a service sees every intent, so it finds the one there is. */
  async findIntentByReference(ctx: RequestContext, reference: string): Promise<PaymentIntent | null> {
    const page = await this.client.call<IntentPage>(ctx, {
      method: 'GET',
      path: `${PREFIX}/intents?reference=${encodeURIComponent(reference)}&pageSize=1`,
    });
    return page.items[0] ?? null;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
