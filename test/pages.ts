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

/**
 * The page fits `width` (no sideways scrolling), reads in Chinese only, and is shot in Chinese and in English. With
 * `dialog`, a dialog is open over the page: its mask takes pointer events, so the language is switched by the
 * button's own click (what a keyboard user's Enter on it does), and the dialog stays open in the other language.
 */
export async function checkAndShoot(page: Page, name: string, width: number, opts: { dialog?: boolean } = {}): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const switchLanguage = () => (opts.dialog ? page.$eval('[data-testid=lang-switch]', (b) => (b as HTMLButtonElement).click()) : page.click('[data-testid=lang-switch]'));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-zh.png`), fullPage: true });
  expect(await overflowing(page, width)).toEqual([]);
  expect(await englishOn(page)).toEqual([]);
  const lang = await page.getAttribute('html', 'lang');
  await switchLanguage();
  if (opts.dialog) await page.waitForFunction((before) => document.documentElement.lang !== before, lang);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-en.png`), fullPage: true });
  expect(await overflowing(page, width)).toEqual([]);
  await switchLanguage();
  if (opts.dialog) await page.waitForFunction((before) => document.documentElement.lang === before, lang);
}

/**
 * When the page is wider than `width` (it would scroll sideways), the innermost elements that reach past its right
 * edge, each as `tag.class "text" right=px`, so a failure says what to fix; none when it fits.
 */
export const overflowing = (page: Page, width: number): Promise<string[]> => page.evaluate((w) => {
  if (document.documentElement.scrollWidth <= w) return [];
  const past = [...document.body.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > w + 0.5);
  const innermost = past.filter((e) => !past.some((o) => o !== e && e.contains(o)));
  return innermost.slice(0, 8).map((e) => `${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]} "${(e.textContent ?? '').trim().slice(0, 30)}" right=${Math.round(e.getBoundingClientRect().right)}`);
}, width);

/** Signs a staff user in on the page at `url` and waits until the header says who is signed in. */
export async function signInAs(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('[data-testid=sign-in]');
  await page.fill('[data-testid=sign-in] input[name=username]', username);
  await page.fill('[data-testid=sign-in] input[name=password]', password);
  await page.click('[data-testid=sign-in] button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

/**
 * Chooses `names` level by level in the Ant Design cascader opened by `trigger`, then closes it. A click on an option
 * under load can land while the menu is still moving, or the children it loads can fail to come; each level is
 * clicked again until the next level's option shows (the cascader loads children again on every click), and the whole
 * choice again until the field shows the last name.
 */
export async function pickCascader(page: Page, trigger: string, names: readonly string[]): Promise<void> {
  const item = (name: string) => page.locator(`.ant-cascader-menu-item[title="${name}"]:visible`);
  for (let attempt = 0; ; attempt++) {
    if (!(await page.locator('.ant-cascader-menu:visible').count())) await page.click(trigger);
    for (let i = 0; i < names.length; i++) {
      const next = names[i + 1];
      for (let tries = 0; ; tries++) {
        await item(names[i]).click();
        if (next === undefined) break;
        try {
          await item(next).waitFor({ timeout: 5_000 });
          break;
        } catch (e) {
          if (tries >= 4) throw e;
        }
      }
    }
    await page.keyboard.press('Escape');
    const last = names[names.length - 1];
    try {
      await expect.poll(() => page.locator(trigger).innerText(), { timeout: 5_000 }).toContain(last);
      return;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}

/**
 * Waits for the dialog (or drawer) holding `selector` to open and stop moving: its zoom and its mask's fade are over. A click made
 * while it still moves can land beside its target under load (on the dialog's body; on the mask, which closes it), so
 * a choice or a button press in a dialog just opened waits for this first.
 */
export async function dialogSettled(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.waitForFunction((s) => {
    const el = document.querySelector(s);
    if (!el) return false;
    // A form in no dialog or drawer does not move.
    const root = el.closest('.ant-modal-root, .ant-drawer') ?? el;
    return root.getAnimations({ subtree: true }).every((a) => a.playState === 'finished' || a.playState === 'idle');
  }, selector);
}

/**
 * Fails plainly when web/dist holds no build. test/globalSetup.ts builds it once before any test file runs; a file
 * must not build it itself, since a build empties web/dist under the pages another file's browser is loading.
 */
export async function ensureWebBuilt(): Promise<void> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error(`${WEB_DIST} holds no build: run the tests through vitest (its global setup builds it) or npm run build:web`);
}
