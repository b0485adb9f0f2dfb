import { expect, test as base, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TestApi } from './api';
import type { Seeded } from './seed';
import { CONSOLE_DIR } from './stack';

export function seeded(): Seeded {
  const raw = process.env.FERRY_E2E;
  if (!raw) throw new Error('FERRY_E2E is not set: the global set-up did not run');
  return JSON.parse(raw) as Seeded;
}

export function adminApi(): TestApi {
  const s = seeded();
  return new TestApi(s.apiUrl, s.adminKey);
}

/** What the page reported that must never happen: CSP or Trusted Types violations and uncaught errors. */
interface Problems {
  violations: string[];
  errors: string[];
}

/**
 * `page` with the console's base URL, failing the test on any Content-Security-Policy or Trusted
 * Types violation and any uncaught script error.
 */
export const test = base.extend<{ problems: Problems }>({
  baseURL: async ({}, use) => {
    await use(seeded().apiUrl);
  },
  problems: [
    async ({ page }, use) => {
    const problems: Problems = { violations: [], errors: [] };
    await page.addInitScript(() => {
      (window as unknown as { __violations: string[] }).__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __violations: string[] }).__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    page.on('console', (m) => {
      const t = m.text();
      if (m.type() === 'error' && /Content Security Policy|Trusted Type|TrustedHTML|TrustedScript/i.test(t)) problems.violations.push(t);
    });
    page.on('pageerror', (e) => problems.errors.push(String(e)));
    await use(problems);
    const inPage = await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []).catch(() => []);
    expect([...problems.violations, ...inPage], 'CSP / Trusted Types violations').toEqual([]);
    expect(problems.errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Signs in on the sign-in page as a person does; lands on the instances (or on `next`). */
export async function signIn(page: Page, key: string, path = '/console/') {
  await page.goto(path);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
}

export async function signInAdmin(page: Page, path = '/console/') {
  await signIn(page, seeded().adminKey, path);
}

/**
 * A screenshot for the docs: always in test-results/screenshots/, and also in
 * FERRY_SCREENSHOTS_DIR when set (`npm run screenshots` sets it to docs/console/).
 */
export async function screenshot(page: Page, name: string) {
  const dir = join(CONSOLE_DIR, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false, animations: 'disabled', caret: 'hide' });
  const docs = process.env.FERRY_SCREENSHOTS_DIR;
  if (docs) {
    const target = resolve(CONSOLE_DIR, docs);
    mkdirSync(target, { recursive: true });
    copyFileSync(file, join(target, `${name}.png`));
  }
}

/** The table row holding `text`. */
export function row(page: Page, text: string | RegExp) {
  return page.getByRole('row').filter({ hasText: text });
}

/** Picks `option` in the Cloudscape select of the form field labelled `field`. */
export async function choose(page: Page, field: string, option: string) {
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.getByRole('button', { name: new RegExp(`^${escaped}\\b`) }).first().click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/**
 * A control by its accessible label: an input's own aria-label, or a text area's form field label
 * (Cloudscape names a text area after its form field).
 */
export function field(page: Page, label: string) {
  return page.getByLabel(label, { exact: true });
}
