import type { OrderMailInput, RenderedMail } from './format.js';
import { renderOrderMail } from './layout.js';

/** Sent when the carrier reports the order delivered. */
export function orderDeliveredMail(input: OrderMailInput): RenderedMail {
  const { storeName, order } = input;
  return renderOrderMail(input, {
    subject: `${storeName}: order ${order.number} was delivered`,
    headline: 'Your order has arrived',
    paragraphs: [`Order ${order.number} was delivered. We hope you enjoy it.`],
    showShipments: true,
  });
}
