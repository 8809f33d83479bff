import { randomInt } from 'node:crypto';
import { assertInput, InvalidInput, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import { cardDigits, isExpired, passesLuhn } from '../providers/cards.js';
import type { PaymentProvider } from '../providers/provider.js';
import { TokenRepository } from '../repositories/tokens.js';
import { CreateTokenInput, type CardToken } from '../schemas/token.js';
import type { PaymentTables } from '../tables.js';

/** How long a token may wait for its authorization. */
export const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function newTokenId(): string {
  let id = 'tok_';
  for (let i = 0; i < 24; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/**
 * Card tokens: card details in, a token out that stands for the card for an hour. The number and
 * CVC go to the provider's tokenize and nowhere else: no table, log line or answer holds them, and
 * refusals name the field without its value.
 */
export class TokenService {
  readonly repo: TokenRepository;

  constructor(
    runtime: ServiceRuntime<PaymentTables>,
    private readonly provider: PaymentProvider,
  ) {
    this.repo = new TokenRepository(runtime.uow, runtime.schema);
  }

  /** Anyone may tokenize a card (shoppers do it before they sign in). */
  async tokenize(ctx: RequestContext, input: CreateTokenInput, now = new Date()): Promise<CardToken> {
    assertInput(CreateTokenInput, input);
    const number = cardDigits(input.number);
    if (number.length < 12 || number.length > 19 || !passesLuhn(number)) {
      throw new InvalidInput('This is not a valid card number.', 'number', { code: 'invalid_card_number' });
    }
    if (isExpired(input.expMonth, input.expYear, now)) {
      throw new InvalidInput('The card has expired.', 'expYear', { code: 'card_expired' });
    }
    if (!this.provider.tokenize) {
      throw new InvalidInput(
        `Cards are tokenized by the ${this.provider.name} provider's own form.`,
        'number',
        {
          code: 'tokenization_unsupported',
        },
      );
    }
    const card = await this.provider.tokenize({
      number,
      expMonth: input.expMonth,
      expYear: input.expYear,
      cvc: input.cvc,
    });
    const row = await this.repo.insert({
      id: newTokenId(),
      provider: this.provider.name,
      provider_token: card.providerToken,
      brand: card.brand,
      last4: card.last4,
      exp_month: input.expMonth,
      exp_year: input.expYear,
      test_outcome: card.testOutcome,
      expires_at: new Date(now.getTime() + TOKEN_LIFETIME_MS),
      used_at: null,
    });
    ctx.log.info({ tokenId: row.id, brand: row.brand }, 'card tokenized');
    return {
      token: row.id,
      brand: row.brand,
      last4: row.last4,
      expMonth: row.exp_month,
      expYear: row.exp_year,
    };
  }
}
