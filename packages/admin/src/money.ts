const digitsByCurrency = new Map<string, number>();
const formats = new Map<string, Intl.NumberFormat>();

/** Digits after the decimal point of a currency's minor unit (2 for EUR, 0 for JPY); 2 when Intl does not know it. */
export function fractionDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/** An amount in minor units as the browser's locale writes money, e.g. 1999 EUR -> "€19.99". */
export function formatMoney(amount: number, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      format = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 });
    }
    formats.set(currency, format);
  }
  return format.format(amount / 10 ** fractionDigits(currency));
}

/** Minor units as a decimal in major units for an input, e.g. 1999 EUR -> "19.99". */
export function toMajor(amount: number, currency: string): string {
  const digits = fractionDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

/**
 * Minor units of an amount typed in major units ("19.99", "19,99", "1,299.00", "5"), without
 * floating-point rounding; null when the text is not an amount of this currency.
 */
export function toMinor(text: string, currency: string): number | null {
  let value = text.trim().replace(/\s/g, '');
  if (value.includes('.') && value.includes(',')) value = value.replace(/,/g, '');
  else value = value.replace(',', '.');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(value);
  if (!match) return null;
  const digits = fractionDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}
