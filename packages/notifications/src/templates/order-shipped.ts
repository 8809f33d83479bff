import { shipmentsOf, type OrderMailInput, type RenderedMail } from './format.js';
import { renderOrderMail } from './layout.js';

/** Sent when an order leaves the warehouse, with its carrier and tracking number when known. */
export function orderShippedMail(input: OrderMailInput): RenderedMail {
  const { storeName, order } = input;
  const tracked = shipmentsOf(order).some((s) => s.trackingNumber);
  return renderOrderMail(input, {
    subject: `${storeName}: order ${order.number} has shipped`,
    headline: 'Your order is on its way',
    paragraphs: [
      `Order ${order.number} has been handed to the carrier.${tracked ? ' You can follow it with the tracking number below.' : ''}`,
    ],
    showShipments: true,
  });
}
