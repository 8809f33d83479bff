import type { Account } from '../schemas/account.js';
import type { Address, Session } from '../schemas/profile.js';
import type { AddressRow, SessionRow, UserRow } from '../tables.js';

/** How rows read in answers: camelCase, ISO timestamps, and never a password hash. */

export function accountView(row: UserRow): Account {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    role: row.role,
    createdAt: row.created_at.toISOString(),
  };
}

export function addressView(row: AddressRow): Address {
  return {
    id: row.id,
    label: row.label,
    recipient: row.recipient,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    postalCode: row.postal_code,
    region: row.region,
    country: row.country,
    phone: row.phone,
    isDefault: row.is_default,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function sessionView(row: SessionRow): Session {
  return {
    id: row.id,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedReason: row.revoked_reason,
    userAgent: row.user_agent,
  };
}
