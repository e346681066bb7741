/** What the browser tests read off a page the same way. */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT, WEB_DIST } from '../src/api/main.ts';

/**
 * Words of three or more Latin letters on the page as people read it (`innerText`), the language switch, the
 * database's name, who is signed in, and identifiers from the feeds that no language translates (a place's code,
 * marked `translate="no"` as HTML says of such text) left out: none may be left on a Chinese page.
 */
export const englishOn = (page: Page): Promise<string[]> => page.evaluate(() => {
  const body = document.body.cloneNode(true) as HTMLElement;
  body.querySelectorAll('[data-testid=lang-switch], [data-testid=engine], [data-testid=who], [translate=no]').forEach((e) => e.remove());
  document.body.append(body);
  const t = body.innerText;
  body.remove();
  return t.match(/[A-Za-z]{3,}/g) ?? [];
});

/** Where the browser tests write their screenshots. */
export const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');

/** The page fits `width` (no sideways scrolling), reads in Chinese only, and is shot in Chinese and in English. */
export async function checkAndShoot(page: Page, name: string, width: number): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  expect(await englishOn(page)).toEqual([]);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-zh.png`), fullPage: true });
  await page.click('[data-testid=lang-switch]');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-en.png`), fullPage: true });
  await page.click('[data-testid=lang-switch]');
}

/** Signs a staff user in on the page at `url` and waits until the header says who is signed in. */
export async function signInAs(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('[data-testid=sign-in]');
  await page.fill('[data-testid=sign-in] input[name=username]', username);
  await page.fill('[data-testid=sign-in] input[name=password]', password);
  await page.click('[data-testid=sign-in] button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

/** Builds the page into web/dist when it is not built yet (a fresh clone running one browser test). */
export async function ensureWebBuilt(): Promise<void> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    const { build } = await import('vite');
    await build({ configFile: path.join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
  }
}
