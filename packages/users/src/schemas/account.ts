import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable, Timestamp } from '@shopstack/kernel';
import { Email, NewPassword, PersonName, Phone, PresentedPassword, Role } from './common.js';

/** An account as its holder, staff and other services see it; never its password hash. */
export const Account = Type.Object(
  {
    id: Id,
    email: Type.String(),
    name: Type.String(),
    phone: Nullable(Type.String()),
    role: Role,
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);
export type Account = Static<typeof Account>;

/** Role, id and status are the server's: a body naming them is refused. */
export const RegisterInput = Type.Object(
  { email: Email, password: NewPassword, name: PersonName, phone: Type.Optional(Phone) },
  { additionalProperties: false },
);
export type RegisterInput = Static<typeof RegisterInput>;

export const LoginInput = Type.Object(
  { email: Email, password: PresentedPassword },
  { additionalProperties: false },
);
export type LoginInput = Static<typeof LoginInput>;

/** Refresh tokens are 43 base64url characters; anything much longer is not one. */
export const RefreshInput = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type RefreshInput = Static<typeof RefreshInput>;

export const TokenPair = Type.Object(
  {
    accessToken: Type.String({ description: 'A JWT to send as `Authorization: Bearer <token>`' }),
    refreshToken: Type.String({
      description: 'An opaque token that buys the next pair once (POST /api/users/refresh)',
    }),
    expiresIn: Type.Integer({ description: 'Seconds the access token is valid' }),
    tokenType: Type.Literal('Bearer'),
  },
  { additionalProperties: false },
);
export type TokenPair = Static<typeof TokenPair>;

export const Registration = Type.Object(
  { user: Account, ...TokenPair.properties },
  { additionalProperties: false },
);
export type Registration = Static<typeof Registration>;

/** A public signing key (RFC 7517). */
export const PublicJwk = Type.Object(
  {
    kty: Type.String(),
    crv: Type.String(),
    x: Type.String(),
    kid: Type.String(),
    alg: Type.String(),
    use: Type.Literal('sig'),
  },
  { additionalProperties: false },
);

export const JwkSet = Type.Object({ keys: Type.Array(PublicJwk) }, { additionalProperties: false });
export type JwkSet = Static<typeof JwkSet>;
