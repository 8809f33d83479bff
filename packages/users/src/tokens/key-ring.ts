import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import type { JWTVerifyGetKey } from 'jose';
import type { SigningKeyRepository } from '../repositories/signing-keys.js';
import type { JwkSet } from '../schemas/account.js';
import { ACCESS_TOKEN_ALGORITHM } from './claims.js';

interface LoadedKey {
  kid: string;
  publicJwk: { kty: string; crv: string; x: string };
  publicKey: KeyObject;
  privateKey: KeyObject;
  active: boolean;
}

/** A token naming a key this process does not know makes it read the keys again, at most this often. */
const RELOAD_INTERVAL_MS = 10_000;

/**
 * The store's signing keys, as every process of the store shares them through the users schema.
 * The first start of a store creates an Ed25519 key; the active key signs, every key verifies.
 */
export class KeyRing {
  private keys = new Map<string, LoadedKey>();
  private active?: LoadedKey;
  private lastLoad = 0;
  private loading?: Promise<void>;

  constructor(private readonly repository: SigningKeyRepository) {}

  /** Loads the keys, creating the store's first one if there is none. */
  async start(): Promise<void> {
    await this.load();
    if (this.active) return;
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    await this.repository.addActive({
      kid: randomUUID(),
      alg: ACCESS_TOKEN_ALGORITHM,
      public_jwk: JSON.stringify(publicKey.export({ format: 'jwk' })),
      private_jwk: JSON.stringify(privateKey.export({ format: 'jwk' })),
    });
    // Another process may have won the race to create it: read whichever key is now the active one.
    await this.load();
    if (!this.active) throw new Error('users: no active signing key after creating one');
  }

  private async load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await this.repository.all();
        const keys = new Map<string, LoadedKey>();
        for (const row of rows) {
          const publicJwk = row.public_jwk as LoadedKey['publicJwk'];
          keys.set(row.kid, {
            kid: row.kid,
            publicJwk,
            publicKey: createPublicKey({ key: publicJwk, format: 'jwk' }),
            privateKey: createPrivateKey({ key: row.private_jwk as { kty: string }, format: 'jwk' }),
            active: row.retired_at === null,
          });
        }
        this.keys = keys;
        this.active = [...keys.values()].find((key) => key.active);
        this.lastLoad = Date.now();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** The key new tokens are signed with, and its id. */
  signingKey(): { kid: string; key: KeyObject } {
    if (!this.active) throw new Error('users: the key ring has not started');
    return { kid: this.active.kid, key: this.active.privateKey };
  }

  /** The verification key a token's header names (jose's key resolver); an unknown kid fails verification. */
  readonly resolve: JWTVerifyGetKey = async (header) => {
    const kid = header.kid;
    if (typeof kid !== 'string') throw new Error('access token without kid');
    let key = this.keys.get(kid);
    if (!key && Date.now() - this.lastLoad > RELOAD_INTERVAL_MS) {
      await this.load();
      key = this.keys.get(kid);
    }
    if (!key) throw new Error(`unknown signing key ${kid}`);
    return key.publicKey;
  };

  /** The public keys as a JWK Set (RFC 7517), for processes that verify tokens without this ring. */
  jwks(): JwkSet {
    return {
      keys: [...this.keys.values()].map((key) => ({
        kty: key.publicJwk.kty,
        crv: key.publicJwk.crv,
        x: key.publicJwk.x,
        kid: key.kid,
        alg: ACCESS_TOKEN_ALGORITHM,
        use: 'sig' as const,
      })),
    };
  }
}
