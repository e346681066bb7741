/** What the browser tests read off a page the same way. */
import type { Page } from 'playwright-core';

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
