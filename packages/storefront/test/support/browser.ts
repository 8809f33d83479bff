import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where the browser tests look for Chromium (Debian's package); SHOPSTACK_CHROMIUM overrides it. */
export const CHROMIUM = process.env.SHOPSTACK_CHROMIUM ?? '/usr/bin/chromium';

/** The screenshots of the main pages, written by every run (gitignored). */
export const SCREENSHOTS = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'test-results',
  'screenshots',
);

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

/**
 * Why the browser tests cannot run here, or null when they can. Under CI (CI=true) a missing
 * browser fails the run instead of skipping the tests.
 */
export function browserMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const message =
    `Chromium is not installed at ${CHROMIUM}: the browser tests did not run. ` +
    'Install it with "apt-get install -y chromium" (or set SHOPSTACK_CHROMIUM to a Chromium binary).';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(message);
  return message;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const axeSource = (): string => {
  const require = createRequire(import.meta.url);
  return (require('axe-core') as { source: string }).source;
};

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** The serious and critical accessibility violations axe-core finds on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource() });
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(document);
    return result.violations;
  })) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
    )
    .join('\n');
}
