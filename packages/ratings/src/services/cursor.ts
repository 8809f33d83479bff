import { InvalidParameter } from '@shopstack/kernel';
import type { ReviewPageAfter } from '../repositories/reviews.js';
import type { ReviewRow } from '../tables.js';

/** Which listing a cursor belongs to: a cursor of one is refused by another. */
export type Listing = 'newest' | 'helpful' | 'staff';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cursor of the page after this row. */
export function encodeCursor(listing: Listing, row: ReviewRow): string {
  const data =
    listing === 'helpful' ? { l: listing, id: row.id, h: row.helpful_count } : { l: listing, id: row.id };
  return Buffer.from(JSON.stringify(data)).toString('base64url');
}

function invalidCursor(): InvalidParameter {
  return new InvalidParameter('cursor', 'is not a cursor of this listing', 'querystring', {
    code: 'invalid_cursor',
  });
}

/** Where the page after a cursor starts; InvalidParameter invalid_cursor for a forged or foreign one. */
export function decodeCursor(listing: Listing, cursor: string | undefined): ReviewPageAfter {
  if (cursor === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof data !== 'object' || data === null) throw invalidCursor();
  const { l, id, h } = data as Record<string, unknown>;
  if (l !== listing || typeof id !== 'string' || !UUID.test(id)) throw invalidCursor();
  if (listing !== 'helpful') return { id };
  if (!Number.isInteger(h) || (h as number) < 0 || (h as number) > 2_147_483_647) throw invalidCursor();
  return { id, helpfulCount: h as number };
}
