import type { StoreInfo } from './shop.js';

const formats = new Map<string, Intl.NumberFormat>();

/** An amount in minor units as the store's locale writes it, e.g. 1999 EUR -> "€19.99". */
export function formatMoney(amount: number, currency: string, store: Pick<StoreInfo, 'locale'>): string {
  const key = `${store.locale}|${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(store.locale, { style: 'currency', currency });
    formats.set(key, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

/** Minor units of a decimal amount typed by a person in major units, e.g. "19.99" EUR -> 1999. */
export function minorUnits(major: number, currency: string, store: Pick<StoreInfo, 'locale'>): number {
  const digits =
    new Intl.NumberFormat(store.locale, { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  return Math.round(major * 10 ** digits);
}

export function formatDate(iso: string, store: Pick<StoreInfo, 'locale'>): string {
  // UTC on the server and in every browser alike, so that a server-rendered date never differs.
  return new Intl.DateTimeFormat(store.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(iso),
  );
}

/** An amount in minor units as a plain decimal string, e.g. 1999 EUR -> "19.99" (for schema.org prices). */
export function decimalAmount(amount: number, currency: string): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (amount / 10 ** digits).toFixed(digits);
}
