import { Type, type Static } from '@sinclair/typebox';
import { TokenId } from './common.js';

const CardBrand = Type.Union(
  (['visa', 'mastercard', 'amex', 'unknown'] as const).map((brand) => Type.Literal(brand)),
  { description: 'the card scheme, from the number: visa, mastercard, amex or unknown' },
);

/** Card details as a shopper types them; none of it but brand, last four digits and expiry is kept. */
export const CreateTokenInput = Type.Object(
  {
    number: Type.String({
      minLength: 12,
      maxLength: 23,
      pattern: '^[0-9][0-9 -]*[0-9]$',
      description: 'the card number: 12 to 19 digits, maybe grouped with spaces or dashes',
    }),
    expMonth: Type.Integer({ minimum: 1, maximum: 12 }),
    expYear: Type.Integer({ minimum: 2000, maximum: 2200, description: 'four digits, e.g. 2030' }),
    cvc: Type.String({ pattern: '^[0-9]{3,4}$', description: '3 or 4 digits' }),
  },
  { additionalProperties: false },
);
export type CreateTokenInput = Static<typeof CreateTokenInput>;

export const CardToken = Type.Object(
  {
    token: TokenId,
    brand: CardBrand,
    last4: Type.String({ pattern: '^[0-9]{4}$' }),
    expMonth: Type.Integer(),
    expYear: Type.Integer(),
  },
  { additionalProperties: false },
);
export type CardToken = Static<typeof CardToken>;

export { CardBrand };
