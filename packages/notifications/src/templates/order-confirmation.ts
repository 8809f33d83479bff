import type { OrderMailInput, RenderedMail } from './format.js';
import { renderOrderMail } from './layout.js';

/** Sent when an order is paid: what was bought, what it cost, where it goes. */
export function orderConfirmationMail(input: OrderMailInput): RenderedMail {
  const { storeName, order } = input;
  const recipient = order.shippingAddress?.recipient;
  return renderOrderMail(input, {
    subject: `${storeName}: order ${order.number} confirmed`,
    headline: 'Thank you for your order',
    paragraphs: [
      `${recipient ? `Hello ${recipient}, w` : 'W'}e have received your payment for order ${order.number}. We will let you know when it ships.`,
    ],
    showShipments: false,
  });
}
