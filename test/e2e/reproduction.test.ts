/**
 * The command dashboard's chain view of R(t) in Chromium: a director sees the instantaneous reproduction number of the
 * province's cases (Cori et al. 2013) with its credible interval and the R = 1 line, as the API computes it, the
 * windows whose cases are still being reported dashed as provisional, at 1440 px and 390 px: no sideways scrolling,
 * no English on the Chinese page, screenshots written; the region's chains downloaded as CSV and GraphML.
 */
import { readFile } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { WEB_DIST } from '../../src/api/main.ts';
import { loadEdition } from '../../src/domain/protocol/editions.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { systemCtx } from '../../src/platform/context.ts';
import { addUser, issueApiKey } from '../../src/services/accounts/accounts.ts';
import { initRegions } from '../../src/services/initRegions.ts';
import { TracingEngine } from '../../src/services/tracing/engine.ts';
import { openStore } from '../../src/storage/store.ts';
import { personRow } from '../fixtures.ts';
import { checkAndShoot, ensureWebBuilt, signInAs } from '../pages.ts';

const CHROMIUM = process.env.CORDON_TEST_CHROMIUM;
const PASSWORD = 'e2e password 1';
/** Cases by day of onset, the last day two days ago: growth, then decline. */
const BY_DAY = [1, 1, 2, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 2, 1, 1, 0, 1];

