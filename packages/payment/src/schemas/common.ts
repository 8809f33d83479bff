import { Type } from '@sinclair/typebox';
import { Id, orderRefAs } from '@shopstack/kernel';

/** Shapes shared by the payment resources (ids, currencies and timestamps come from the kernel). */

/** What a client holds instead of a card: tok_ and 24 letters or digits. */
export const TokenId = Type.String({
  pattern: '^tok_[A-Za-z0-9]{24}$',
  description: 'a card token: tok_ and 24 letters or digits, as POST /api/payment/tokens returns it',
});

/** An amount to move, in minor units: more than nothing; described for the place it is used in. */
export const positiveAmountAs = (description: string) =>
  Type.Integer({ minimum: 1, maximum: 2_000_000_000, description });

export const PositiveAmount = positiveAmountAs('minor units (cents for EUR), at least 1');

/** The caller's reference of an intent (a checkout id): authorizing twice with it authorizes once. */
export const PaymentReference = orderRefAs(
  'The reference of what is paid for (a checkout id); authorizing again with it never authorizes twice',
);

/** The caller's reference of a refund: refunding again with it refunds nothing more. */
export const RefundReference = orderRefAs(
  'The reference of a refund (a return id, say); refunding again with it refunds nothing more',
);

export const IntentParams = Type.Object({ id: Id }, { additionalProperties: false });
