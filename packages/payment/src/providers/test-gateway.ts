import { createHmac, randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { InvalidParameter, MinorUnits, secretsEqual } from '@shopstack/kernel';
import type { TestOutcome } from '../tables.js';
import { cardBrand } from './cards.js';
import type {
  AuthorizeRequest,
  CardInput,
  ChargeRequest,
  PaymentProvider,
  ProviderEvent,
  ProviderOutcome,
  TokenizedCard,
} from './provider.js';

/** The test cards and what the test gateway does with each; any other number that passes Luhn succeeds. */
export const TEST_CARDS: Readonly<Record<string, TestOutcome>> = {
  '4242424242424242': 'succeeds',
  '4000000000000002': 'declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000341': 'capture_fails',
};

/** The header the test gateway signs its webhooks with: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'shopstack-signature';
/** How old a signed webhook may be: older ones are refused, so a captured one cannot be replayed later. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The body of a test gateway webhook: an event about one charge, with the charge's amounts after it. */
export const TestGatewayEvent = Type.Object(
  {
    id: Type.String({
      pattern: '^evt_[A-Za-z0-9]{1,64}$',
      description: 'evt_ and up to 64 letters or digits',
    }),
    type: Type.String({
      pattern: '^[a-z_]{1,32}(\\.[a-z_]{1,32}){0,3}$',
      description: 'dotted lower-case words such as charge.refunded',
    }),
    created: Type.Integer({ minimum: 0, maximum: 99_999_999_999 }),
    data: Type.Object(
      {
        charge: Type.String({ pattern: '^ch_[A-Za-z0-9_]{1,64}$', description: 'ch_ and the charge id' }),
        amountCaptured: Type.Optional(MinorUnits),
        amountRefunded: Type.Optional(MinorUnits),
        voided: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type TestGatewayEvent = Static<typeof TestGatewayEvent>;

/** The signature header of a webhook body, as the test gateway sends it (tests and local tools sign with it). */
export function signTestGatewayWebhook(secret: string, rawBody: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

const CAPTURE_FAILS = '_cf';
const REMEMBERED_KEYS = 10_000;

function invalidSignature(reason: string): InvalidParameter {
  return new InvalidParameter(SIGNATURE_HEADER, reason, 'headers', { code: 'invalid_webhook_signature' });
}

/**
 * The built-in provider, like a card processor's test mode: the test cards decline, lack funds or
 * fail their capture; every other card succeeds. It keeps no charges: what it must know of a charge
 * later (that its capture fails) travels in the charge's reference. Like a real processor it
 * honours idempotency keys: a key sent again answers what it answered first.
 */
export class TestGateway implements PaymentProvider {
  readonly name = 'test';
  readonly webhookBody = TestGatewayEvent;
  private readonly answered = new Map<string, { request: string; outcome: ProviderOutcome<object> }>();

  constructor(
    private readonly options: {
      /** The secret webhooks are signed with; without one, every webhook is refused. */
      webhookSecret?: string;
      now?: () => number;
    } = {},
  ) {}

  async tokenize(card: CardInput): Promise<TokenizedCard> {
    return {
      brand: cardBrand(card.number),
      last4: card.number.slice(-4),
      providerToken: null,
      testOutcome: TEST_CARDS[card.number] ?? 'succeeds',
    };
  }

  async authorize(request: AuthorizeRequest): Promise<ProviderOutcome<{ providerRef: string }>> {
    const { card, amount, currency } = request;
    const sent = { op: 'authorize', token: card.tokenId, amount, currency };
    return this.once(request.idempotencyKey, sent, (): ProviderOutcome<{ providerRef: string }> => {
      switch (card.testOutcome) {
        case 'declined':
          return { ok: false, code: 'card_declined', message: 'The card was declined.' };
        case 'insufficient_funds':
          return { ok: false, code: 'insufficient_funds', message: 'The card has insufficient funds.' };
        default: {
          const ref = `ch_${randomBytes(12).toString('hex')}`;
          return { ok: true, providerRef: card.testOutcome === 'capture_fails' ? ref + CAPTURE_FAILS : ref };
        }
      }
    });
  }

  async capture(request: ChargeRequest): Promise<ProviderOutcome> {
    return this.once(request.idempotencyKey, { op: 'capture', ...request }, (): ProviderOutcome =>
      request.providerRef.endsWith(CAPTURE_FAILS)
        ? { ok: false, code: 'capture_failed', message: 'The card issuer refused the capture.' }
        : { ok: true },
    );
  }

  async void(request: Omit<ChargeRequest, 'amount'>): Promise<ProviderOutcome> {
    return this.once(request.idempotencyKey, { op: 'void', ...request }, (): ProviderOutcome => ({
      ok: true,
    }));
  }

  async refund(request: ChargeRequest): Promise<ProviderOutcome> {
    return this.once(request.idempotencyKey, { op: 'refund', ...request }, (): ProviderOutcome => ({
      ok: true,
    }));
  }

  verifyWebhook(headers: Record<string, string | string[] | undefined>, rawBody: Buffer): ProviderEvent {
    const secret = this.options.webhookSecret;
    if (!secret) throw invalidSignature('cannot be checked: no webhook secret is configured');
    const header = headers[SIGNATURE_HEADER];
    if (typeof header !== 'string') throw invalidSignature('is missing');
    let timestamp: number | undefined;
    const signatures: string[] = [];
    for (const part of header.split(',')) {
      const [name, value] = part.trim().split('=', 2);
      if (name === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
      else if (name === 'v1' && value) signatures.push(value);
    }
    if (timestamp === undefined || signatures.length === 0)
      throw invalidSignature('is not t=<time>,v1=<hmac>');
    const now = Math.floor((this.options.now?.() ?? Date.now()) / 1000);
    if (Math.abs(now - timestamp) > WEBHOOK_TOLERANCE_SECONDS) {
      throw invalidSignature(`is older than ${WEBHOOK_TOLERANCE_SECONDS} seconds (or from the future)`);
    }
    const expected = signTestGatewayWebhook(secret, rawBody.toString('utf8'), timestamp).split('v1=')[1]!;
    // Any of the signatures may match (several are sent while a secret is being replaced); compared in constant time.
    if (!signatures.some((signature) => secretsEqual(signature, expected))) {
      throw invalidSignature('does not match the body');
    }
    const event = JSON.parse(rawBody.toString('utf8')) as TestGatewayEvent;
    return {
      id: event.id,
      type: event.type,
      providerRef: event.data.charge,
      ...(event.data.amountCaptured === undefined ? {} : { amountCaptured: event.data.amountCaptured }),
      ...(event.data.amountRefunded === undefined ? {} : { amountRefunded: event.data.amountRefunded }),
      ...(event.data.voided === undefined ? {} : { voided: event.data.voided }),
    };
  }

  /** Answers a key sent again with its first answer; the same key for another request is a caller's bug. */
  private once<T extends object>(
    key: string,
    request: object,
    act: () => ProviderOutcome<T>,
  ): Promise<ProviderOutcome<T>> {
    const text = JSON.stringify(request);
    const earlier = this.answered.get(key);
    if (earlier) {
      if (earlier.request !== text) throw new Error(`idempotency key ${key} was sent with another request`);
      return Promise.resolve(earlier.outcome as ProviderOutcome<T>);
    }
    const outcome = act();
    this.answered.set(key, { request: text, outcome });
    if (this.answered.size > REMEMBERED_KEYS) this.answered.delete(this.answered.keys().next().value!);
    return Promise.resolve(outcome);
  }
}
