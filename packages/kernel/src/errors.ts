/** Base of every error that the domain raises on purpose; the HTTP layer maps each kind to a status. */
export abstract class DomainError extends Error {
  abstract readonly kind:
    | 'not-found'
    | 'conflict'
    | 'invalid-state'
    | 'forbidden'
    | 'unauthorized'
    | 'invalid-input'
    | 'invalid-parameter'
    | 'rate-limited'
    | 'payment-required'
    | 'unsupported-media'
    | 'unavailable';
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  readonly kind = 'not-found';
}

export class Conflict extends DomainError {
  readonly kind = 'conflict';
}

export class InvalidState extends DomainError {
  readonly kind = 'invalid-state';
}

export class Forbidden extends DomainError {
  readonly kind = 'forbidden';
}

export class Unauthorized extends DomainError {
  readonly kind = 'unauthorized';
}

/** Input that passed schema validation but breaks a domain rule; `field` names the offending input. */
export class InvalidInput extends DomainError {
  readonly kind = 'invalid-input';
  constructor(
    message: string,
    readonly field?: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

/**
 * A request parameter that passed its schema but cannot be used (a cursor of another listing, an
 * option that needs another one), or a body that cannot be read as sent (a byte that is not UTF-8).
 * Answered like a schema validation error: 400 naming `field`; `details.code`, when given, names the
 * problem more precisely than `validation`.
 */
export class InvalidParameter extends DomainError {
  readonly kind = 'invalid-parameter';
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly location: 'querystring' | 'params' | 'body' | 'headers' = 'querystring',
    details: Record<string, unknown> = {},
  ) {
    // The whole of a part is named once: "body is not valid UTF-8", not "body body ...".
    super(field === location ? `${location} ${reason}` : `${location} ${field} ${reason}`, details);
  }
}

/**
 * Another service this one needs could not be asked, failed, or did not answer in time: answered
 * 503 with Retry-After, so the caller tries again later. The message the caller sees names only the
 * service; `reason` (logged, never sent) says what happened, and `upstreamStatus` what the other
 * service answered, if anything.
 */
export class UpstreamUnavailable extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    readonly service: string,
    readonly reason: string,
    readonly upstreamStatus?: number,
    cause?: unknown,
  ) {
    super(`The ${service} service cannot answer right now; try again shortly.`, { service });
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * Too many attempts of something a limit guards (signing in, say): answered 429 with Retry-After,
 * so the caller knows when it may try again.
 */
export class TooManyRequests extends DomainError {
  readonly kind = 'rate-limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

/**
 * A payment that did not go through (a declined card, too little money, a capture the card issuer
 * refused): answered 402, and `details.code` says which (card_declined, insufficient_funds, ...).
 */
export class PaymentRequired extends DomainError {
  readonly kind = 'payment-required';
}

/**
 * A body whose content is not of a kind the operation takes, whatever its Content-Type said (a text
 * file sent as image/png, say): answered 415, and `details.code` says which (unsupported_image, ...).
 */
export class UnsupportedMedia extends DomainError {
  readonly kind = 'unsupported-media';
}
