import { Type, type Static } from '@sinclair/typebox';
import { Currency, Id, MinorUnits, Nullable, Timestamp } from '@shopstack/kernel';
import { PaymentReference, PositiveAmount, positiveAmountAs, RefundReference, TokenId } from './common.js';
import { CardBrand } from './token.js';

export const IntentStatus = Type.Union(
  (['authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'failed'] as const).map((status) =>
    Type.Literal(status),
  ),
  { description: 'one of authorized, captured, partially_refunded, refunded, voided, failed' },
);

export const AuthorizeInput = Type.Object(
  {
    token: TokenId,
    amount: PositiveAmount,
    currency: Currency,
    reference: PaymentReference,
    customerId: Type.Optional(Nullable(Id)),
    email: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 254,
        pattern: '^[^\\s@]+@[^\\s@]+$',
        description: 'where the provider may send a receipt (not kept)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AuthorizeInput = Static<typeof AuthorizeInput>;

export const CaptureInput = Type.Object(
  {
    amount: Type.Optional(
      positiveAmountAs('minor units to capture, at most the authorized amount; all of it when left out'),
    ),
  },
  { additionalProperties: false },
);
export type CaptureInput = Static<typeof CaptureInput>;

export const RefundInput = Type.Object(
  {
    amount: Type.Optional(
      positiveAmountAs(
        'minor units to refund, at most what is captured and not yet refunded; all of that when left out',
      ),
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    reference: Type.Optional(RefundReference),
  },
  { additionalProperties: false },
);
export type RefundInput = Static<typeof RefundInput>;

export const PaymentRefund = Type.Object(
  {
    id: Id,
    amount: PositiveAmount,
    reason: Nullable(Type.String()),
    reference: Nullable(Type.String()),
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);
export type PaymentRefund = Static<typeof PaymentRefund>;

export const PaymentIntent = Type.Object(
  {
    id: Id,
    reference: PaymentReference,
    status: IntentStatus,
    amount: PositiveAmount,
    currency: Currency,
    amountCaptured: MinorUnits,
    amountRefunded: MinorUnits,
    card: Nullable(
      Type.Object(
        { brand: CardBrand, last4: Type.String({ pattern: '^[0-9]{4}$' }) },
        { additionalProperties: false },
      ),
    ),
    customerId: Nullable(Type.String()),
    failureCode: Nullable(Type.String()),
    refunds: Type.Array(PaymentRefund),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type PaymentIntent = Static<typeof PaymentIntent>;

export const IntentListQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    reference: Type.Optional(PaymentReference),
    status: Type.Optional(IntentStatus),
  },
  { additionalProperties: false },
);
export type IntentListQuery = Static<typeof IntentListQuery>;

export const IntentPage = Type.Object(
  {
    items: Type.Array(PaymentIntent),
    total: Type.Integer({ minimum: 0 }),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  },
  { additionalProperties: false },
);
export type IntentPage = Static<typeof IntentPage>;

export const WebhookReceipt = Type.Object(
  {
    received: Type.Literal(true),
    eventId: Type.String(),
    duplicate: Type.Boolean({
      description: 'true when the event had been received before: nothing was done again',
    }),
  },
  { additionalProperties: false },
);
export type WebhookReceipt = Static<typeof WebhookReceipt>;
