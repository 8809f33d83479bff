import type { MessageKind } from '../tables.js';
import type { OrderMailInput, RenderedMail } from './format.js';
import { orderConfirmationMail } from './order-confirmation.js';
import { orderDeliveredMail } from './order-delivered.js';
import { orderShippedMail } from './order-shipped.js';

export type { OrderMailInput, RenderedMail } from './format.js';
export { escapeHtml, formatMoney } from './format.js';

/** The template of each kind of message. */
export const TEMPLATES: Record<MessageKind, (input: OrderMailInput) => RenderedMail> = {
  'order-confirmation': orderConfirmationMail,
  'order-shipped': orderShippedMail,
  'order-delivered': orderDeliveredMail,
};