describe.skipIf(!CHROMIUM)('the R(t) chain view in Chromium', () => {
  let app: FastifyInstance;
  let browser: Browser;
  let url: string;
  let key: string;

  beforeAll(async () => {
    await ensureWebBuilt();
    const store = await openStore({ sqliteFile: ':memory:' });
    await initRegions({ store, gridsPerCommunity: 1 });
    const ctx = systemCtx(systemClock, 'e2e');
    const total = BY_DAY.reduce((a, b) => a + b, 0);
    await store.persons.insertMany(Array.from({ length: total }, (_, i) => personRow(i + 1)));
    const now = Math.floor(Date.now() / 1000);
    const firstDay = now - (BY_DAY.length + 1) * 86400;
    const onsets = BY_DAY.flatMap((n, d) => Array.from({ length: n }, () => firstDay + d * 86400));
    await store.cases.insertMany(onsets.map((onset, i) => ({
      // Confirmed 2 hours to 2 days and 2 hours after onset: the latest cases are not confirmed yet (not counted).
      caseNo: `R-${i + 1}`, personId: i + 1, kind: 'confirmed' as const, onsetAt: onset, sampledAt: onset + 3600, confirmedAt: onset + 7200 + (i % 3) * 86400, isolatedAt: onset + 7200,
      severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: 'symptoms',
    })));
    await addUser(ctx, store, { username: 'li.director', displayName: 'li.director', agency: { name: 'e2e-command', kind: 'command_centre' }, role: 'provincial_command', regionCode: '43', password: PASSWORD });
    key = (await issueApiKey(ctx, store, { name: 'e2e-command', role: 'provincial_command', regionCode: '43' })).key;
    const edition = loadEdition('ed8-delta-2021');
    app = await buildApp({ store, edition, engine: await TracingEngine.load({ store, edition }), webDir: WEB_DIST, version: 'e2e', ownsStore: true, codeSecret: 'e2e-key-0123456789' });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'] });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('serves R(t) for the windows of the outbreak, rising then falling below 1, the last three provisional', async () => {
    const r = await (await fetch(`${url}/api/chains`, { headers: { authorization: `Bearer ${key}` } })).json() as { reproduction: { reportingDelayDays: number; windows: { cases: number; mean: number; lower: number; upper: number; provisional: boolean }[] } };
    const w = r.reproduction.windows;
    // Nine cases in ten were confirmed within 2 days and 2 hours of onset (3 days rounded up): windows ending in the
    // last three days, today's included, are provisional.
    expect(r.reproduction.reportingDelayDays).toBe(3);
    expect(w.map((x) => x.provisional)).toEqual(w.map((_, i) => i >= w.length - 3));
    // From the first onset's day to today: BY_DAY's days and the two since, less the first window's week.
    expect(w).toHaveLength(BY_DAY.length + 2 - 7);
    expect(w[0].mean).toBeGreaterThan(1);
    expect(w[w.length - 1].mean).toBeLessThan(1);
    for (const x of w) expect(x.lower).toBeLessThanOrEqual(x.upper);
  });

  for (const [name, width, height] of [['desktop', 1440, 900], ['phone', 390, 844]] as const) {
    it(`shows R(t) with its credible interval on the command dashboard at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signInAs(page, url, 'li.director', PASSWORD);
      await page.click('[data-testid=nav-command]');
      await page.waitForSelector('[data-testid=r-curve] canvas');
      expect(await page.textContent('[data-testid=r-card]')).toContain('实时再生数');
      expect(await page.textContent('[data-testid=r-provisional]')).toContain('最近 3 天发病的病例尚未全部报告');
      await page.locator('[data-testid=r-card]').scrollIntoViewIfNeeded();
      // The tooltip of the last (provisional) day names its value and interval, and no empty "-" for the solid line.
      const r = (await (await fetch(`${url}/api/chains`, { headers: { authorization: `Bearer ${key}` } })).json() as { reproduction: { windows: { mean: number; lower: number; upper: number }[] } }).reproduction;
      const box = (await page.locator('[data-testid=r-curve]').boundingBox())!;
      const days = r.windows.length;
      const x = box.x + 36 + ((box.width - 36 - 12) * (days - 0.5)) / days;
      await page.mouse.move(x, box.y + box.height / 2);
      await page.waitForFunction(() => /R\(t\) 暂定/.test(document.querySelector('[data-testid=r-curve]')?.textContent ?? ''));
      const tip = (await page.textContent('[data-testid=r-curve]'))!;
      const last = r.windows[days - 1];
      expect(tip).toContain(`R(t) 暂定 ${last.mean.toFixed(2)}`);
      expect(tip).toContain(`95% 可信区间 ${last.lower.toFixed(2)} – ${last.upper.toFixed(2)}`);
      expect(tip).not.toContain('均值');
      expect(tip).not.toContain('-\n');
      await page.mouse.move(1, 1); // the tooltip away: the screenshot shows the curve and its bands
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=r-curve] div')].filter((d) => /暂定 \d/.test(d.textContent ?? '')).every((d) => {
        const st = getComputedStyle(d);
        return st.display === 'none' || st.visibility === 'hidden' || st.opacity === '0';
      }));
      await checkAndShoot(page, `command-reproduction-${name}`, width);
      // The region's chains leave as files: the links as CSV (no case here has a known source: the header alone) and
      // the graph as GraphML, a node for every case the chains hold.
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=chains-export-csv]')]);
      expect(csv.suggestedFilename()).toBe('chains.csv');
      const csvText = await readFile((await csv.path())!, 'utf8');
      expect(csvText.startsWith('\uFEFF')).toBe(true); // a byte-order mark: a spreadsheet reads the Chinese names as UTF-8
      expect(csvText.trim()).toBe('infector_case,infectee_case,cluster,cluster_name,infector_cluster,score,probability,by_investigator,warnings');
      expect(await page.textContent('[data-testid=chains-export-note]')).toContain('已导出');
      const [graphml] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=chains-export-graphml]')]);
      expect(graphml.suggestedFilename()).toBe('chains.graphml');
      const held = (await (await fetch(`${url}/api/chains`, { headers: { authorization: `Bearer ${key}` } })).json() as { chains: { caseIds: number[] }[] }).chains.flatMap((c) => c.caseIds);
      expect(held.length).toBeGreaterThan(0);
      expect((await readFile((await graphml.path())!, 'utf8')).match(/<data key="kind">case<\/data>/g)).toHaveLength(held.length);
      // Drilled down to a city with no cases: its own R(t), none, under its name (not the province's curve).
      await page.goto(`${url}/command?region=4308`);
      // The card is named at once and filled when the city's chains arrive (a separate request from the dashboard's).
      await page.waitForFunction(() => /张家界市/.test(document.querySelector('[data-testid=r-card]')?.textContent ?? ''));
      await page.waitForSelector('[data-testid=r-card][data-state=loaded]');
      expect(await page.textContent('[data-testid=r-card]')).toContain('病例不足一个估计窗口，暂无 R(t)');
      expect(await page.locator('[data-testid=r-curve]').count()).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
