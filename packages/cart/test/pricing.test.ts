import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allocate, discountAmount, divideRoundHalfUp, priceCart, taxOf } from '../src/services/pricing.js';
import { rateFor } from '../src/services/tax-settings.js';

describe('cart pricing arithmetic', () => {
  test('rounding is half up on whole minor units', () => {
    assert.equal(divideRoundHalfUp(5n, 10n), 1n);
    assert.equal(divideRoundHalfUp(4n, 10n), 0n);
    assert.equal(divideRoundHalfUp(15n, 10n), 2n);
    assert.equal(divideRoundHalfUp(25n, 10n), 3n);
  });

  test('tax of 3 x 3.33 is computed on the line total: 19% and 7.7%, net and gross', () => {
    // Net 9.99: 1.8981 -> 1.90; 0.76923 -> 0.77.
    assert.equal(taxOf(999, 1900, false), 190);
    assert.equal(taxOf(999, 770, false), 77);
    // Gross 9.99: net 8.39496 -> 8.39, tax 1.60; net 9.27577 -> 9.28, tax 0.71.
    assert.equal(taxOf(999, 1900, true), 160);
    assert.equal(taxOf(999, 770, true), 71);
    // Per unit it would have been 3 x 0.63 = 1.89: the rule rounds once per line.
    assert.equal(3 * taxOf(333, 1900, false), 189);
  });

  test('a discount is allocated by largest remainder and always sums exactly', () => {
    assert.deepEqual(allocate(200, [999, 1000]), [100, 100]);
    assert.deepEqual(allocate(100, [1, 1, 1]), [34, 33, 33]);
    assert.deepEqual(allocate(2, [1, 1, 1]), [1, 1, 0]);
    assert.deepEqual(allocate(0, [5, 7]), [0, 0]);
    assert.deepEqual(allocate(10, [0, 0]), [0, 0]);
    for (const [amount, weights] of [
      [997, [333, 333, 334, 1]],
      [1, [1_999_999_999, 1]],
      [123_456, [7, 11, 13, 17, 19]],
    ] as Array<[number, number[]]>) {
      const parts = allocate(amount, weights);
      assert.equal(
        parts.reduce((a, b) => a + b, 0),
        amount,
      );
      parts.forEach((part, i) =>
        assert.ok(Math.abs(part - (amount * weights[i]!) / weights.reduce((a, b) => a + b)) < 1),
      );
    }
  });

  test('discounts: a percentage rounds half up, a fixed amount never passes the subtotal', () => {
    assert.equal(discountAmount({ kind: 'percentage', value: 1000 }, 1999), 200);
    assert.equal(discountAmount({ kind: 'percentage', value: 1250 }, 1004), 126);
    assert.equal(discountAmount({ kind: 'fixed', value: 500 }, 300), 300);
  });

  test('a priced cart adds up: lines, shipping and tax make the total, in both conventions', () => {
    const lines = [
      { unitPrice: 333, quantity: 3, rateBasisPoints: 1900 },
      { unitPrice: 1000, quantity: 1, rateBasisPoints: 1900 },
    ];
    const net = priceCart({
      pricesIncludeTax: false,
      lines,
      discount: 200,
      shipping: { price: 490, rateBasisPoints: 1900 },
    });
    assert.deepEqual(net, {
      lines: [
        { subtotal: 999, discount: 100, tax: 171, total: 1070 },
        { subtotal: 1000, discount: 100, tax: 171, total: 1071 },
      ],
      subtotal: 1999,
      discount: 200,
      shipping: 490,
      shippingTax: 93,
      tax: 435,
      total: 2724,
    });
    const gross = priceCart({
      pricesIncludeTax: true,
      lines,
      discount: 200,
      shipping: { price: 490, rateBasisPoints: 1900 },
    });
    assert.deepEqual(gross, {
      lines: [
        { subtotal: 999, discount: 100, tax: 144, total: 899 },
        { subtotal: 1000, discount: 100, tax: 144, total: 900 },
      ],
      subtotal: 1999,
      discount: 200,
      shipping: 490,
      shippingTax: 78,
      tax: 366,
      total: 2289,
    });
  });

  test('amounts past 2^53 in the intermediate product stay exact', () => {
    assert.equal(taxOf(2_000_000_000 * 1000, 1900, false), 380_000_000_000);
    assert.equal(taxOf(2_000_000_000 * 1000, 1900, true), 2_000_000_000_000 - 1_680_672_268_908);
  });

  test('a class without a rate of its own is taxed at the standard rate; no country, no tax', () => {
    const snapshot = {
      pricesIncludeTax: false,
      defaultCountry: 'DE',
      rates: { DE: { standard: 1900, reduced: 700 } },
    };
    assert.equal(rateFor(snapshot, 'DE', 'reduced'), 700);
    assert.equal(rateFor(snapshot, 'DE', 'books'), 1900);
    assert.equal(rateFor(snapshot, 'US', 'standard'), 0);
    assert.equal(rateFor(snapshot, null, 'standard'), 0);
  });
});
