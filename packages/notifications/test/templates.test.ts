import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Order } from '@shopstack/orders';
import { escapeHtml, formatMoney } from '../src/templates/format.js';
import { orderConfirmationMail } from '../src/templates/order-confirmation.js';
import { orderDeliveredMail } from '../src/templates/order-delivered.js';
import { orderShippedMail } from '../src/templates/order-shipped.js';

const at = '2026-11-30T12:00:00.000Z';

function order(overrides: Partial<Order> = {}): Order {
  return {
    id: '0190a000-0000-7000-8000-000000000001',
    number: '1042',
    status: 'paid',
    customerId: null,
    email: 'ada@example.com',
    currency: 'EUR',
    lines: [
      {
        productId: 'p1',
        variantId: 'v1',
        sku: 'MUG-1',
        name: 'Blue mug',
        quantity: 2,
        unitPrice: 1250,
        subtotal: 2500,
        discount: 0,
        tax: 0,
        total: 2500,
      },
      {
        productId: 'p2',
        variantId: 'v2',
        sku: 'TEA-1',
        name: 'Green tea',
        quantity: 1,
        unitPrice: 399,
        subtotal: 399,
        discount: 0,
        tax: 0,
        total: 399,
      },
    ],
    totals: {
      pricesIncludeTax: true,
      subtotal: 2899,
      discount: 0,
      shipping: 490,
      tax: 541,
      total: 3389,
      refunded: 0,
    },
    discountCode: null,
    shippingAddress: {
      recipient: 'Ada Lovelace',
      line1: 'Hauptstr. 1',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DE',
    },
    shippingMethod: { id: 'm1', code: 'standard', name: 'Standard' },
    payment: null,
    settlementPending: false,
    timeline: [],
    placedAt: at,
    updatedAt: at,
    ...overrides,
  };
}

test('amounts are formatted for the order currency with its own decimals', () => {
  assert.equal(formatMoney(1234, 'EUR'), '€12.34');
  assert.equal(formatMoney(1234, 'USD'), '$12.34');
  assert.equal(formatMoney(1234, 'JPY'), '¥1,234');
  assert.equal(formatMoney(0, 'GBP'), '£0.00');
  assert.equal(formatMoney(1234, 'EUR', 'de'), '12,34\u00a0€');
});

test('escapeHtml escapes every character that could open markup or leave an attribute', () => {
  assert.equal(
    escapeHtml(`<a href="x" onclick='y'>&</a>`),
    '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
  );
});

test('an order confirmation names the store and order and lists lines, quantities, prices, totals and the address', () => {
  const mail = orderConfirmationMail({ storeName: 'Corner Shop', order: order() });
  assert.equal(mail.subject, 'Corner Shop: order 1042 confirmed');
  for (const body of [mail.text, mail.html]) {
    assert.match(body, /Corner Shop/);
    assert.match(body, /1042/);
    assert.match(body, /Blue mug/);
    assert.match(body, /Green tea/);
    assert.match(body, /€12\.50/);
    assert.match(body, /€25\.00/);
    assert.match(body, /€3\.99/);
    assert.match(body, /€4\.90/);
    assert.match(body, /€33\.89/);
    assert.match(body, /Hauptstr\. 1/);
    assert.match(body, /10115 Berlin/);
  }
  assert.match(mail.text, /2 x Blue mug \(MUG-1\) at €12\.50: €25\.00/);
  assert.match(mail.text, /Total: €33\.89/);
  assert.match(mail.html, /2 &times; €12\.50/);
  assert.doesNotMatch(mail.text, /Refunded|Discount/);
});

test('every customer- or staff-controlled value is escaped in the HTML, and left readable in the text', () => {
  const hostile = '<script>alert("x")</script>';
  const base = order();
  const mail = orderShippedMail({
    storeName: `Shop & <b>Co</b>`,
    order: {
      ...base,
      number: '<i>1</i>',
      lines: [{ ...base.lines[0]!, name: hostile, sku: `"><img src=x>` }],
      shippingAddress: { ...base.shippingAddress, recipient: hostile, line1: `O'Brien <b>` },
      ...({
        shipments: [{ carrier: hostile, trackingNumber: '<u>TN</u>', status: 'in_transit', events: [] }],
      } as object),
    },
  });
  assert.doesNotMatch(mail.html, /<script>|<img|<b>|<i>|<u>/);
  assert.match(mail.html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.match(mail.html, /Shop &amp; &lt;b&gt;Co&lt;\/b&gt;/);
  assert.match(mail.html, /O&#39;Brien &lt;b&gt;/);
  assert.match(mail.html, /&lt;u&gt;TN&lt;\/u&gt;/);
  assert.match(mail.text, /<script>alert\("x"\)<\/script>/);
});

test('a shipped e-mail gives the carrier and tracking number when the order view has shipments', () => {
  const mail = orderShippedMail({
    storeName: 'Corner Shop',
    order: {
      ...order({ status: 'shipped' }),
      ...({
        shipments: [{ carrier: 'DHL', trackingNumber: 'JD0123456789', status: 'in_transit', events: [] }],
      } as object),
    },
  });
  assert.equal(mail.subject, 'Corner Shop: order 1042 has shipped');
  assert.match(mail.text, /DHL, tracking number JD0123456789/);
  assert.match(mail.html, /DHL: tracking number <strong>JD0123456789<\/strong>/);
  assert.match(mail.text, /follow it with the tracking number/);
});

test('an order without shipments nor a shipping address still renders every kind', () => {
  const bare = order({ status: 'shipped' }) as Partial<Order>;
  delete bare.shippingAddress;
  for (const render of [orderConfirmationMail, orderShippedMail, orderDeliveredMail]) {
    const mail = render({ storeName: 'Corner Shop', order: bare as Order });
    assert.match(mail.text, /Order 1042/);
    assert.match(mail.text, /Total: €33\.89/);
    assert.doesNotMatch(mail.text, /tracking|Shipping address|Shipment/);
    assert.doesNotMatch(mail.html, /tracking|Shipping address|undefined|null/);
  }
  assert.equal(orderDeliveredMail({ storeName: 'S', order: order() }).subject, 'S: order 1042 was delivered');
});

test('a discount and a refund show in the totals when there are any', () => {
  const base = order();
  const mail = orderConfirmationMail({
    storeName: 'S',
    order: { ...base, totals: { ...base.totals, discount: 500, refunded: 1000 } },
  });
  assert.match(mail.text, /Discount: -€5\.00/);
  assert.match(mail.text, /Refunded: €10\.00/);
});
