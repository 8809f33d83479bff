import type { Order } from '@shopstack/orders';

/** Escapes a value for HTML text and attribute values: every interpolated value goes through it. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The locale messages are written in; amounts follow it with the order's currency. */
export const MAIL_LOCALE = 'en';

/** An amount in minor units formatted for the currency ("€12.34"), with the currency's own decimals. */
export function formatMoney(minor: number, currency: string, locale = MAIL_LOCALE): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/** A shipment as the order view may carry it (present once orders record shipments). */
export interface ShipmentView {
  carrier: string;
  trackingNumber: string | null;
  status?: string;
}

/** What a template needs: the store's name and the order as the orders service shows it. */
export interface OrderMailInput {
  storeName: string;
  order: Order;
}

/** The three parts of an e-mail. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** The order's shipments if its view carries them; [] when it does not (or not yet). */
export function shipmentsOf(order: Order): ShipmentView[] {
  const shipments = (order as { shipments?: unknown }).shipments;
  if (!Array.isArray(shipments)) return [];
  return shipments.flatMap((s: unknown) => {
    const shipment = s as { carrier?: unknown; trackingNumber?: unknown; status?: unknown };
    if (typeof shipment?.carrier !== 'string') return [];
    return [
      {
        carrier: shipment.carrier,
        trackingNumber: typeof shipment.trackingNumber === 'string' ? shipment.trackingNumber : null,
        ...(typeof shipment.status === 'string' ? { status: shipment.status } : {}),
      },
    ];
  });
}

/** The address lines of the order's shipping address, [] when the order has none. */
export function addressLines(order: Order): string[] {
  const a = (order as { shippingAddress?: Order['shippingAddress'] | null }).shippingAddress;
  if (!a) return [];
  return [
    a.recipient,
    a.line1,
    a.line2 ?? '',
    [a.postalCode, a.city].join(' '),
    a.region ?? '',
    a.country,
  ].filter((line) => line.trim() !== '');
}

/** The totals rows of an order: label and formatted amount, zero discounts and refunds left out. */
export function totalRows(order: Order): Array<[string, string]> {
  const money = (minor: number) => formatMoney(minor, order.currency);
  const t = order.totals;
  const rows: Array<[string, string]> = [['Subtotal', money(t.subtotal)]];
  if (t.discount > 0) rows.push(['Discount', `-${money(t.discount)}`]);
  rows.push(['Shipping', money(t.shipping)]);
  rows.push([t.pricesIncludeTax ? 'Tax included' : 'Tax', money(t.tax)]);
  rows.push(['Total', money(t.total)]);
  if (t.refunded > 0) rows.push(['Refunded', money(t.refunded)]);
  return rows;
}
