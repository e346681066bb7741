/**
 * End-to-end, search and the public same-trip check in Debian's Chromium against a real server on a SQLite store with
 * Hunan's real divisions: an investigator finds persons by the ID number on their card, by phone and by a part of
 * their address (each search in the audit log), a case by its number and a train by its number and date; a member of
 * the public, not signed in, finds that a case rode their train. Each page at 1440 px and 390 px: no sideways
 * scrolling, no English on the Chinese page, screenshots written.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { EXPORTS_PER_MINUTE } from '../../src/api/routes/common.ts';
import { ROOT, WEB_DIST } from '../../src/api/main.ts';
import { hashIdNumber } from '../../src/domain/identity.ts';
import { loadEdition } from '../../src/domain/protocol/editions.ts';
import { parseTime } from '../../src/domain/time.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { systemCtx } from '../../src/platform/context.ts';
import { addUser, issueApiKey } from '../../src/services/accounts/accounts.ts';
import { importFile } from '../../src/services/import/importFile.ts';
import { initRegions } from '../../src/services/initRegions.ts';
import { TracingEngine } from '../../src/services/tracing/engine.ts';
import { openStore, type Store } from '../../src/storage/store.ts';
import { saveBrowserCoverage, startBrowserCoverage } from '../browserCoverage.ts';
import { checkAndShoot, dialogSettled, ensureWebBuilt, SCREENSHOTS, signInAs } from '../pages.ts';
import { idNumber } from '../fixtures.ts';

const CHROMIUM = process.env.CORDON_TEST_CHROMIUM;
const COMMUNITY = '430102001001';
const PASSWORD = 'e2e password 1';
const ID_KEY = 'e2e-search-key-0123456789';
const HOUR = 3600_000;

describe.skipIf(!CHROMIUM)('search and the public same-trip check in Chromium', () => {
  let app: FastifyInstance;
  let store: Store;
  let browser: Browser;
  let url: string;
  const person: number[] = [];
  let investigatorKey: string;
  let caseId: number;
  /** The cases of persons 6 and 7, infected by person 1's. */
  const chainCase: number[] = [];
  const ctx = systemCtx(systemClock, 'e2e');
  /**
   * A China-time day `days` before the day the file was set up, YYYY-MM-DD, and a time on it, YYYY-MM-DD HH:mm: the
   * day the world was built on, so a run across midnight still finds the KTV on the day it was placed.
   */
  const setUpAt = Date.now();
  const dayBefore = (days: number) => new Date(setUpAt + 8 * HOUR - days * 24 * HOUR).toISOString().slice(0, 10);
  const cst = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
  const trainDay = dayBefore(3);
  const trainCode = `TRIP-G4301-${trainDay}`;

  /** POSTs `body` to `pathname` as the investigators' API key and expects 201; the answer's body. */
  const created = async <T = unknown>(pathname: string, body: object): Promise<T> => {
    const r = await fetch(`${url}${pathname}`, { method: 'POST', headers: { authorization: `Bearer ${investigatorKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.status, await r.clone().text()).toBe(201);
    return r.json() as Promise<T>;
  };
  /** Types into the search box and waits for the answer of that search (its row count). */
  const search = async (page: Page, text: string) => {
    await page.fill('[data-testid=search-input] input, input[data-testid=search-input]', text);
    await page.keyboard.press('Enter');
    await page.waitForFunction((q) => {
      const r = document.querySelector('[data-testid=search-results]');
      return r !== null && (r as HTMLElement).dataset.q === q;
    }, text.trim());
    return Number(await page.getAttribute('[data-testid=search-results]', 'data-count'));
  };
  /**
   * Types a date into an Ant Design date picker and commits it. The picker keeps a typed date only if its panel was
   * open when Enter came (under load it may open late), and shows the typed text until it loses focus: so the focus is
   * moved on, and the date typed again if the picker dropped it.
   */
  const pickDate = async (page: Page, testId: string, date: string) => {
    const input = page.locator(`[data-testid=${testId}]`).locator('xpath=descendant-or-self::input').first();
    for (let attempt = 0; ; attempt++) {
      await input.click();
      await page.waitForSelector('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)');
      await input.fill(date);
      await page.keyboard.press('Enter');
      await input.blur();
      await page.waitForFunction(() => !document.querySelector('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)'));
      if ((await input.inputValue()) === date) return;
      if (attempt === 2) throw new Error(`the date picker ${testId} did not keep ${date}`);
    }
  };

  /**
   * Finds the noodle shop by a part of its name in the place select `testId` and chooses it, until `chosen` (a selector
   * of the form once it holds the place) matches: again if a late answer re-drew the list under the click.
   */
  const chooseNoodleShop = async (page: Page, testId: string, chosen: string) => {
    for (let attempt = 0; await page.locator(chosen).count() === 0; attempt++) {
      if (attempt === 6) throw new Error('the noodle shop could not be chosen');
      await page.click(`[data-testid=${testId}]`);
      // The search typed again each time (replacing what a lost attempt left).
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('米粉');
      // Under load the server's answer may come late, or re-draw the list under the click: each step waits a while
      // and a lost one is tried again, never left to time the test out.
      const option = page.locator('.ant-select-item-option', { hasText: '识字里米粉店' }).first();
      await option.click({ timeout: 15_000 }).catch(() => undefined);
      await page.locator(chosen).waitFor({ timeout: 5_000 }).catch(() => undefined);
      // A click lost under load leaves the list open (a CI run waited 30 s for it to close): close it and try again.
      if (await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count() > 0) await page.keyboard.press('Escape');
    }
  };

  beforeAll(async () => {
    await ensureWebBuilt();
    store = await openStore({ sqliteFile: ':memory:' });
    await initRegions({ store, gridsPerCommunity: 1 });
    const edition = loadEdition('ed8-delta-2021');
    const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules/.e2e-'));
    const persons = path.join(dir, 'persons.csv');
    // Persons 4 and 5 share a household on 识字里小区; person 3 has a phone; person 1 becomes a case.
    fs.writeFileSync(persons, ['id_number,name,community_code,phone,household_code,address',
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => `${idNumber(i)},居民${i},${COMMUNITY},${i === 3 ? '13907310003' : ''},${i === 4 || i === 5 ? 'HH-45' : `HH-${i}`},${i === 4 || i === 5 ? '长沙市芙蓉区识字里小区7栋302' : `长沙市芙蓉区文艺路${i}号`}`)].join('\n'));
    await importFile({ ctx, store, edition, kind: 'persons', file: persons, idHashKey: ID_KEY });
    fs.rmSync(dir, { recursive: true, force: true });
    const ids = await store.persons.idsByHash([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => hashIdNumber(idNumber(i), ID_KEY)));
    for (const i of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) person[i] = ids.get(hashIdNumber(idNumber(i), ID_KEY))!;
    await store.places.insertMany([
      { code: trainCode, name: `G4301 ${trainDay}`, category: 'vehicle', regionCode: '4301', lng: null, lat: null, status: 'open', vehicleSetting: 'train_enclosed' },
      { code: 'MKT-1', name: '识字里米粉店', category: 'restaurant', regionCode: '430102', lng: 112.99, lat: 28.19, status: 'open', vehicleSetting: null },
      { code: 'KTV-9', name: '五一路星光KTV', category: 'ktv', regionCode: '430102', lng: 112.98, lat: 28.2, status: 'open', vehicleSetting: null },
    ]);
    // Persons 6 and 7 sang with person 1 at the KTV four days ago, and fell ill after person 1: cases 10 and 11 of the chain.
    const ktv = (await store.places.idsByCode(['KTV-9'])).get('KTV-9')!;
    const sang = Date.parse(`${dayBefore(4)}T20:00:00+08:00`) / 1000;
    await store.presence.insertMany([1, 6, 7].map((i) => ({ personId: person[i], placeId: ktv, start: sang, end: sang + 2 * 3600, source: 'venue_scan' as const, seat: null, carriage: null })));
    const train = (await store.places.idsByCode([trainCode])).get(trainCode)!;
    const boarded = Date.parse(`${trainDay}T10:00:00+08:00`);
    await store.presence.insertMany([{ personId: person[1], placeId: train, start: boarded / 1000, end: boarded / 1000 + 2.5 * 3600, source: 'transport_seat', seat: '7A', carriage: '3' }]);
    // Person 2 worked at the noodle shop from 15:00 to 18:00 that day; no feed places the case there.
    const market = (await store.places.idsByCode(['MKT-1'])).get('MKT-1')!;
    const stall = Date.parse(`${trainDay}T15:00:00+08:00`) / 1000;
    await store.presence.insertMany([{ personId: person[2], placeId: market, start: stall, end: stall + 3 * 3600, source: 'venue_scan', seat: null, carriage: null }]);
    await addUser(ctx, store, { username: 'liu.cdc', displayName: 'liu.cdc', agency: { name: 'e2e-cdc', kind: 'public_health' }, role: 'cdc_investigator', regionCode: '43', password: PASSWORD });
    investigatorKey = (await issueApiKey(ctx, store, { name: 'e2e-cdc', role: 'cdc_investigator', regionCode: '43' })).key;
    app = await buildApp({ store, edition, engine: await TracingEngine.load({ store, edition }), webDir: WEB_DIST, version: 'e2e', ownsStore: true, codeSecret: ID_KEY });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    const now = Date.now();
    // Onsets are set from the evening at the KTV, not from now: that evening is a calendar day (the same-trip check
    // picks it by date), so its distance from now changes with the hour the suite runs. Set from now, a run after
    // 22:00 China time put the KTV outside case 1's infectious window (2 days before onset) and the chain broke.
    // Case 1 fell ill 36 hours after the KTV (which is within its window, and after the train), persons 6 and 7 three
    // days after it: every onset is at least 4 hours in the past, whatever the hour.
    const ktvStart = sang * 1000;
    const r = await fetch(`${url}/api/cases`, {
      method: 'POST', headers: { authorization: `Bearer ${investigatorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ caseNo: 'CS-E2E-9', personId: person[1], kind: 'confirmed', onsetAt: cst(ktvStart + 36 * HOUR), sampledAt: cst(ktvStart + 40 * HOUR), confirmedAt: cst(now - HOUR), detectedBy: 'symptoms' }),
    });
    expect(r.status, await r.clone().text()).toBe(201);
    caseId = ((await r.json()) as { case: { id: number } }).case.id;
    for (const [i, no] of [[6, 'CS-E2E-10'], [7, 'CS-E2E-11']] as const) {
      const c = await fetch(`${url}/api/cases`, {
        method: 'POST', headers: { authorization: `Bearer ${investigatorKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ caseNo: no, personId: person[i], kind: 'confirmed', onsetAt: cst(ktvStart + 72 * HOUR), sampledAt: cst(ktvStart + 74 * HOUR), confirmedAt: cst(now - HOUR / 2), detectedBy: 'symptoms' }),
      });
      expect(c.status, await c.clone().text()).toBe(201);
      chainCase[i] = ((await c.json()) as { case: { id: number } }).case.id;
    }
    await app.cordon.events.settle();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'] });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const [name, width, height] of [['desktop', 1440, 900], ['phone', 390, 844]] as const) {
    it(`lets an investigator find persons by ID number, phone and address, a case and a train, each person search audited, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'liu.cdc', PASSWORD);
      await page.goto(`${url}/search`);
      await page.waitForSelector('[data-testid=search-page]');
      const audited = async () => (await store.audit.list({}, { after: 0, limit: 1000 })).items.filter((e) => e.action === 'persons:search').length;
      const before = await audited();
      // The number on the card, in lower case with spaces around it, finds person 2 (masked).
      expect(await search(page, ` ${idNumber(2).toLowerCase()} `)).toBe(1);
      expect(await page.getAttribute('[data-testid=search-row]', 'data-id')).toBe(String(person[2]));
      expect(await page.textContent('[data-testid=search-results]')).toContain('居*');
      await checkAndShoot(page, `search-persons-${name}`, width);
      expect(await search(page, '139 0731 0003')).toBe(1);
      expect(await page.getAttribute('[data-testid=search-row]', 'data-id')).toBe(String(person[3]));
      expect(await search(page, '识字里小区7栋')).toBe(2);
      expect(await page.locator('[data-testid=search-row]').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.id)))).toEqual([person[4], person[5]]);
      // Three searches: one entry for each person found.
      expect(await audited()).toBe(before + 4);
      // Person 1 is case CS-E2E-9 with a red code: the row says so and leads to the case's page.
      expect(await search(page, idNumber(1))).toBe(1);
      expect(await page.textContent('[data-testid=search-code]')).toBe('红码');
      expect(await page.textContent('[data-testid=search-case]')).toBe('CS-E2E-9');
      await checkAndShoot(page, `search-person-case-${name}`, width);
      await page.click('[data-testid=search-case]');
      await page.waitForSelector(`[data-testid=case-workbench][data-id="${caseId}"]`);
      await page.goBack();
      await page.waitForSelector('[data-testid=search-page]');
      await page.click('[data-testid=search-kind] >> text=病例');
      expect(await search(page, 'cs-e2e-9')).toBe(1);
      await page.click('[data-testid=search-kind] >> text=车次航班');
      await pickDate(page, 'search-date', trainDay);
      expect(await search(page, 'G4301')).toBe(1);
      expect(await page.getAttribute('[data-testid=search-row]', 'data-code')).toBe(trainCode);
      await checkAndShoot(page, `search-trips-${name}`, width);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `search-${name}`);
      await page.close();
    });

    it(`tells a member of the public, not signed in, that a case rode their train, by its number and date, and was at a venue they visited, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await page.goto(url);
      await page.click('[data-testid=link-check]');
      await page.waitForSelector('[data-testid=same-trip-page]');
      await page.fill('[data-testid=same-trip-number]', 'g4301');
      await pickDate(page, 'same-trip-date', trainDay);
      await page.click('[data-testid=same-trip-go]');
      await page.waitForSelector('[data-testid=same-trip-answer]');
      expect(await page.getAttribute('[data-testid=same-trip-answer]', 'data-cases')).toBe('1');
      // One case; its ride may be on record twice (the ticket, and the interview's row of another test).
      expect(await page.locator('[data-testid=same-trip-row]').count()).toBeGreaterThanOrEqual(1);
      expect(await page.textContent('[data-testid=same-trip-answer]')).toContain('CS-E2E-9');
      expect(await page.textContent('[data-testid=same-trip-answer]')).not.toContain('居民');
      await checkAndShoot(page, `same-trip-${name}`, width);
      // A number not run that day is said so.
      await page.fill('[data-testid=same-trip-number]', 'G4302');
      await page.click('[data-testid=same-trip-go]');
      await page.waitForSelector('[data-testid=same-trip-unknown]');
      // At a venue found by name, between two times picked on one-month panels that fit the screen.
      await page.click('[data-testid=same-trip-by] >> text=场所');
      await page.click('[data-testid=same-trip-venue]');
      await page.keyboard.type('星光');
      await page.locator('.ant-select-item-option', { hasText: '五一路星光KTV' }).click();
      await pickDate(page, 'same-trip-venue-date', dayBefore(4));
      // An end before the start is refused at the field.
      await page.fill('[data-testid=same-trip-from]', '23:00');
      await page.fill('[data-testid=same-trip-to]', '19:00');
      await page.click('[data-testid=same-trip-go]');
      await page.waitForSelector('[data-testid=same-trip-form] .ant-form-item-explain-error:has-text("离开时间须晚于到达时间")');
      await page.fill('[data-testid=same-trip-from]', '19:00');
      await page.fill('[data-testid=same-trip-to]', '23:00');
      await page.click('[data-testid=same-trip-go]');
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=same-trip-answer]')?.getAttribute('data-cases') ?? 0) >= 1);
      expect(await page.textContent('[data-testid=same-trip-answer]')).toContain('五一路星光KTV');
      await checkAndShoot(page, `same-trip-venue-${name}`, width);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `same-trip-${name}`);
      await page.close();
    });

    it(`lets an investigator open the case, add a trajectory row at a noodle shop and a typed one, and see the person met there become a close contact with the interview as evidence, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'liu.cdc', PASSWORD);
      await page.goto(`${url}/search`);
      await page.waitForSelector('[data-testid=search-page]');
      await page.click('[data-testid=search-kind] >> text=病例');
      expect(await search(page, 'CS-E2E-9')).toBe(1);
      await page.click('[data-testid=open-case]');
      await page.waitForSelector('[data-testid=case-workbench]');
      const closeContacts = () => page.locator('[data-testid=contact-row][data-kind=close]').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.person)));
      // Desktop adds 15:10-15:50, the phone 16:10-16:50: both while person 2 was at the shop.
      const [from, to] = name === 'desktop' ? ['15:10', '15:50'] : ['16:10', '16:50'];
      // The rows on record once loaded (other tests may have added some).
      await page.waitForSelector('[data-testid=trajectory][data-rows]:not([data-rows=""])');
      const rowsBefore = Number(await page.getAttribute('[data-testid=trajectory]', 'data-rows'));
      await page.click('[data-testid=add-row]');
      await dialogSettled(page, '[data-testid=row-form]');
      await pickDate(page, 'row-date', trainDay);
      // An end before the start is refused at the field (an overnight stay is ticked, never guessed); nothing is sent.
      await page.fill('[data-testid=row-start]', '15:00');
      await page.fill('[data-testid=row-end]', '14:00');
      await page.click('[data-testid=row-ok]');
      expect(await (await page.waitForSelector('[data-testid=row-form] .ant-form-item-explain-error:has-text("结束时间须晚于开始时间")')).textContent()).toContain('次日结束');
      expect(Number(await page.getAttribute('[data-testid=trajectory]', 'data-rows'))).toBe(rowsBefore);
      await page.fill('[data-testid=row-start]', from);
      await page.fill('[data-testid=row-end]', to);
      await chooseNoodleShop(page, 'row-place', '[data-testid=row-form][data-place="MKT-1"]');
      await page.fill('[data-testid=row-activity]', '吃米粉');
      await page.click('[data-testid=row-ok]');
      await page.waitForSelector('[data-testid=row-saved]');
      await page.waitForSelector(`[data-testid=trajectory][data-rows="${rowsBefore + 1}"]`);
      await page.waitForFunction((p) => [...document.querySelectorAll('[data-testid=contact-row][data-kind=close]')].some((r) => (r as HTMLElement).dataset.person === String(p)), person[2]);
      expect(await closeContacts()).toContain(person[2]);
      const sources = await page.locator(`[data-testid=contact-row][data-person="${person[2]}"] [data-testid=evidence]`).evaluateAll((tags) => tags.map((t) => (t as HTMLElement).dataset.sources));
      expect(sources.some((x) => x?.split(',').includes('investigation'))).toBe(true);
      // A place the register does not hold is kept, marked as not traced.
      await page.click('[data-testid=add-row]');
      await dialogSettled(page, '[data-testid=row-form]');
      await page.click('[data-testid=row-where] >> text=手填地点');
      await pickDate(page, 'row-date', trainDay);
      await page.fill('[data-testid=row-start]', name === 'desktop' ? '19:00' : '20:00');
      await page.fill('[data-testid=row-end]', name === 'desktop' ? '19:30' : '20:30');
      await page.fill('[data-testid=row-typed]', '小区门口流动菜摊');
      await page.click('[data-testid=row-ok]');
      await page.waitForSelector(`[data-testid=trajectory][data-rows="${rowsBefore + 2}"]`);
      expect(await page.locator('[data-testid=trajectory-row][data-traced=false]').count()).toBeGreaterThanOrEqual(1);
      if (name === 'desktop') {
        // The train the case rode, by its number and date, with the seat.
        await page.waitForSelector('.ant-modal-mask', { state: 'detached' });
        await page.click('[data-testid=add-row]');
        await dialogSettled(page, '[data-testid=row-form]');
        await page.click('[data-testid=row-where] >> text=交通工具');
        await pickDate(page, 'row-date', trainDay);
        // (Times of its own: the notices test enters the ride 10:00-12:30 through the API, and the same row is not added twice.)
        await page.fill('[data-testid=row-start]', '10:05');
        await page.fill('[data-testid=row-end]', '12:25');
        // A train that did not run that day: said at the number, nothing written.
        await page.fill('[data-testid=row-number]', 'ZZ9999');
        await page.click('[data-testid=row-ok]');
        await page.waitForSelector('[data-testid=row-form] .ant-form-item-explain-error:has-text("该日期没有此车次或航班")');
        expect(Number(await page.getAttribute('[data-testid=trajectory]', 'data-rows'))).toBe(rowsBefore + 2);
        await page.fill('[data-testid=row-number]', 'G4301');
        await page.fill('[data-testid=row-seat]', '7A');
        await page.click('[data-testid=row-ok]');
        await page.waitForSelector(`[data-testid=trajectory][data-rows="${rowsBefore + 3}"]`);
      }
      // A nameless notice of the places and times, published for the public.
      await page.waitForSelector('.ant-modal-mask', { state: 'detached' });
      const notices = (await store.notices.published(100)).length;
      await page.click('[data-testid=publish]');
      await dialogSettled(page, '[data-testid=publish-form]');
      await page.click('[data-testid=publish-ok]');
      await page.waitForFunction(() => document.querySelector('[data-testid=publish-form]') === null);
      expect((await store.notices.published(100)).length).toBe(notices + 1);
      // The dialog has closed (its fading mask is not in the picture).
      await page.waitForSelector('.ant-modal-mask', { state: 'detached' });
      await checkAndShoot(page, `case-workbench-${name}`, width);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `case-workbench-${name}`);
      await page.close();
    });

    it(`lets an investigator add a close contact by judgement, found by ID number, and take the contacts away as XLSX and CSV, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'liu.cdc', PASSWORD);
      await page.goto(`${url}/cases/${caseId}`);
      await page.waitForSelector('[data-testid=case-workbench]');
      // Desktop adds person 3, the phone person 4: each a contact of its own, whichever test ran first.
      const who = name === 'desktop' ? 3 : 4;
      await page.click('[data-testid=add-contact]');
      await dialogSettled(page, '[data-testid=manual-form]');
      // Saying nothing is refused at the fields, and nothing is written.
      const contactsBefore = (await store.cases.contactsOfCase(caseId)).length;
      await page.click('[data-testid=manual-ok]');
      await page.waitForSelector('.ant-form-item-explain-error');
      expect((await store.cases.contactsOfCase(caseId)).length).toBe(contactsBefore);
      await page.fill('[data-testid=manual-find] input, input[data-testid=manual-find]', idNumber(who));
      await page.keyboard.press('Enter');
      // The one person the ID number finds is chosen at once.
      await page.waitForSelector(`[data-testid=manual-form][data-person="${person[who]}"]`);
      expect(await page.textContent('[data-testid=manual-person]')).toContain('居**');
      // An exposure long before the case was infectious is refused with the reason in the form, and nothing is written.
      await pickDate(page, 'manual-date', dayBefore(20));
      await page.fill('[data-testid=manual-start]', '18:00');
      await page.fill('[data-testid=manual-end]', '19:00');
      await page.fill('[data-testid=manual-reason]', '同桌打牌两小时，未戴口罩');
      await page.click('[data-testid=manual-ok]');
      // The server's refusal, or (a failure to explain) the form's own: which fields it stopped at.
      await page.waitForSelector('[data-testid=manual-error], [data-testid=manual-form] .ant-form-item-explain-error');
      if (await page.locator('[data-testid=manual-error]').count() === 0) {
        await page.screenshot({ path: path.join(SCREENSHOTS, `case-contacts-refused-${name}.png`), fullPage: true });
        const stopped = await page.locator('[data-testid=manual-form] .ant-form-item-explain-error').allTextContents();
        const values = await page.locator('[data-testid=manual-form] input, [data-testid=manual-form] textarea').evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).value));
        throw new Error(`the form stopped the request: ${stopped.join('; ')} (inputs: ${JSON.stringify(values)})`);
      }
      expect(await page.textContent('[data-testid=manual-error]')).toContain('传染期');
      expect((await store.cases.contactsOfCase(caseId)).length).toBe(contactsBefore);
      await pickDate(page, 'manual-date', trainDay);
      await page.click('[data-testid=manual-ok]');
      await page.waitForFunction(() => document.querySelector('[data-testid=manual-form]') === null);
      await page.waitForSelector('[data-testid=contact-saved]');
      await page.waitForSelector(`[data-testid=contact-row][data-person="${person[who]}"][data-kind=close]`);
      const row = await page.textContent(`[data-testid=contact-row][data-person="${person[who]}"]`);
      expect(row).toContain('居*');
      expect(row).toContain(idNumber(who).slice(-2));
      expect(row).not.toContain(idNumber(who).slice(3, 10));
      const added = (await store.cases.contactsOfCase(caseId)).find((k) => k.personId === person[who])!;
      expect(added).toMatchObject({ kind: 'close', origin: 'investigator', evidence: [expect.objectContaining({ setting: 'manual', note: '同桌打牌两小时，未戴口罩' })] });
      // The person search was audited with the case in its purpose.
      const searched = (await store.audit.list({}, { after: 0, limit: 1000 })).items.filter((e) => e.action === 'persons:search' && e.subject === `person:${person[who]}`);
      expect(searched.some((e) => e.purpose?.includes('CS-E2E-9'))).toBe(true);
      await page.waitForSelector('.ant-modal-mask', { state: 'detached' });
      await checkAndShoot(page, `case-contacts-${name}`, width);
      // The contacts as a spreadsheet and as CSV: each holds the person just added, masked.
      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-xlsx]')]);
      expect(xlsx.suggestedFilename()).toBe('contacts-CS-E2E-9.xlsx');
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(await xlsx.path());
      const names = book.getWorksheet('接触者')!.getColumn(3).values.map(Number);
      expect(names).toContain(person[who]);
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
      const text = fs.readFileSync(await csv.path(), 'utf8');
      expect(text.split('\n')[0]).toContain('接触者编号');
      expect(text).toContain(`,${person[who]},居**,`);
      // Filtered by setting: only the contact by judgement (the protocol's setting 9).
      await page.click('[data-testid=contact-setting]');
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: '流调认定' }).click();
      const byJudgement = (await store.cases.contactsOfCase(caseId)).filter((k) => k.evidence.some((e) => e.setting === 'manual')).map((k) => k.personId).sort((a, b) => a - b);
      expect(byJudgement).toContain(person[who]);
      expect(byJudgement.length).toBeLessThan((await store.cases.contactsOfCase(caseId)).length);
      await expect.poll(async () => (await page.locator('[data-testid=contact-row]').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.person)))).sort((a, b) => a - b)).toEqual(byJudgement);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `case-contacts-${name}`);
      await page.close();
    });

    it(`answers a case address that names no case, or a case that does not exist, as not found instead of loading forever, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signInAs(page, url, 'liu.cdc', PASSWORD);
      for (const id of ['abc', '1.5', '0', '0x2', '999999']) {
        await page.goto(`${url}/cases/${id}`);
        expect(await (await page.waitForSelector('[data-testid=case-error]')).textContent(), id).toContain('不存在或不在本辖区');
      }
      expect(errors).toEqual([]);
      await page.close();
    });

    it(`says on a case's page why an export of its contacts was refused, in the page's language, and saves no file, at ${width} px`, async () => {
      // An investigator of their own (the limit is each actor's), who has used up a minute's exports.
      const username = `zhao.cdc.${name}`;
      await addUser(ctx, store, { username, displayName: username, agency: { name: 'e2e-cdc', kind: 'public_health' }, role: 'cdc_investigator', regionCode: '43', password: PASSWORD });
      const page = await browser.newPage({ viewport: { width, height }, acceptDownloads: true });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signInAs(page, url, username, PASSWORD);
      await page.goto(`${url}/cases/${caseId}`);
      await page.waitForSelector('[data-testid=case-contacts] [data-testid=contact-row]');
      for (let i = 0; i < EXPORTS_PER_MINUTE; i++) expect((await page.request.get(`${url}/api/cases/${caseId}/contacts/export?format=csv`)).status()).toBe(200);
      const downloads: string[] = [];
      page.on('download', (d) => downloads.push(d.suggestedFilename()));
      await page.click('[data-testid=export-xlsx]');
      await page.waitForSelector('[data-testid=export-error]');
      expect(await page.textContent('[data-testid=export-error]')).toContain('请一分钟后再试');
      await checkAndShoot(page, `case-export-refused-${name}`, width);
      await page.click('[data-testid=lang-switch]');
      expect(await page.textContent('[data-testid=export-error]')).toContain('try again in a minute');
      await page.click('[data-testid=lang-switch]');
      expect(downloads).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });

    it(`lets an investigator fill in a case's interview against its 24-hour deadline, save a draft and complete it, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'liu.cdc', PASSWORD);
      // Desktop fills in person 6's case, the phone person 7's: each an interview of its own.
      const id = chainCase[name === 'desktop' ? 6 : 7];
      await page.goto(`${url}/cases/${id}`);
      await dialogSettled(page, '[data-testid=interview-form]');
      expect(await page.getAttribute('[data-testid=interview-state]', 'data-state')).toBe('open');
      expect(await page.textContent('[data-testid=interview-state]')).toMatch(/须于 .* 前完成/);
      // Completing an empty form is stopped at its required fields; nothing is saved.
      await page.click('[data-testid=interview-complete]');
      await page.waitForSelector('[data-testid=interview-form] .ant-form-item-explain-error');
      expect((await store.interviews.of(id))).toBeUndefined();
      // A draft with the signs.
      await page.click('[data-testid=interview-symptoms]');
      for (const sign of ['发热', '干咳']) {
        await page.keyboard.type(sign);
        await page.keyboard.press('Enter');
        await page.waitForSelector(`[data-testid=interview-symptoms] .ant-select-selection-item[title="${sign}"], [data-testid=interview-symptoms] .ant-select-selection-item:has-text("${sign}")`);
      }
      await page.keyboard.press('Escape');
      await page.click('[data-testid=interview-draft]');
      await page.waitForSelector('[data-testid=interview][data-version="1"]');
      expect((await store.interviews.of(id))!.answers).toEqual({ onset: { symptoms: ['fever', 'dry_cough'] } });
      // A temperature no body has is said, not changed to the nearest one; nothing is saved with it.
      await page.fill('[data-testid=interview-temperature] input, input[data-testid=interview-temperature]', '48');
      await page.click('[data-testid=interview-draft]');
      await page.waitForSelector('.ant-form-item-explain-error:has-text("体温应在30℃至43℃之间")');
      expect(await page.inputValue('[data-testid=interview-temperature] input, input[data-testid=interview-temperature]')).toBe('48.0');
      expect((await store.interviews.of(id))!.version).toBe(1);
      await page.fill('[data-testid=interview-temperature] input, input[data-testid=interview-temperature]', '38.6');
      // So are a Ct value and doses out of their bounds, and a fraction of a dose: each said at its field, none changed.
      await page.fill('[data-testid=interview-ct] input, input[data-testid=interview-ct]', '-3');
      await page.fill('[data-testid=interview-doses] input, input[data-testid=interview-doses]', '2.5');
      await page.click('[data-testid=interview-draft]');
      await page.waitForSelector('.ant-form-item-explain-error:has-text("应在5至45之间")');
      await page.waitForSelector('.ant-form-item-explain-error:has-text("应为0至5之间的整数")');
      expect(Number(await page.inputValue('[data-testid=interview-ct] input, input[data-testid=interview-ct]'))).toBe(-3);
      expect((await store.interviews.of(id))!.version).toBe(1);
      await page.fill('[data-testid=interview-ct] input, input[data-testid=interview-ct]', '24.5');
      // A first visit typed as a date alone is taken at the start of that day, and shown so.
      await page.click('[data-testid=interview-first-care] input, input[data-testid=interview-first-care]');
      await page.keyboard.type(dayBefore(2));
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
      await expect.poll(() => page.inputValue('[data-testid=interview-first-care] input, input[data-testid=interview-first-care]')).toBe(`${dayBefore(2)} 00:00`);
      // Then the rest, and completed; a confirmed case is not offered the asymptomatic type.
      await page.fill('[data-testid=interview-doses] input, input[data-testid=interview-doses]', '2');
      await page.click('[data-testid=interview-type]');
      await page.waitForSelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
      expect(await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').allTextContents()).toEqual(['轻型', '普通型', '重型', '危重型']);
      await page.locator('.ant-select-item-option', { hasText: '轻型' }).click();
      await page.fill('[data-testid=interview-source]', '与病例CS-E2E-9同在KTV唱歌');
      await page.click('[data-testid=interview-complete]');
      await page.waitForSelector('[data-testid=interview-state][data-state=completed]');
      const saved = (await store.interviews.of(id))!;
      expect(saved).toMatchObject({ version: 2, answers: { onset: { symptoms: ['fever', 'dry_cough'], maxTemperature: 38.6, firstCareAt: parseTime(`${dayBefore(2)} 00:00`) }, lab: { ctValue: 24.5 }, vaccination: { doses: 2 }, diagnosis: { clinicalType: 'mild' }, exposures: { suspectedSource: '与病例CS-E2E-9同在KTV唱歌' } } });
      // Completed at the server's time, not the browser's.
      expect(Math.abs(saved.completedAt! - Date.now() / 1000)).toBeLessThan(120);
      await checkAndShoot(page, `case-interview-${name}`, width);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `case-interview-${name}`);
      await page.close();
    });

    it(`shows an investigator the case's chain as a graph with its possible source and its likelihood, and confirms the link, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'liu.cdc', PASSWORD);
      // Desktop works on person 6's case, the phone on person 7's: each confirms a link of its own.
      const infectee = chainCase[name === 'desktop' ? 6 : 7];
      await page.goto(`${url}/cases/${infectee}`);
      await page.waitForSelector('[data-testid=chain-graph]');
      // The chain holds the three cases, its links inferred (none confirmed for this case yet).
      expect(Number(await page.getAttribute('[data-testid=chain-graph]', 'data-nodes'))).toBe(3);
      expect(Number(await page.getAttribute('[data-testid=chain-graph]', 'data-links'))).toBe(2);
      // The KTV evening, where persons 6 and 7 were infected, is drawn as a node of its own.
      expect(Number(await page.getAttribute('[data-testid=chain-graph]', 'data-events'))).toBe(1);
      // A case number in the candidates' table stays on one line, at either width.
      await page.waitForSelector(`[data-testid=candidate-row][data-infector="${caseId}"]`);
      expect(await page.locator(`[data-testid=candidate-row][data-infector="${caseId}"] td`).first().locator('span[translate=no]').evaluate((e) => e.getClientRects().length)).toBe(1);
      await page.waitForSelector(`[data-testid=candidate-row][data-infector="${caseId}"]`);
      // The candidates' probabilities and the probability that the source is none of the cases add up to 100 %.
      const percent = (text: string | null) => Number(/(\d+)%/.exec(text ?? '')?.[1]);
      const rows = page.locator('[data-testid=candidate-row]');
      const shares = await Promise.all(Array.from({ length: await rows.count() }, async (_, i) => percent(await rows.nth(i).locator('td').nth(1).textContent())));
      const p0 = percent(await page.textContent('[data-testid=source-unknown-chance]'));
      expect(percent(await page.locator(`[data-testid=candidate-row][data-infector="${caseId}"] td`).nth(1).textContent())).toBeGreaterThan(0);
      expect(Math.abs(shares.reduce((a, b) => a + b, 0) + p0 - 100)).toBeLessThanOrEqual(shares.length);
      expect(await page.locator('canvas').count()).toBeGreaterThan(0);
      // Every case of this chain is the viewer's: no note about links into another region.
      expect(await page.locator('[data-testid=chain-outside-note]').count()).toBe(0);
      await checkAndShoot(page, `case-chain-${name}`, width);
      const confirmedBefore = Number(await page.getAttribute('[data-testid=chain-graph]', 'data-confirmed'));
      await page.click(`[data-testid=candidate-row][data-infector="${caseId}"] [data-testid=confirm-link]`);
      await page.waitForSelector('[data-testid=link-confirmed]');
      await page.waitForSelector(`[data-testid=chain-graph][data-confirmed="${confirmedBefore + 1}"]`);
      const links = await store.chains.links();
      expect(links).toContainEqual(expect.objectContaining({ infectorCaseId: caseId, infecteeCaseId: infectee, verdict: 'confirmed' }));
      // Confirmed, the likelihood no longer applies; the confirmation can be undone (a change of mind).
      expect(await page.textContent(`[data-testid=candidate-row][data-infector="${caseId}"]`)).not.toContain('%');
      await checkAndShoot(page, `case-chain-confirmed-${name}`, width);
      await page.click(`[data-testid=candidate-row][data-infector="${caseId}"] [data-testid=undo-link]`);
      await page.waitForSelector('[data-testid=link-confirmed]', { state: 'detached' });
      // Undone, not rejected: no verdict stands, and the source is offered again with its likelihood.
      await expect.poll(async () => (await store.chains.links()).some((l) => l.infectorCaseId === caseId && l.infecteeCaseId === infectee)).toBe(false);
      await page.waitForFunction((id) => /\d+%/.test(document.querySelector(`[data-testid=candidate-row][data-infector="${id}"]`)?.textContent ?? ''), caseId);
      expect(await page.locator(`[data-testid=candidate-row][data-infector="${caseId}"] [data-testid=confirm-link]`).count()).toBe(1);
      // Rejected by one click, the source leaves the candidates and is listed as rejected, with who and when, and an undo.
      await page.click(`[data-testid=candidate-row][data-infector="${caseId}"] [data-testid=reject-link]`);
      const rejectedRow = await page.waitForSelector(`[data-testid=rejected-link][data-infector="${caseId}"]`);
      expect(await page.locator(`[data-testid=candidate-row][data-infector="${caseId}"]`).count()).toBe(0);
      expect(await rejectedRow.textContent()).toMatch(/排除，操作人 liu\.cdc/);
      await expect.poll(async () => (await store.chains.links()).find((l) => l.infectorCaseId === caseId && l.infecteeCaseId === infectee)).toMatchObject({ verdict: 'rejected', enteredBy: 'api:liu.cdc' });
      await checkAndShoot(page, `case-chain-rejected-${name}`, width);
      await page.click(`[data-testid=rejected-link][data-infector="${caseId}"] [data-testid=undo-reject]`);
      await page.waitForSelector('[data-testid=rejected-links]', { state: 'detached' });
      await page.waitForSelector(`[data-testid=candidate-row][data-infector="${caseId}"] [data-testid=confirm-link]`);
      await expect.poll(async () => (await store.chains.links()).some((l) => l.infectorCaseId === caseId && l.infecteeCaseId === infectee)).toBe(false);
      // The link confirmed again (through the API), as the other tests of this world expect it.
      const again = await fetch(`${url}/api/links`, { method: 'POST', headers: { authorization: `Bearer ${investigatorKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ infectorCaseId: caseId, infecteeCaseId: infectee, verdict: 'confirmed', note: null }) });
      expect(again.status, await again.clone().text()).toBe(201);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `case-chain-${name}`);
      await page.close();
    });

    it(`keeps a warning on both cases' pages while a confirmed link's infector fell ill after its infectee, whoever confirmed it; a withdrawn infector's page says so and leaves the chains, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      // Persons 8 and 9, or 10 and 11 (no feed places them anywhere): each width its own pair, the infector falling ill a day and a
      // half after the infectee; the link confirmed through the API, as another investigator's tool would.
      const now = Date.now();
      const [infectorNo, infecteeNo] = name === 'desktop' ? ['CS-LT-1', 'CS-LT-2'] : ['CS-LT-3', 'CS-LT-4'];
      const infector = (await created<{ case: { id: number } }>('/api/cases', { caseNo: infectorNo, personId: person[name === 'desktop' ? 8 : 10], kind: 'confirmed', onsetAt: cst(now - 30 * HOUR), sampledAt: cst(now - 20 * HOUR), confirmedAt: cst(now - HOUR), detectedBy: 'symptoms' })).case.id;
      const infectee = (await created<{ case: { id: number } }>('/api/cases', { caseNo: infecteeNo, personId: person[name === 'desktop' ? 9 : 11], kind: 'confirmed', onsetAt: cst(now - 66 * HOUR), sampledAt: cst(now - 50 * HOUR), confirmedAt: cst(now - 2 * HOUR), detectedBy: 'symptoms' })).case.id;
      await created('/api/links', { infectorCaseId: infector, infecteeCaseId: infectee, verdict: 'confirmed', note: null });
      await signInAs(page, url, 'liu.cdc', PASSWORD);
      for (const id of [infectee, infector]) {
        await page.goto(`${url}/cases/${id}`);
        const warning = await page.waitForSelector(`[data-testid=link-warning][data-infector="${infector}"][data-infectee="${infectee}"]`);
        const text = (await warning.textContent()) ?? '';
        // Both cases by number and both onsets, in Chinese.
        expect(text).toContain(`已确认的传染者 ${infectorNo} 发病（${cst(now - 30 * HOUR)}）晚于被传染者 ${infecteeNo}（${cst(now - 66 * HOUR)}）`);
        expect(text).not.toMatch(/[A-Za-z]{4,}/);
        if (id === infectee) await checkAndShoot(page, `case-link-warning-${name}`, width);
      }
      // The confirmation undone, the warning goes with it.
      await created('/api/links', { infectorCaseId: infector, infecteeCaseId: infectee, verdict: 'cleared', note: null });
      await page.reload();
      await page.waitForSelector('[data-testid=chain-graph], [data-testid=chain-none]');
      await page.waitForSelector('[data-testid=case-chain]:not(.ant-card-loading)');
      expect(await page.locator('[data-testid=link-warning]').count()).toBe(0);
      // Confirmed again, then the infector withdrawn as not a case: its page says so and is read-only, and the
      // infectee's page no longer names it (its verdict left the chains with it).
      await created('/api/links', { infectorCaseId: infector, infecteeCaseId: infectee, verdict: 'confirmed', note: null });
      const withdrawn = await fetch(`${url}/api/cases/${infector}/withdraw`, { method: 'POST', headers: { authorization: `Bearer ${investigatorKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: '复核阴性' }) });
      expect(withdrawn.status).toBe(200);
      await page.goto(`${url}/cases/${infector}`);
      const notice = (await (await page.waitForSelector('[data-testid=case-withdrawn]')).textContent()) ?? '';
      expect(notice).toContain('该病例已于');
      expect(notice).toContain('原因：复核阴性');
      await page.waitForSelector('[data-testid=trajectory]');
      for (const action of ['add-row', 'publish', 'add-contact', 'case-chain', 'interview-state']) expect(await page.locator(`[data-testid=${action}]`).count(), action).toBe(0);
      await checkAndShoot(page, `case-withdrawn-${name}`, width);
      await page.goto(`${url}/cases/${infectee}`);
      await page.waitForSelector('[data-testid=case-chain]:not(.ant-card-loading)');
      await page.waitForSelector('[data-testid=chain-graph], [data-testid=chain-none]');
      expect(await page.locator('[data-testid=link-warning]').count()).toBe(0);
      expect(await page.locator('[data-testid=case-chain]').textContent()).not.toContain(infectorNo);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `case-link-warning-${name}`);
      await page.close();
    });

    it(`lets anyone find the published notice of the case's train by its number, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      // The investigators' row of the train and a notice of it (through the API: the workbench test publishes from the page).
      await created(`/api/cases/${caseId}/trajectory`, { rows: [{ start: `${trainDay} 10:00`, end: `${trainDay} 12:30`, vehicle: { number: 'G4301', date: trainDay, seat: '7A', carriage: '3' } }] });
      await created(`/api/cases/${caseId}/notices`, { title: `芙蓉区病例活动轨迹（${name === 'desktop' ? '一' : '二'}）` });
      await page.goto(url);
      await page.click('[data-testid=link-notices]');
      await page.waitForSelector('[data-testid=notices-page]');
      await page.fill('[data-testid=notices-search] input, input[data-testid=notices-search]', 'G4301');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid=notices-list][data-q="G4301"][data-count]:not([data-count=""])');
      expect(Number(await page.getAttribute('[data-testid=notices-list]', 'data-count'))).toBeGreaterThanOrEqual(1);
      const text = await page.textContent('[data-testid=notices-list]');
      expect(text).toContain(`G4301 ${trainDay}`);
      expect(text).not.toContain('居民');
      expect(text).not.toContain('CS-E2E-9');
      await checkAndShoot(page, `notices-${name}`, width);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `notices-${name}`);
      await page.close();
    });

    it(`lets an investigator enter an exposure event from the case page: its cases form one cluster named after it; a case both source and exposed is refused at its field, the same event twice by the server, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'liu.cdc', PASSWORD);
      // Desktop enters a family dinner at the noodle shop five days ago, the phone a lunch there: events of their own.
      const exposedCase = chainCase[name === 'desktop' ? 6 : 7], otherCase = chainCase[name === 'desktop' ? 7 : 6];
      const [from, to, eventName] = name === 'desktop' ? ['18:00', '20:00', '家庭聚餐'] : ['12:00', '13:00', '同桌午餐'];
      const day = dayBefore(5);
      await page.goto(`${url}/cases/${exposedCase}`);
      await page.waitForSelector('[data-testid=chain-graph]');
      const eventsBefore = (await store.chains.events()).length;
      /** Chooses a case by its number in a multiple select (again if a click under load was lost), then closes the list. */
      const choose = async (testId: string, caseNo: string) => {
        const chosen = page.locator(`[data-testid=${testId}] .ant-select-selection-item`, { hasText: caseNo });
        for (let attempt = 0; await chosen.count() === 0; attempt++) {
          if (attempt === 3) throw new Error(`${caseNo} could not be chosen in ${testId}`);
          // Typing into the select's own box opens its list filtered to that number (a click on the box may toggle it shut).
          await page.locator(`[data-testid=${testId}] input`).first().fill(caseNo);
          await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: caseNo }).click({ timeout: 10_000 }).catch(() => undefined);
          // The list closed (and its closing animation over) before the next one opens: two open lists hold the same cases.
          await page.keyboard.press('Escape');
          await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'));
        }
      };
      const fill = async () => {
        await page.click('[data-testid=add-event]');
        await dialogSettled(page, '[data-testid=event-form]');
        await page.fill('[data-testid=event-name]', eventName);
        await pickDate(page, 'event-date', day);
        await page.fill('[data-testid=event-start]', from);
        await page.fill('[data-testid=event-end]', to);
        await chooseNoodleShop(page, 'event-place', '[data-testid=event-form]:not([data-place=""])');
        await choose('event-sources', 'CS-E2E-9');
        await choose('event-exposed', name === 'desktop' ? 'CS-E2E-11' : 'CS-E2E-10');
      };
      await fill();
      // The case the page is about is exposed to begin with; chosen as a source too, the form says so at its field.
      await choose('event-sources', name === 'desktop' ? 'CS-E2E-10' : 'CS-E2E-11');
      await page.click('[data-testid=event-ok]');
      expect(await (await page.waitForSelector('[data-testid=event-form] .ant-form-item-explain-error:has-text("既是传染来源又是暴露病例")')).textContent()).toContain('同一病例');
      expect((await store.chains.events()).length).toBe(eventsBefore);
      await checkAndShoot(page, `case-event-form-${name}`, width, { dialog: true });
      // The source removed again (its tag's close mark), the event is entered.
      await page.locator('[data-testid=event-sources] .ant-select-selection-item', { hasText: name === 'desktop' ? 'CS-E2E-10' : 'CS-E2E-11' }).locator('.ant-select-selection-item-remove').click();
      await page.click('[data-testid=event-ok]');
      await page.waitForSelector('[data-testid=event-saved]');
      const entered = (await store.chains.events()).find((e) => e.name === eventName)!;
      expect(entered).toMatchObject({ sources: [caseId], setting: 'manual' });
      expect([...entered.exposed].sort((a, b) => a - b)).toEqual([exposedCase, otherCase].sort((a, b) => a - b));
      expect(entered.placeId).toBe((await store.places.idsByCode(['MKT-1'])).get('MKT-1'));
      // The window is the day and times as typed, in China Standard Time.
      expect(entered.start).toBe(Date.parse(`${day}T${from}:00+08:00`) / 1000);
      expect(entered.end).toBe(Date.parse(`${day}T${to}:00+08:00`) / 1000);
      // The chains read again: the case's cluster holds the event and is named after it.
      await page.waitForSelector(`[data-testid=exposure-event]:has-text("${eventName}")`);
      // The other width's event (entered first when the suite is shuffled) exposes the same cases at lunch the same
      // day: a case belongs to its earliest event's cluster, so the lunch then names it (`clustersWithEvents`).
      const lunch = (await store.chains.events()).find((e) => e.name === '同桌午餐');
      const naming = lunch && lunch.start < entered.start ? lunch : entered;
      expect(await page.textContent('[data-testid=cluster-name]')).toBe(`所在聚集 ${naming.name} · 3例`);
      const view = await (await fetch(`${url}/api/chains`, { headers: { authorization: `Bearer ${investigatorKey}` } })).json() as { chains: { name: string; caseIds: number[]; events: string[] }[] };
      const cluster = view.chains.find((c) => c.caseIds.includes(exposedCase))!;
      expect(cluster.caseIds).toEqual(expect.arrayContaining([caseId, exposedCase, otherCase]));
      expect(cluster.events).toContain(`entered:${naming.id}`);
      expect(cluster.name).toContain(naming.name);
      await checkAndShoot(page, `case-event-${name}`, width);
      // The same event entered again is refused by the server, said in the page's words; nothing more is stored.
      await fill();
      await page.click('[data-testid=event-ok]');
      expect(await (await page.waitForSelector('[data-testid=event-error]')).textContent()).toBe('该暴露事件已登记过');
      expect((await store.chains.events()).filter((e) => e.name === eventName)).toHaveLength(1);
      // Entered by mistake: withdrawn with the reason, it leaves the page and the store, and stays in the corrections.
      // The dialog closed by its cancel button (Escape may go to a select's list, or to nothing, depending on focus).
      await page.click('[data-testid=event-cancel]');
      await page.waitForSelector('[data-testid=event-form]', { state: 'hidden' });
      await page.locator('[data-testid=exposure-event]', { hasText: eventName }).locator('[data-testid=withdraw-event]').click();
      await dialogSettled(page, '[data-testid=withdraw-event-reason]');
      expect(await page.textContent('.ant-modal-title')).toBe(`撤销暴露事件“${eventName}”`);
      // No reason, no withdrawal: the button waits for one.
      expect(await page.isDisabled('.ant-modal-footer .ant-btn-dangerous')).toBe(true);
      await page.fill('[data-testid=withdraw-event-reason]', '录入错误，实为另一场聚餐');
      await page.waitForSelector('.ant-modal-footer .ant-btn-dangerous:not([disabled])');
      await checkAndShoot(page, `case-event-withdraw-${name}`, width, { dialog: true });
      await page.click('.ant-modal-footer .ant-btn-dangerous');
      await page.waitForSelector('[data-testid=event-withdrawn]');
      await page.waitForSelector(`[data-testid=exposure-event]:has-text("${eventName}")`, { state: 'detached' });
      expect((await store.chains.events()).filter((e) => e.name === eventName)).toHaveLength(0);
      expect(await store.corrections.of('exposure_event', String(entered.id))).toEqual([expect.objectContaining({ reason: '录入错误，实为另一场聚餐' })]);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `case-event-${name}`);
      await page.close();
    });
  }
});
