import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../packages/storefront/test/support/browser.js';
import { startWebShop } from '../packages/storefront/test/support/shop.js';

/** The storefront as a browser sees it on this machine: bytes of the home page's code, and paint times. */
export interface WebFigures {
  /** JS and CSS the home page loads, each file gzipped (the budget's measure), in KB. */
  homeJsCssGzipKb: number;
  /** The same files as the server actually sent them (brotli when the browser accepts it), in KB. */
  homeJsCssTransferKb: number;
  homeFiles: number;
  /** Largest contentful paint of a product page, cold (a new browser context each time). */
  productLcpMedianMs: number;
  productLcpMaxMs: number;
  /** Time to first byte of the server-rendered product page. */
  productTtfbMedianMs: number;
  runs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Loads the demo store's home page and product pages in headless Chromium and measures them. */
export async function measureWeb(products: number, runs = 7): Promise<WebFigures> {
  const browser = await launchBrowser();
  const web = await startWebShop(products);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const assets: Array<{ url: string; body: Buffer; transferred: number }> = [];
    page.on('response', async (response) => {
      const type = response.request().resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      const body = await response.body().catch(() => Buffer.alloc(0));
      const sizes = await response
        .request()
        .sizes()
        .catch(() => ({ responseBodySize: body.length }));
      assets.push({ url: response.url(), body, transferred: sizes.responseBodySize });
    });
    await page.goto(web.url, { waitUntil: 'networkidle' });
    await context.close();
    const gzip = assets.reduce((sum, a) => sum + gzipSync(a.body, { level: 9 }).length, 0);
    const transferred = assets.reduce((sum, a) => sum + a.transferred, 0);

    const list = await web.shop.app.inject({
      method: 'GET',
      url: '/api/catalogue/products?limit=20&inStock=true',
    });
    const slugs = (list.json() as { items: Array<{ slug: string }> }).items.map((p) => p.slug);
    const lcps: number[] = [];
    const ttfbs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const p = await ctx.newPage();
      await p.goto(`${web.url}/p/${slugs[i % slugs.length]}`, { waitUntil: 'load' });
      const timing = await p.evaluate(
        () =>
          new Promise<{ lcp: number; ttfb: number }>((resolve) => {
            const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
            new PerformanceObserver((entries) => {
              const last = entries.getEntries().at(-1)!;
              resolve({ lcp: last.startTime, ttfb: nav.responseStart });
            }).observe({ type: 'largest-contentful-paint', buffered: true });
          }),
      );
      lcps.push(timing.lcp);
      ttfbs.push(timing.ttfb);
      await ctx.close();
    }
    return {
      homeJsCssGzipKb: Math.round((gzip / 1024) * 10) / 10,
      homeJsCssTransferKb: Math.round((transferred / 1024) * 10) / 10,
      homeFiles: assets.length,
      productLcpMedianMs: Math.round(median(lcps)),
      productLcpMaxMs: Math.round(Math.max(...lcps)),
      productTtfbMedianMs: Math.round(median(ttfbs)),
      runs,
    };
  } finally {
    await browser.close();
    await web.close();
  }
}

export function formatWebTable(figures: WebFigures): string {
  const rows = [
    ['home page JS+CSS, gzipped', `${figures.homeJsCssGzipKb} KB in ${figures.homeFiles} files`, '<= 150 KB'],
    ['home page JS+CSS, as sent', `${figures.homeJsCssTransferKb} KB`, ''],
    ['product page LCP, median', `${figures.productLcpMedianMs} ms`, '< 1500 ms'],
    ['product page LCP, worst', `${figures.productLcpMaxMs} ms (${figures.runs} cold loads)`, ''],
    ['product page TTFB, median', `${figures.productTtfbMedianMs} ms`, ''],
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}
