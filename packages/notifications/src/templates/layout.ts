import type { Order } from '@shopstack/orders';
import {
  addressLines,
  escapeHtml as e,
  formatMoney,
  shipmentsOf,
  totalRows,
  type OrderMailInput,
  type RenderedMail,
} from './format.js';

/**
 * The parts every order e-mail shares (greeting, lines, totals, address, shipments), in HTML and
 * plain text. Each kind's module says what is special about it: subject, headline, a paragraph.
 */
export interface OrderMailContent {
  subject: string;
  headline: string;
  paragraphs: string[];
  showShipments: boolean;
}

export function renderOrderMail(input: OrderMailInput, content: OrderMailContent): RenderedMail {
  return {
    subject: content.subject,
    html: orderHtml(input, content),
    text: orderText(input, content),
  };
}

function lineRowsHtml(order: Order): string {
  return order.lines
    .map(
      (line) => `
        <tr>
          <td>${e(line.name)}<br><small>${e(line.sku)}</small></td>
          <td style="text-align:right">${e(line.quantity)} &times; ${e(formatMoney(line.unitPrice, order.currency))}</td>
          <td style="text-align:right">${e(formatMoney(line.total, order.currency))}</td>
        </tr>`,
    )
    .join('');
}

function shipmentsHtml(order: Order): string {
  const shipments = shipmentsOf(order);
  if (!shipments.length) return '';
  const items = shipments
    .map(
      (s) =>
        `<li>${e(s.carrier)}${s.trackingNumber ? `: tracking number <strong>${e(s.trackingNumber)}</strong>` : ''}</li>`,
    )
    .join('');
  return `<h2>Shipment</h2><ul>${items}</ul>`;
}

function orderHtml({ storeName, order }: OrderMailInput, content: OrderMailContent): string {
  const address = addressLines(order);
  const totals = totalRows(order)
    .map(
      ([label, amount]) =>
        `<tr><td colspan="2">${e(label)}</td><td style="text-align:right">${e(amount)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>${e(content.subject)}</title></head>
  <body style="font-family:sans-serif;color:#222">
    <p style="font-size:small;color:#666">${e(storeName)}</p>
    <h1>${e(content.headline)}</h1>
    ${content.paragraphs.map((p) => `<p>${e(p)}</p>`).join('\n    ')}
    ${content.showShipments ? shipmentsHtml(order) : ''}
    <h2>Order ${e(order.number)}</h2>
    <table cellpadding="4" style="border-collapse:collapse">
      <tbody>${lineRowsHtml(order)}
      </tbody>
      <tfoot>${totals}</tfoot>
    </table>
    ${address.length ? `<h2>Shipping address</h2><p>${address.map(e).join('<br>')}</p>` : ''}
    <p style="font-size:small;color:#666">${e(storeName)}</p>
  </body>
</html>
`;
}

function orderText({ storeName, order }: OrderMailInput, content: OrderMailContent): string {
  const out: string[] = [content.headline, '', ...content.paragraphs.flatMap((p) => [p, ''])];
  const shipments = content.showShipments ? shipmentsOf(order) : [];
  if (shipments.length) {
    out.push('Shipment:');
    for (const s of shipments) {
      out.push(`  ${s.carrier}${s.trackingNumber ? `, tracking number ${s.trackingNumber}` : ''}`);
    }
    out.push('');
  }
  out.push(`Order ${order.number}`);
  for (const line of order.lines) {
    const unit = formatMoney(line.unitPrice, order.currency);
    out.push(
      `  ${line.quantity} x ${line.name} (${line.sku}) at ${unit}: ${formatMoney(line.total, order.currency)}`,
    );
  }
  out.push('');
  for (const [label, amount] of totalRows(order)) out.push(`${label}: ${amount}`);
  const address = addressLines(order);
  if (address.length) out.push('', 'Shipping address:', ...address.map((line) => `  ${line}`));
  out.push('', storeName, '');
  return out.join('\n');
}
