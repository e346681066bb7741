/**
 * JavaScript coverage of the web page in the browser tests, taken only in the coverage run (CORDON_COVERAGE_RAW set):
 * Chromium's V8 coverage of the page's scripts, with each bundle's source map from web/dist, written as one JSON file
 * per page into CORDON_COVERAGE_RAW/browser for scripts/coverage.mjs. Outside the coverage run both calls do nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { WEB_DIST } from '../src/api/main.ts';

const raw = process.env.CORDON_COVERAGE_RAW;

/** Starts collecting the page's JavaScript coverage (call before `page.goto`). */
export async function startBrowserCoverage(page: Page): Promise<void> {
  if (raw) await page.coverage.startJSCoverage({ resetOnNavigation: false });
}

/** Stops collecting and writes what the page ran, with the bundles' source maps, for the coverage report. */
export async function saveBrowserCoverage(page: Page, name: string): Promise<void> {
  if (!raw) return;
  const entries = await page.coverage.stopJSCoverage();
  const withMaps = entries
    .filter((e) => new URL(e.url).pathname.startsWith('/assets/'))
    .map((e) => {
      const map = path.join(WEB_DIST, new URL(e.url).pathname + '.map');
      return fs.existsSync(map) ? { ...e, sourceMap: JSON.parse(fs.readFileSync(map, 'utf8')) as unknown } : e;
    });
  const dir = path.join(raw, 'browser');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}-${process.pid}-${Date.now()}.json`), JSON.stringify(withMaps));
}
