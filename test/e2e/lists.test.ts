/**
 * End-to-end, the lists page in Debian's Chromium against a real server on a SQLite store with Hunan's real
 * divisions: 120 residents of one community and 8 of another; a case at a KTV with five of them. An investigator
 * opens the lists: the case; the contacts by status (the five, then none released), exported as XLSX with the rows
 * the page shows; the persons of one community chosen level by level, 50 a page, forward and back, and those of one code colour. A grid worker sees
 * the contacts and persons of their community only, and exports its residents as CSV. Each page at 1440 px and 390 px: no sideways scrolling,
 * no English on the Chinese page, screenshots written.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { ROOT, WEB_DIST } from '../../src/api/main.ts';
import { hashIdNumber } from '../../src/domain/identity.ts';
import { loadEdition } from '../../src/domain/protocol/editions.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { systemCtx } from '../../src/platform/context.ts';
import { addUser, issueApiKey } from '../../src/services/accounts/accounts.ts';
import { importFile } from '../../src/services/import/importFile.ts';
import { initRegions } from '../../src/services/initRegions.ts';
import { TracingEngine } from '../../src/services/tracing/engine.ts';
import { openStore, type Store } from '../../src/storage/store.ts';
import { saveBrowserCoverage, startBrowserCoverage } from '../browserCoverage.ts';
import { checkAndShoot, ensureWebBuilt, pickCascader, signInAs } from '../pages.ts';
import { idNumber } from '../fixtures.ts';

const CHROMIUM = process.env.CORDON_TEST_CHROMIUM;
const PASSWORD = 'e2e password 1';
const ID_KEY = 'e2e-lists-key-0123456789';
const HOUR = 3600_000;

describe.skipIf(!CHROMIUM)('the lists page in Chromium', () => {
  let app: FastifyInstance;
  let store: Store;
  let browser: Browser;
  let url: string;
  /** The two communities (codes), and the names from the province down to the first. */
  let community: [string, string];
  let pathNames: string[];
  const person: number[] = [];
  const ctx = systemCtx(systemClock, 'e2e');
  const cst = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
  /**
   * The ids of the rows the list shows now, once the page of that number has come. Until then the list shows the rows
   * it had (the previous page or filter) and says it is loading (data-state): the table's spinner is no sign, as it
   * shows only a moment after the click that asked for the page.
   */
  const shown = async (page: Page, pageNo: number) => {
    await page.waitForFunction((n) => {
      const r = document.querySelector('[data-testid=list-results]') as HTMLElement | null;
      if (r?.dataset.state === 'failed') throw new Error('the list failed to load');
      return r !== null && r.dataset.page === String(n) && r.dataset.state === 'loaded';
    }, pageNo);
    return page.locator('[data-testid=list-row]').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.id)));
  };

  /**
   * Chooses `label` in the Ant Design select `testId` and waits until the select shows it and its menu has closed. Under
   * load a click can land on a menu still moving in (a CI run lost one): the choice is made again until the select shows it.
   */
  const choose = async (page: Page, testId: string, label: string) => {
    for (let attempt = 0; ; attempt++) {
      await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'));
      await page.click(`[data-testid=${testId}]`);
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: label }).click();
      try {
        await page.waitForFunction(([id, text]) => document.querySelector(`[data-testid=${id}]`)?.textContent?.includes(text), [testId, label] as const, { timeout: 5_000 });
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
        await page.keyboard.press('Escape');
      }
    }
    await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'));
  };

  beforeAll(async () => {
    await ensureWebBuilt();
    store = await openStore({ sqliteFile: ':memory:' });
    await initRegions({ store, gridsPerCommunity: 1 });
    const edition = loadEdition('ed8-delta-2021');
    const streets = await store.regions.children('430102');
    const communities = await store.regions.children(streets[0].code);
    community = [communities[0].code, communities[1].code];
    pathNames = ['湖南省', '长沙市', '芙蓉区', streets[0].name, communities[0].name];
    const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules/.e2e-'));
    const persons = path.join(dir, 'persons.csv');
    const n = Array.from({ length: 128 }, (_, i) => i + 1);
    fs.writeFileSync(persons, ['id_number,name,community_code,phone', ...n.map((i) => `${idNumber(i)},居民${i},${community[i <= 120 ? 0 : 1]},1390731${String(i).padStart(4, '0')}`)].join('\n'));
    await importFile({ ctx, store, edition, kind: 'persons', file: persons, idHashKey: ID_KEY });
    fs.rmSync(dir, { recursive: true, force: true });
    const ids = await store.persons.idsByHash(n.map((i) => hashIdNumber(idNumber(i), ID_KEY)));
    for (const i of n) person[i] = ids.get(hashIdNumber(idNumber(i), ID_KEY))!;
    await store.places.insertMany([{ code: 'KTV-L', name: '五一路星光KTV', category: 'ktv', regionCode: '430102', lng: 112.98, lat: 28.2, status: 'open', vehicleSetting: null }]);
    const ktv = (await store.places.idsByCode(['KTV-L'])).get('KTV-L')!;
    const sang = Math.floor(Date.now() / 1000) - 30 * 3600;
    await store.presence.insertMany([1, 2, 3, 4, 5, 6].map((i) => ({ personId: person[i], placeId: ktv, start: sang, end: sang + 2 * 3600, source: 'venue_scan' as const, seat: null, carriage: null })));
    await addUser(ctx, store, { username: 'liu.cdc', displayName: 'liu.cdc', agency: { name: 'e2e-cdc', kind: 'public_health' }, role: 'cdc_investigator', regionCode: '43', password: PASSWORD });
    await addUser(ctx, store, { username: 'wang.grid', displayName: 'wang.grid', agency: { name: 'e2e-grid', kind: 'community' }, role: 'grid_worker', regionCode: community[0], password: PASSWORD });
    const key = (await issueApiKey(ctx, store, { name: 'e2e-cdc', role: 'cdc_investigator', regionCode: '43' })).key;
    app = await buildApp({ store, edition, engine: await TracingEngine.load({ store, edition }), webDir: WEB_DIST, version: 'e2e', ownsStore: true, codeSecret: ID_KEY });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    const now = Date.now();
    const r = await fetch(`${url}/api/cases`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ caseNo: 'CS-L-1', personId: person[1], kind: 'confirmed', onsetAt: cst(now - 26 * HOUR), sampledAt: cst(now - 20 * HOUR), confirmedAt: cst(now - HOUR), detectedBy: 'symptoms' }),
    });
    expect(r.status, await r.clone().text()).toBe(201);
    await app.cordon.events.settle();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'] });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const [name, width, height] of [['desktop', 1440, 900], ['phone', 390, 844]] as const) {
    it(`lets an investigator list cases, contacts by status and a community's persons page by page, and export them, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height }, acceptDownloads: true });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'liu.cdc', PASSWORD);
      if (width === 1440) await page.click('[data-testid=nav-lists]');
      else await page.goto(`${url}/lists`);
      await page.waitForSelector('[data-testid=lists-page]');
      // The cases: the one case, linked to its page.
      const cases = await shown(page, 1);
      expect(cases).toHaveLength(1);
      expect(await page.textContent('[data-testid=list-results]')).toContain('CS-L-1');
      await checkAndShoot(page, `lists-cases-${name}`, width);

      // The contacts: five identified close contacts; none released.
      await page.click('[data-testid=list-kind] >> text=接触者');
      await page.waitForSelector('[data-testid=lists-page][data-list=contacts]');
      const contacts = (await store.cases.listContacts({}, { after: 0, limit: 100 })).items;
      expect(contacts.map((k) => k.personId).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6].map((i) => person[i]));
      await choose(page, 'list-status', '已判定');
      expect(await shown(page, 1)).toEqual(contacts.map((k) => k.id));
      expect(await page.textContent('[data-testid=list-results]')).toContain('居*');
      expect(await page.locator('[data-testid=list-row]').first().textContent()).toContain('CS-L-1');
      await checkAndShoot(page, `lists-contacts-${name}`, width);
      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=list-export-xlsx]')]);
      expect(xlsx.suggestedFilename()).toBe('contacts.xlsx');
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(await xlsx.path());
      expect(book.getWorksheet('接触者')!.getColumn(1).values.slice(2).map(Number)).toEqual(contacts.map((k) => k.id));
      await page.waitForSelector('[data-testid=list-export-note]');
      await choose(page, 'list-status', '已解除');
      expect(await shown(page, 1)).toEqual([]);

      // The persons of the first community, chosen level by level: 120, 50 a page, forward and back.
      await page.click('[data-testid=list-kind] >> text=人员');
      await page.waitForSelector('[data-testid=lists-page][data-list=persons]');
      await pickCascader(page, '[data-testid=list-region]', pathNames);
      const mine = Array.from({ length: 120 }, (_, i) => person[i + 1]).sort((a, b) => a - b);
      expect(await shown(page, 1)).toEqual(mine.slice(0, 50));
      await page.click('[data-testid=list-next]');
      expect(await shown(page, 2)).toEqual(mine.slice(50, 100));
      await page.click('[data-testid=list-next]');
      expect(await shown(page, 3)).toEqual(mine.slice(100));
      expect(await page.isDisabled('[data-testid=list-next]')).toBe(true);
      await checkAndShoot(page, `lists-persons-${name}`, width);
      await page.click('[data-testid=list-prev]');
      expect(await shown(page, 2)).toEqual(mine.slice(50, 100));
      // Only those with a red code now: the case and its close contacts, from the first page again, each tagged 红码.
      const codes = await store.codes.currentOf(mine);
      const red = mine.filter((id) => codes.get(id)?.colour === 'red');
      expect(red).toEqual([1, 2, 3, 4, 5, 6].map((i) => person[i]).sort((a, b) => a - b));
      await choose(page, 'list-status', '红码');
      await expect.poll(() => shown(page, 1)).toEqual(red);
      expect(await page.locator('[data-testid=person-code]').allTextContents()).toEqual(red.map(() => '红码'));
      await checkAndShoot(page, `lists-persons-red-${name}`, width);
      await choose(page, 'list-status', '绿码');
      await expect.poll(() => shown(page, 1)).toEqual(mine.filter((id) => !red.includes(id)).slice(0, 50));
      // An investigator exports cases and contacts, not the residents' list.
      expect(await page.locator('[data-testid=list-export-csv]').count()).toBe(0);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `lists-${name}`);
      await page.close();
    });
  }

  it('shows a grid worker only the persons of their community and exports them, at 390 px, in Chinese and in English', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await startBrowserCoverage(page);
    await signInAs(page, url, 'wang.grid', PASSWORD);
    // The page's own address answers with the app (a bookmark, a reload), not only through the app's router.
    expect((await fetch(`${url}/lists`)).headers.get('content-type')).toContain('text/html');
    await page.goto(`${url}/lists`);
    await page.waitForSelector('[data-testid=lists-page][data-list=contacts]');
    // A grid worker reads contacts and persons, not cases.
    expect(await page.locator('[data-testid=list-kind] .ant-segmented-item').allTextContents()).toEqual(['接触者', '人员']);
    await page.click('[data-testid=list-kind] >> text=人员');
    const mine = Array.from({ length: 120 }, (_, i) => person[i + 1]).sort((a, b) => a - b);
    expect(await shown(page, 1)).toEqual(mine.slice(0, 50));
    // Their community's residents as CSV, masked, the export audited with the scope it was read in.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=list-export-csv]')]);
    expect(csv.suggestedFilename()).toBe('persons.csv');
    const rows = parse(fs.readFileSync(await csv.path(), 'utf8').replace(/^\uFEFF/, '')) as string[][];
    expect(rows[0][0]).toBe('人员编号');
    expect(rows.slice(1).map((x) => Number(x[0]))).toEqual(mine);
    expect(rows.slice(1).every((x) => /^居\*{2,4}$/.test(x[1]) && /^139\*{4}\d{4}$/.test(x[5]))).toBe(true);
    const exports = (await store.audit.list({}, { after: 0, limit: 1000 })).items.filter((e) => e.action === 'persons:export');
    expect(exports.at(-1)).toMatchObject({ actor: expect.stringContaining('wang.grid'), detail: 'format=csv; filter=none; rows=120' });
    await page.waitForSelector('[data-testid=list-export-note]');
    await checkAndShoot(page, 'lists-grid-worker-390', 390);
    expect(errors).toEqual([]);
    await saveBrowserCoverage(page, 'lists-grid-worker');
    await page.close();
  });
});
