import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  browserMissing,
  describeViolations,
  DESKTOP,
  launchBrowser,
  PHONE,
  screenshot,
  seriousViolations,
} from './support/browser.js';
import { mails, STAFF, startWebShop, type WebShop } from './support/shop.js';

/**
 * The storefront and the admin in a real browser (headless Chromium): a guest's purchase from a
 * misspelt search to the confirmation, a declined card, a product made in the admin and sold in the
 * shop, the page without JavaScript, keyboard-only checkout, and axe-core on the main pages.
 */

const SUCCESS_CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000 0000 0000 0002';

interface CatalogueProduct {
  id: string;
  slug: string;
  name: string;
  inStock: boolean;
  priceRange: { min: number; max: number; currency: string } | null;
  variants: Array<{
    id: string;
    inStock: boolean;
    attributes: Record<string, string>;
    price: { amount: number };
  }>;
}

const missing = browserMissing();

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

describe('the storefront and the admin in a browser', { skip: missing ?? false }, () => {
  let web: WebShop;
  let browser: Browser;
  let product: CatalogueProduct;

  before(
    async () => {
      browser = await launchBrowser();
      web = await startWebShop();
      // A product with options and at least two variants in stock, costing enough for the welcome code.
      const list = await web.shop.app.inject({
        method: 'GET',
        url: '/api/catalogue/products?limit=100&inStock=true',
      });
      const items = (list.json() as { items: CatalogueProduct[] }).items;
      product = items.find(
        (p) =>
          p.variants.filter((v) => v.inStock).length >= 2 &&
          Object.keys(p.variants[0]!.attributes).length > 0 &&
          (p.priceRange?.min ?? 0) >= 2500 &&
          p.name.split(' ').some((w) => w.length >= 6),
      )!;
      assert.ok(product, 'the demo store has a product with two variants in stock');
    },
    { timeout: 240_000 },
  );

  after(async () => {
    await browser?.close();
    await web?.close();
  });

  async function newPage(
    viewport = DESKTOP,
    javaScriptEnabled = true,
  ): Promise<{ context: BrowserContext; page: Page }> {
    // Reduced motion: charts and transitions are drawn at once, so screenshots show them whole.
    const context = await browser.newContext({
      viewport,
      javaScriptEnabled,
      baseURL: web.url,
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page };
  }

  /** The product's name with one letter of its longest word left out, as a hurried shopper types it. */
  function misspelt(name: string): string {
    const words = name.split(' ');
    const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
    const typo = longest.slice(0, 3) + longest.slice(4);
    return words.map((w) => (w === longest ? typo : w)).join(' ');
  }

  async function addProductToCart(page: Page) {
    await page.goto(`/p/${product.slug}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByText(/Added 1 ×/).waitFor();
  }

  async function fillCheckout(page: Page, card: string) {
    await page.getByLabel('E-mail').fill('guest@web.example');
    await page.getByLabel('Full name').fill('Gina Guest');
    await page.getByLabel('Address', { exact: true }).fill('Hauptstraße 1');
    await page.getByLabel('Postal code').fill('10115');
    await page.getByLabel('City').fill('Berlin');
    await page
      .getByRole('radio', { name: /Standard/ })
      .first()
      .click();
    await page.getByText(/Shipping \(Standard/).waitFor();
    await page.getByLabel('Card number').fill(card);
    await page.getByLabel('Expiry (MM/YY)').fill('12/30');
    await page.getByLabel('Security code').fill('123');
  }

  async function signInToAdmin(page: Page) {
    await page.goto('/admin');
    await page.getByLabel('E-mail').fill(STAFF.email);
    await page.getByLabel('Password').fill(STAFF.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Dashboard' }).waitFor();
  }

  test('a guest finds a product by a misspelt search, buys a variant with a discount code, and the order reaches the admin and the mailbox', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto('/');
      await screenshot(page, 'home');
      const search = page.getByRole('combobox', { name: 'Search products' });
      await search.fill(misspelt(product.name));
      await page.getByRole('option', { name: product.name }).first().click();
      await page.getByRole('heading', { level: 1, name: product.name, exact: true }).waitFor();

      // Another variant than the one shown first: the price and availability follow the choice.
      const [option] = Object.keys(product.variants[0]!.attributes);
      const second = product.variants.filter((v) => v.inStock)[1]!;
      await page.locator('label.swatch', { hasText: second.attributes[option!]! }).first().click();
      await screenshot(page, 'product');
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.getByText(/Added 1 ×/).waitFor();

      await page.getByRole('link', { name: /^Cart 1 item/ }).click();
      await page.getByRole('heading', { name: 'Your cart' }).waitFor();
      await page.getByLabel('Discount code').fill('WELCOME10');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByText(/Discount \(WELCOME10\)/).waitFor();
      await screenshot(page, 'cart');

      await page.getByRole('link', { name: 'Go to checkout' }).click();
      await fillCheckout(page, SUCCESS_CARD);
      await screenshot(page, 'checkout');
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.getByRole('heading', { name: 'Thank you for your order!' }).waitFor();
      const number = (await page.getByTestId('order-number').first().textContent())!.trim();
      assert.match(number, /^\d+$/);
      await screenshot(page, 'confirmation');

      // The staff see it in the admin's order list.
      const admin = await newPage();
      try {
        await signInToAdmin(admin.page);
        await admin.page.getByRole('link', { name: 'Orders' }).click();
        await admin.page
          .getByRole('cell', { name: new RegExp(number) })
          .first()
          .waitFor();
      } finally {
        await admin.context.close();
      }

      // The confirmation e-mail was written.
      const deadline = Date.now() + 20_000;
      while (!mails(web.mailDir).some((m) => m.includes(number) && m.includes('guest@web.example'))) {
        assert.ok(Date.now() < deadline, 'the order confirmation e-mail was written');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await context.close();
    }
  });

  test('a declined card shows the decline and leaves the cart as it was', async () => {
    const { context, page } = await newPage();
    try {
      await addProductToCart(page);
      await page.goto('/checkout');
      await fillCheckout(page, DECLINED_CARD);
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.getByRole('alert').filter({ hasText: 'Your card was declined' }).waitFor();
      await page.goto('/cart');
      await page.locator('.cart-line').first().waitFor();
      assert.equal(await page.locator('.cart-line').count(), 1);
      assert.equal(await page.getByRole('link', { name: /^Cart 1 item/ }).count(), 1);
    } finally {
      await context.close();
    }
  });

  test('a product page fetched without JavaScript holds its name, price and Product JSON-LD', async () => {
    const { context, page } = await newPage(DESKTOP, false);
    try {
      const response = await page.goto(`/p/${product.slug}`);
      assert.equal(response!.status(), 200);
      assert.equal(response!.headers()['cache-control'], 'no-cache');
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), product.name);
      assert.match((await page.locator('.buy-price').textContent())!, /€\s?[\d.,]+|[\d.,]+\s?€/);
      const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!) as {
        '@type': string;
        name: string;
        offers: Array<{ price: string; priceCurrency: string; availability: string }>;
      };
      assert.equal(ld['@type'], 'Product');
      assert.equal(ld.name, product.name);
      assert.equal(ld.offers.length, product.variants.length);
      assert.equal(ld.offers[0]!.priceCurrency, 'EUR');
      assert.match(ld.offers[0]!.availability, /schema\.org\/(InStock|OutOfStock)/);
      assert.equal(
        await page.locator('link[rel="canonical"]').getAttribute('href'),
        `${web.url}/p/${product.slug}`,
      );
      assert.equal(await page.locator('meta[property="og:type"]').getAttribute('content'), 'product');
    } finally {
      await context.close();
    }
  });

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    test(`the checkout can be completed with the keyboard alone on the ${name} viewport`, async () => {
      const { context, page } = await newPage(viewport);
      try {
        await addProductToCart(page);
        await page.goto('/checkout');
        await page.getByLabel('E-mail').waitFor();
        // Tab from the top of the page to each field; type with the keyboard only.
        const typeInto = async (label: string, text: string) => {
          for (let i = 0; i < 80; i++) {
            await page.keyboard.press('Tab');
            const focused = await page.evaluate(() => {
              const el = document.activeElement as HTMLInputElement | null;
              return el?.labels?.[0]?.textContent ?? el?.getAttribute('aria-label') ?? '';
            });
            if (focused === label) {
              await page.keyboard.type(text);
              return;
            }
          }
          assert.fail(`the field "${label}" cannot be reached with Tab`);
        };
        await page.locator('body').focus();
        await typeInto('E-mail', 'keys@web.example');
        await typeInto('Full name', 'Kim Keys');
        await typeInto('Address', 'Ringstraße 5');
        await typeInto('Postal code', '80331');
        await typeInto('City', 'München');
        // The shipping methods: Tab to the first, Space chooses it.
        for (let i = 0; i < 40; i++) {
          await page.keyboard.press('Tab');
          if (
            await page.evaluate(
              () => (document.activeElement as HTMLInputElement)?.name === 'shipping-method',
            )
          )
            break;
        }
        await page.keyboard.press('Space');
        await page.getByText(/Shipping \(/).waitFor();
        await typeInto('Card number', SUCCESS_CARD);
        await typeInto('Expiry (MM/YY)', '12/30');
        await typeInto('Security code', '123');
        for (let i = 0; i < 20; i++) {
          await page.keyboard.press('Tab');
          if (await page.evaluate(() => document.activeElement?.textContent === 'Place order')) break;
        }
        const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
        assert.notEqual(outline, 'none', 'the focused button shows its focus');
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: 'Thank you for your order!' }).waitFor();
      } finally {
        await context.close();
      }
    });
  }

  test('a staff member creates a product with two variants in the admin and publishes it; the shop finds it, and a price change shows at the next load', async () => {
    const admin = await newPage();
    const shopper = await newPage();
    const name = `Glacier Parka ${Date.now().toString(36)}`;
    try {
      const { page } = admin;
      await signInToAdmin(page);
      await page.getByRole('link', { name: 'Products' }).click();
      await page.getByRole('link', { name: 'New product' }).click();
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page
        .getByLabel('Description')
        .fill('A warm parka for cold mornings, with a hood and deep pockets.');
      await page.getByRole('button', { name: 'Add option' }).click();
      await page.getByLabel('Option', { exact: true }).fill('size');
      await page.getByLabel('Values').fill('S, M');
      while ((await page.getByLabel('SKU').count()) < 2)
        await page.getByRole('button', { name: 'Add variant' }).click();
      const sku = name.toUpperCase().replace(/[^A-Z0-9]+/g, '-');
      for (const [index, size] of ['S', 'M'].entries()) {
        await page.getByLabel('SKU').nth(index).fill(`${sku}-${size}`);
        await page.getByLabel('Price', { exact: true }).nth(index).fill('129.00');
        await page.getByLabel('Stock').nth(index).fill('8');
        await page.getByLabel('Size').nth(index).fill(size);
      }
      await page.getByLabel('Status').selectOption('published');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved', { exact: true }).waitFor();
      await screenshot(page, 'admin-product-edit');

      // The storefront's search finds it, with both sizes.
      await shopper.page.goto(`/search?q=${encodeURIComponent(name)}`);
      await shopper.page.getByRole('link', { name }).first().click();
      await shopper.page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      assert.equal(await shopper.page.locator('label.swatch').count(), 2);
      assert.match((await shopper.page.locator('.buy-price').textContent())!, /129[.,]00/);

      // A new price in the admin is what the next load of the product page shows.
      await page.getByLabel('Price', { exact: true }).first().fill('99.50');
      await page.getByLabel('Price', { exact: true }).nth(1).fill('99.50');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved', { exact: true }).waitFor();
      await shopper.page.reload();
      assert.match((await shopper.page.locator('.buy-price').textContent())!, /99[.,]50/);
    } finally {
      await admin.context.close();
      await shopper.context.close();
    }
  });

  test('the admin dashboard and an order page: screenshots, and no serious or critical axe-core violations', async () => {
    const { context, page } = await newPage();
    try {
      await signInToAdmin(page);
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await page.getByText('Orders and revenue, last 30 days').waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, 'admin-dashboard');
      const violations = await seriousViolations(page);
      assert.deepEqual(violations, [], describeViolations(violations));
      await page.getByRole('link', { name: 'Orders' }).click();
      await page.getByRole('table').locator('tbody tr').first().locator('a').first().click();
      await page
        .getByText(/Timeline/i)
        .first()
        .waitFor();
      await screenshot(page, 'admin-order-detail');
    } finally {
      await context.close();
    }
  });

  test('a customer signs up in the shop and finds their account with orders, addresses and their data', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto('/account/register');
      await page.getByLabel('Name').fill('Ada Account');
      await page.getByLabel('E-mail').fill(`ada-${Date.now()}@web.example`);
      await page.getByLabel('Password').fill('a-long-password-42');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Hello, Ada Account' }).waitFor();
      await page.getByText('You have not ordered anything yet.').waitFor();
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export my data' }).click();
      const exported = JSON.parse(await streamText(await (await download).createReadStream())) as object;
      assert.match(JSON.stringify(exported), /Ada Account/);
      await page.getByText('Add an address').click();
      await page.getByLabel('Full name').fill('Ada Account');
      await page.getByLabel('Address', { exact: true }).fill('Kastanienallee 3');
      await page.getByLabel('Postal code').fill('10435');
      await page.getByLabel('City').fill('Berlin');
      await page.getByRole('button', { name: 'Save address' }).click();
      await page.getByText('Address saved.').waitFor();
      await page.getByText(/Kastanienallee 3, 10435 Berlin/).waitFor();
      await screenshot(page, 'account');
      const violations = await seriousViolations(page);
      assert.deepEqual(violations, [], describeViolations(violations));
    } finally {
      await context.close();
    }
  });

  test('axe-core finds no serious or critical violations on home, category, product, cart and checkout', async () => {
    const { context, page } = await newPage();
    try {
      const categories = await web.shop.app.inject({ method: 'GET', url: '/api/catalogue/categories' });
      const category = (
        categories.json() as { items: Array<{ slug: string; productCount: number }> }
      ).items.find((c) => c.productCount > 0)!;
      const found: string[] = [];
      const check = async (name: string) => {
        const violations = await seriousViolations(page);
        if (violations.length) found.push(`${name}:\n  ${describeViolations(violations)}`);
      };
      await page.goto('/');
      await check('home');
      await page.goto(`/c/${category.slug}`);
      await screenshot(page, 'category');
      await check('category');
      await addProductToCart(page);
      await check('product');
      await page.goto('/cart');
      await page.getByRole('heading', { name: 'Your cart' }).waitFor();
      await check('cart');
      await page.goto('/checkout');
      await page.getByLabel('E-mail').waitFor();
      await check('checkout');
      assert.deepEqual(found, [], found.join('\n'));
    } finally {
      await context.close();
    }
  });
});
