/**
 * End-to-end, the command centre in Debian's Chromium against a real server on a SQLite store with Hunan's real
 * divisions: a director drills down from the province to a county on the dashboard, issues a directive there and sees
 * it decomposed level by level; a grid worker on a phone works the transfer task made from a new close contact (the
 * contact is then in quarantine), and on a weak network an action waits and is sent once; a task past its deadline
 * appears escalated to the unit above on the worker's page and the director's dashboard. Every page at 1440 px and
 * 390 px: no sideways scrolling, no English on the Chinese page, screenshots written.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { ROOT, WEB_DIST } from '../../src/api/main.ts';
import { formatTime } from '../../src/domain/time.ts';
import { hashIdNumber } from '../../src/domain/identity.ts';
import { loadEdition } from '../../src/domain/protocol/editions.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { systemCtx } from '../../src/platform/context.ts';
import { addUser, issueApiKey } from '../../src/services/accounts/accounts.ts';
import { escalateOverdue } from '../../src/services/command/tasks.ts';
import { importFile } from '../../src/services/import/importFile.ts';
import { initRegions } from '../../src/services/initRegions.ts';
import { TracingEngine } from '../../src/services/tracing/engine.ts';
import { openStore, type Store } from '../../src/storage/store.ts';
import { saveBrowserCoverage, startBrowserCoverage } from '../browserCoverage.ts';
import { checkAndShoot, dialogSettled, englishOn, ensureWebBuilt, pickCascader, SCREENSHOTS, signInAs } from '../pages.ts';
import { clearOfChinaMidnight, idNumber } from '../fixtures.ts';

/** Minutes before a China midnight in which the file waits for it (longer than the file takes). */
const MIDNIGHT_MARGIN_MINUTES = 15;

const CHROMIUM = process.env.CORDON_TEST_CHROMIUM;
const COUNTY = '430102';
const COMMUNITY = '430102001001';
const GRID = '43010200100101';
const PASSWORD = 'e2e password 1';
const ID_KEY = 'e2e-key-0123456789';

describe.skipIf(!CHROMIUM)('command centre pages in Chromium', () => {
  let app: FastifyInstance;
  let store: Store;
  let browser: Browser;
  let url: string;
  let investigatorKey: string, commandKey: string;
  /** Person ids of the residents 1..7 (all live in one grid of 芙蓉区). */
  const person: number[] = [];
  /** Text messages the server sent (sign-in codes, reminders). */
  const texts: { phone: string; text: string }[] = [];
  let caseId: number;
  const ctx = systemCtx(systemClock, 'e2e');

  const api = async <T = unknown>(pathname: string, key: string, body?: object): Promise<{ status: number; json: T }> => {
    const r = await fetch(`${url}${pathname}`, {
      method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, json: (await r.json()) as T };
  };
  const cst = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  /** A close contact of the case entered by the investigators, as the event flow then routes it. */
  const closeContact = async (p: number) => {
    const now = Date.now();
    const r = await api<{ id: number }>(`/api/cases/${caseId}/contacts`, investigatorKey, { personId: p, kind: 'close', reason: '同乘一辆网约车（流调）', firstExposure: cst(now - 30 * 3600_000), lastExposure: cst(now - 29 * 3600_000) });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    await app.cordon.events.settle();
    const tasks = await store.command.tasks({ kind: 'transfer_to_quarantine' }, { limit: 100 });
    return tasks.items.find((t) => t.subjectPersonId === p)!;
  };
  beforeAll(async () => {
    // Its figures are today's (new cases, today's bulletin, quarantine due today): never set up just before a change
    // of China day that would come while the file runs.
    await clearOfChinaMidnight(MIDNIGHT_MARGIN_MINUTES);
    await ensureWebBuilt();
    store = await openStore({ sqliteFile: ':memory:' });
    await initRegions({ store, gridsPerCommunity: 1 });
    const edition = loadEdition('ed8-delta-2021');
    const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules/.e2e-'));
    const persons = path.join(dir, 'persons.csv');
    // Person 7 has a phone: they sign in as a resident and send their own daily report.
    fs.writeFileSync(persons, ['id_number,name,community_code,phone', ...[1, 2, 3, 4, 5, 6, 7].map((i) => `${idNumber(i)},居民${i},${COMMUNITY},${i === 7 ? '13907310007' : ''}`)].join('\n'));
    await importFile({ ctx, store, edition, kind: 'persons', file: persons, idHashKey: ID_KEY });
    fs.rmSync(dir, { recursive: true, force: true });
    const ids = await store.persons.idsByHash([1, 2, 3, 4, 5, 6, 7].map((i) => hashIdNumber(idNumber(i), ID_KEY)));
    for (const i of [1, 2, 3, 4, 5, 6, 7]) {
      person[i] = ids.get(hashIdNumber(idNumber(i), ID_KEY))!;
      await store.persons.update(person[i], { gridCode: GRID });
    }
    const staff = (username: string, role: string, regionCode: string) =>
      addUser(ctx, store, { username, displayName: username, agency: { name: `e2e-${role}`, kind: role === 'grid_worker' ? 'community' : 'command_centre' }, role, regionCode, password: PASSWORD });
    await staff('li.director', 'provincial_command', '43');
    await staff('wang.grid', 'grid_worker', GRID);
    await staff('zhao.site', 'quarantine_staff', COUNTY);
    await staff('chen.hospital', 'hospital', '4301');
    investigatorKey = (await issueApiKey(ctx, store, { name: 'e2e-cdc', role: 'cdc_investigator', regionCode: '43' })).key;
    commandKey = (await issueApiKey(ctx, store, { name: 'e2e-command', role: 'provincial_command', regionCode: '43' })).key;
    app = await buildApp({
      store, edition, engine: await TracingEngine.load({ store, edition }), webDir: WEB_DIST, version: 'e2e', ownsStore: true, codeSecret: ID_KEY,
      codeSender: { send: async (phone, text) => { texts.push({ phone, text }); } },
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    const now = Date.now();
    // Confirmed an hour ago, but today in China time whatever the hour the suite runs (the dashboard and bulletin count today's).
    const todayCst = Math.floor((now + 8 * 3600_000) / 86400_000) * 86400_000 - 8 * 3600_000;
    const confirmedAt = Math.max(now - 3600_000, todayCst + 60_000);
    const c = await api<{ case: { id: number } }>('/api/cases', investigatorKey, { caseNo: 'CS-E2E-1', personId: person[1], kind: 'confirmed', onsetAt: cst(now - 48 * 3600_000), sampledAt: cst(now - 26 * 3600_000), confirmedAt: cst(confirmedAt), detectedBy: 'symptoms' });
    expect(c.status, JSON.stringify(c.json)).toBe(201);
    caseId = c.json.case.id;
    await app.cordon.events.settle();
    // The county's designated hotel, where the grid's transfers go.
    const site = await api('/api/quarantine/sites', commandKey, { name: '芙蓉区集中隔离酒店', kind: 'designated_hotel', regionCode: GRID.slice(0, 6), rooms: 50, staff: 12 });
    expect(site.status, JSON.stringify(site.json)).toBe(201);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'] });
  }, 120_000 + MIDNIGHT_MARGIN_MINUTES * 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const [name, width, height] of [['desktop', 1440, 900], ['phone', 390, 844]] as const) {
    it(`lets a director drill down from the province to a county and issue a directive there, decomposed level by level, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'li.director', PASSWORD);
      await page.click('[data-testid=nav-command]');
      await page.waitForSelector('[data-testid=command-dashboard]');
      expect(await page.getAttribute('[data-testid=dashboard-region]', 'data-code')).toBe('43');
      // The case confirmed an hour ago is today's new case of the province, and Changsha's in the table.
      expect(Number(await page.getAttribute('[data-testid=kpi-newCases]', 'data-value'))).toBe(1);
      await page.waitForSelector('[data-testid=command-map] canvas');
      await checkAndShoot(page, `command-province-${name}`, width);
      // Drill down: Changsha, then 芙蓉区, by the table's links.
      await page.click('[data-testid=children-table] a[data-code="4301"]');
      await page.waitForSelector('[data-testid=dashboard-region][data-code="4301"]');
      // Changsha's counties on the map (its boundaries, not the province's), then the county, below which there is no map.
      await page.waitForSelector('[data-testid=command-map] canvas');
      await checkAndShoot(page, `command-city-${name}`, width);
      await page.click(`[data-testid=children-table] a[data-code="${COUNTY}"]`);
      await page.waitForSelector(`[data-testid=dashboard-region][data-code="${COUNTY}"]`);
      expect(await page.locator('[data-testid=command-map]').count()).toBe(0);
      // The breadcrumb leads back up: the province and Changsha.
      expect(await page.locator('[data-testid=crumb]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.code))).toEqual(['43', '4301']);
      await checkAndShoot(page, `command-county-${name}`, width);
      // The deadline picker speaks Chinese too (its weekdays and months are dayjs's, not antd's).
      await page.click('[data-testid=directive-due]');
      await page.waitForSelector('.ant-picker-dropdown .ant-picker-content');
      expect(await englishOn(page)).toEqual([]);
      await page.keyboard.press('Escape');
      // Issue a directive (the form's default kind: mass testing): on the desktop for the whole county, on the phone
      // for one township, found in the units by typing part of its name.
      const township = name === 'phone' ? (await store.regions.children(COUNTY)).at(-1)! : null;
      const text = `${name === 'desktop' ? '第一轮：芙蓉区' : `第二轮：${township!.name}`}全员核酸检测，今日24时前完成`;
      await page.fill('[data-testid=directive-text]', text);
      if (township) {
        await page.click('[data-testid=directive-units]');
        await page.keyboard.type(township.name.slice(0, 2));
        const found = page.locator('.ant-select-item-option');
        expect(await found.count()).toBe(1);
        await found.click();
        await page.keyboard.press('Escape');
      }
      // A double click issues it once.
      await page.dblclick('[data-testid=directive-submit]');
      await page.waitForSelector('[data-testid=directive-detail]');
      expect((await store.command.directives(undefined, { limit: 100 })).items.filter((x) => x.text === text)).toHaveLength(1);
      const id = Number(await page.getAttribute('[data-testid=directive-detail]', 'data-id'));
      expect(await page.textContent('[data-testid=directive-body]')).toBe(text);
      // Its completion by level is the API's: one task at the county, one per township, community and grid below it.
      const detail = (await api<{ directive: { regionCode: string; kind: string }; levels: { level: string; total: number }[] }>(`/api/directives/${id}`, commandKey)).json;
      expect(detail.directive).toMatchObject({ regionCode: COUNTY, kind: 'mass_testing' });
      expect(detail.levels.map((l) => l.level)).toEqual(['county', 'township', 'community', 'grid']);
      expect(detail.levels[0].total).toBe(1);
      const townships = (await store.regions.inside(COUNTY)).filter((r) => r.level === 'township').length;
      expect(detail.levels[1].total).toBe(township ? 1 : townships);
      for (const l of detail.levels) expect(Number(await page.textContent(`[data-testid=level-total-${l.level}]`))).toBe(l.total);
      await checkAndShoot(page, `directive-${name}`, width);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `command-${name}`);
      await page.close();
    });
  }

  it('lets a grid worker on a phone accept and complete the transfer made from a new close contact; the contact is then in quarantine', async () => {
    const task = await closeContact(person[2]);
    expect(task).toMatchObject({ regionCode: GRID, level: 'grid', ownerRole: 'grid_worker', status: 'assigned' });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await startBrowserCoverage(page);
    await signInAs(page, url, 'wang.grid', PASSWORD);
    await page.click('[data-testid=nav-tasks]');
    const card = page.locator(`[data-testid=task][data-id="${task.id}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-kind')).toBe('transfer_to_quarantine');
    expect(await card.textContent()).toContain('密接转运集中隔离');
    // The person is masked; their full identity is shown on request, with the task as its purpose, and audited.
    await card.locator('[data-testid=person-masked]').filter({ hasText: '居' }).waitFor();
    expect(await card.textContent()).not.toContain('居民2');
    await checkAndShoot(page, 'grid-tasks-phone', 390);
    await card.locator('[data-testid=reveal]').click();
    await card.locator('[data-testid=identity]').waitFor();
    expect(await card.locator('[data-testid=identity]').textContent()).toContain('居民2');
    const audit = (await store.audit.list({ subject: `person:${person[2]}` }, { limit: 10 })).items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ purpose: `办理任务 #${task.id}：密接转运集中隔离`, actor: expect.stringContaining('wang.grid') });
    await card.locator('[data-testid=accept]').click();
    await page.waitForSelector(`[data-testid=task][data-id="${task.id}"][data-status=accepted]`);
    await card.locator('[data-testid=complete]').click();
    await dialogSettled(page, '[data-testid=complete-form]');
    // The note and the site are asked for at their fields before anything is sent.
    await page.click('[data-testid=complete-ok]');
    await page.waitForSelector('.ant-form-item-explain-error');
    expect((await store.command.task(task.id))!.status).toBe('accepted');
    await page.fill('[data-testid=complete-note]', '已于今日转运，人员状态良好');
    // The site is chosen among the open sites serving the grid, each with its free places; the room is typed.
    const before = (await store.quarantine.sites({}, { limit: 10 })).items[0];
    await page.click('[data-testid=complete-site]');
    const option = page.locator('.ant-select-item-option').filter({ hasText: '芙蓉区集中隔离酒店' });
    await option.waitFor();
    expect(await option.textContent()).toBe(`芙蓉区集中隔离酒店（空余${(before.rooms - before.roomsInUse) * before.personsPerRoom}床）`);
    // A click during the list's opening animation can miss (a clean-clone run saw it once): the site is chosen again
    // then, up to three times, and the test fails if it is still not chosen.
    const chosen = page.locator('[data-testid=complete-site] .ant-select-content, [data-testid=complete-site] .ant-select-selection-item').filter({ hasText: '芙蓉区集中隔离酒店' }).first();
    for (let tries = 1; ; tries++) {
      await option.click();
      if (await chosen.waitFor({ timeout: 5000 }).then(() => true, () => false)) break;
      if (tries === 3) throw new Error('the quarantine site was not chosen after three clicks');
      if (!(await option.isVisible())) await page.click('[data-testid=complete-site]');
    }
    await page.fill('[data-testid=complete-room]', 'A-203');
    await page.locator('.ant-form-item-explain-error').first().waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'grid-complete-phone-zh.png'), fullPage: true });
    await page.click('[data-testid=complete-ok]');
    // Done: it leaves the list of what is to do, and the contact is held at the site's room.
    await card.waitFor({ state: 'detached' });
    expect((await store.command.task(task.id))!).toMatchObject({ status: 'done', note: '已于今日转运，人员状态良好' });
    const site = (await store.quarantine.sites({}, { limit: 10 })).items[0];
    expect(await store.quarantine.openAssignmentOf(person[2])).toMatchObject({ kind: 'centralized', siteId: site.id, room: 'A-203', taskId: task.id });
    expect(site).toMatchObject({ occupants: before.occupants + 1, roomsInUse: before.roomsInUse + 1 });
    // Among the done ones, its evidence reads in Chinese.
    await page.click('[data-testid=filter-done]');
    expect(await page.locator(`[data-testid=task][data-id="${task.id}"] [data-testid=task-note]`).textContent()).toBe('办理情况：已于今日转运，人员状态良好');
    const contacts = await store.cases.contactsOfCase(caseId);
    expect(contacts.find((k) => k.personId === person[2])!.status).toBe('in_quarantine');
    // My residents: the grid's residents (all of them), masked.
    await page.click('[data-testid=tab-residents]');
    await page.waitForSelector('[data-testid=resident]');
    expect(await page.locator('[data-testid=resident]').count()).toBe(person.length - 1);
    expect(await page.textContent('[data-testid=my-residents]')).not.toContain('居民');
    await checkAndShoot(page, 'grid-residents-phone', 390);
    expect(errors).toEqual([]);
    await saveBrowserCoverage(page, 'grid-tasks');
    await page.close();
  });

  it('shows the quarantine sites with their occupancy and the persons held at one, masked, whose release waits for the edition\'s conditions, at 1440 and 390 px', async () => {
    const task = await closeContact(person[6]);
    const site = (await store.quarantine.sites({}, { limit: 10 })).items.find((x) => x.name === '芙蓉区集中隔离酒店')!;
    const done = await api(`/api/tasks/${task.id}/complete`, commandKey, { note: '已转运', siteId: site.id, room: 'B-606' });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const held = (await store.quarantine.openAssignmentOf(person[6]))!;
    for (const width of [1440, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'li.director', PASSWORD);
      await page.goto(`${url}/quarantine`);
      const row = page.locator(`[data-testid=site][data-id="${site.id}"]`);
      await row.waitFor();
      const occupants = (await store.quarantine.sites({}, { limit: 10 })).items.find((x) => x.id === site.id)!.occupants;
      expect(await row.textContent()).toContain('芙蓉区集中隔离酒店 定点隔离酒店');
      expect(await row.locator('[data-testid=site-occupants]').textContent()).toBe(String(occupants));
      await row.click();
      const mine = page.locator('[data-testid=held-row]').filter({ hasText: 'B-606' });
      await mine.waitFor();
      await mine.locator('[data-testid=held-person]').filter({ hasText: '居' }).waitFor();
      expect(await mine.textContent()).not.toContain('居民6');
      // Held as a close contact (an arrival from a risk area would say which grading).
      expect(await mine.locator('[data-testid=held-as]').textContent()).toBe('密切接触者');
      // What the site's persons owe today, as the API counts it.
      const due = await api<{ tests: { total: number; taken: number }; releases: { total: number }; arrivals: { total: number } }>(`/api/quarantine/due?siteId=${site.id}`, commandKey);
      await page.locator('[data-testid=due-counts]').waitFor();
      expect(await page.textContent('[data-testid=due-counts]')).toBe(`应检${due.json.tests.total}人次，已采${due.json.tests.taken}人次 · 期满应解除${due.json.releases.total}人 · 今日入住${due.json.arrivals.total}人`);
      // The day's arrivals (everyone here was transferred during the run), listed by room.
      expect(await page.locator('[data-testid=arrival]').count()).toBe(due.json.arrivals.total);
      // The fortnight's occupancy, drawn; today's arrivals count at least those held now who came today (visitors lodged
      // and persons released today count too).
      await page.locator('[data-testid=occupancy-chart] canvas').waitFor();
      const occ = await api<{ days: { date: string; occupants: number; arrivals: number }[] }>(`/api/quarantine/sites/${site.id}/occupancy`, commandKey);
      expect(occ.json.days).toHaveLength(14);
      expect(occ.json.days.at(-1)!.arrivals).toBeGreaterThanOrEqual(due.json.arrivals.total);
      expect(occ.json.days.at(-1)!.occupants).toBe(occupants);
      await checkAndShoot(page, `quarantine-${width}`, width);
      // Release before the days are served: refused, said in Chinese, and the person is still held.
      await mine.locator('[data-testid=release]').click();
      await page.fill('[data-testid=release-note]', '期满解除');
      // The refusal comes from the server: wait for its answer, then for the words.
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.url().includes(`/api/quarantine/assignments/${held.id}/release`) && r.request().method() === 'POST'),
        page.click('[data-testid=release-ok]'),
      ]);
      expect(refused.status()).toBe(409);
      await page.locator('[data-testid=release-error]').waitFor();
      expect(await page.textContent('[data-testid=release-error]')).toBe(`隔离期未满（期满时间 ${formatTime(held.plannedEnd).slice(0, 16).replace('T', ' ')}）`);
      expect((await store.quarantine.assignment(held.id))!.endedAt).toBeNull();
      await page.screenshot({ path: path.join(SCREENSHOTS, `quarantine-release-${width}-zh.png`), fullPage: true });
      await page.click('.ant-modal-close');
      // Closed to new arrivals, then open again, from the list.
      await row.locator('[data-testid=site-toggle]').click();
      await row.locator('[data-testid=site-closed]').waitFor();
      expect((await store.quarantine.site(site.id))!.closedAt).not.toBeNull();
      await row.locator('[data-testid=site-toggle]').click();
      await row.locator('[data-testid=site-closed]').waitFor({ state: 'detached' });
      expect((await store.quarantine.site(site.id))!.closedAt).toBeNull();
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `quarantine-${width}`);
      await page.close();
    }
  });

  it('lets site staff record a fever in the daily monitoring list and the resident report on their phone; the code and a fever check follow, at 1440 and 390 px', async () => {
    const task = await closeContact(person[7]);
    const site = (await store.quarantine.sites({}, { limit: 10 })).items.find((x) => x.name === '芙蓉区集中隔离酒店')!;
    expect((await api(`/api/tasks/${task.id}/complete`, commandKey, { note: '已转运', siteId: site.id, room: 'C-701' })).status).toBe(200);
    const reports = async () => (await store.followUp.reports({ personId: person[7] }, { limit: 10 })).items;
    for (const width of [1440, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'zhao.site', PASSWORD);
      await page.goto(`${url}/quarantine`);
      await page.locator('[data-testid=follow-up-counts]').waitFor();
      // Everyone under follow-up, as the API counts them (the list's default: not reported today).
      const list = await api<{ counts: { under: number; missedToday: number } }>('/api/follow-up', commandKey);
      expect(await page.textContent('[data-testid=follow-up-counts]')).toContain(`监测${list.json.counts.under}人`);
      if (width === 1440) {
        const row = page.locator(`[data-testid=follow-up-row][data-person="${person[7]}"]`);
        await row.waitFor();
        expect(await row.textContent()).toContain('集中隔离 · 房间 C-701');
        // A temperature no body has: the form says so and nothing is sent.
        await row.locator('[data-testid=record-report]').click();
        await page.locator('input[data-testid=report-temperature], [data-testid=report-temperature] input').first().fill('365');
        await page.click('[data-testid=report-ok]');
        const { min, max } = app.cordon.edition.checkpoint.plausibleTemperatureC;
        await page.locator('.ant-form-item-explain-error').filter({ hasText: `请填写${min}～${max}℃之间的体温` }).waitFor();
        expect(await reports()).toEqual([]);
        await page.locator('input[data-testid=report-temperature], [data-testid=report-temperature] input').first().fill('38.4');
        await page.locator('[data-testid=report-symptoms] label').filter({ hasText: '干咳' }).click();
        await page.click('[data-testid=report-ok]');
        await row.waitFor({ state: 'detached' });
        await page.locator('.ant-modal').waitFor({ state: 'hidden' });
        expect((await reports()).map((r) => [r.temperatureC, r.symptoms, r.source])).toEqual([[38.4, ['dry_cough'], 'site_staff']]);
        const code = (await store.codes.current(person[7]))!;
        expect(code.reasons.map((r) => r.condition)).toEqual(expect.arrayContaining(['abnormal_temperature', 'symptoms_reported']));
        expect((await store.command.tasks({ kind: 'fever_check' }, { limit: 10 })).items.map((t) => t.subjectPersonId)).toEqual([person[7]]);
      } else {
        await page.locator('[data-testid=follow-up-state]').getByText('全部').click();
        const row = page.locator(`[data-testid=follow-up-row][data-person="${person[7]}"]`);
        await row.waitFor();
        // Reported today, with a fever and a cough: said in red, not as a plain "reported".
        expect(await row.locator('[data-testid=fever]').textContent()).toBe('发热 38.4℃');
        expect(await row.locator('[data-testid=symptomatic]').textContent()).toBe('有症状');
        expect(await row.textContent()).not.toContain('今日已报');
      }
      await checkAndShoot(page, `follow-up-${width}`, width);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `follow-up-${width}`);
      await page.close();
    }
    // The resident on a phone: signs in with the code sent to them and sends today's report themselves.
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.fill('[data-testid=resident-sign-in] input[name=idNumber]', idNumber(7));
    const before = texts.length;
    await page.click('[data-testid=send-code]');
    await expect.poll(() => texts.length).toBe(before + 1);
    await page.fill('[data-testid=resident-sign-in] input[name=code]', /(\d{6})/.exec(texts.at(-1)!.text)![1]);
    await page.click('[data-testid=resident-sign-in] button[type=submit]');
    await page.locator('[data-testid=daily-report]').waitFor();
    expect(await page.textContent('[data-testid=daily-report]')).toContain('您正在集中隔离期间');
    await page.fill('[data-testid=my-temperature]', '46');
    await page.click('[data-testid=my-report-submit]');
    const { min, max } = app.cordon.edition.checkpoint.plausibleTemperatureC;
    expect(await page.textContent('[data-testid=report-error]')).toBe(`请填写${min}～${max}℃之间的体温`);
    await page.fill('[data-testid=my-temperature]', '36.6');
    await page.click('[data-testid=my-report-submit]');
    await page.locator('[data-testid=my-reports] li').filter({ hasText: '36.6℃' }).waitFor();
    expect((await reports())[0]).toMatchObject({ temperatureC: 36.6, symptoms: [], source: 'resident' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await englishOn(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'resident-daily-report-390-zh.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lets hospital staff admit the case by its number, follow its severity and a TCM treatment, with the TCM rate, at 1440 and 390 px', async () => {
    const made = await api<{ id: number }>('/api/hospitals', commandKey, { name: '长沙市公共卫生救治中心', regionCode: COUNTY, beds: 20, icuBeds: 4 });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    for (const width of [1440, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'chen.hospital', PASSWORD);
      await page.click('[data-testid=nav-hospitals]');
      const row = page.locator(`[data-testid=hospital][data-id="${made.json.id}"]`);
      await row.waitFor();
      await row.click();
      if (width === 1440) {
        // A case number that does not exist: said in Chinese, nothing written.
        await page.click('[data-testid=admit]');
        await page.fill('[data-testid=admit-case]', 'CS-NONE');
        await page.locator('[data-testid=admit-severity]').click();
        await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: /^普通型$/ }).click();
        await page.click('[data-testid=admit-ok]');
        expect(await (await page.waitForSelector('[data-testid=admit-error]')).textContent()).toBe('未找到该病例编号，或不在本辖区');
        await page.fill('[data-testid=admit-case]', 'CS-E2E-1');
        await page.click('[data-testid=admit-ok]');
        const admitted = page.locator('[data-testid=admission][data-case="CS-E2E-1"]');
        await admitted.waitFor();
        expect(await admitted.locator('[data-testid=severity]').textContent()).toBe('普通型');
        // The admission dialog is gone (its list of severities with it) before the next dialog's list is opened.
        await page.locator('.ant-modal').waitFor({ state: 'hidden' });
        // Worse: severe. Then a TCM decoction: the rate follows.
        await admitted.locator('[data-testid=act-severity]').click();
        await page.locator('[data-testid=act-severity-value]').click();
        await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: /^重型$/ }).click();
        await page.locator('[data-testid=act-severity-value]').filter({ hasText: '重型' }).waitFor();
        await page.fill('[data-testid=act-note]', '血氧下降');
        await page.click('[data-testid=act-ok]');
        await admitted.locator('[data-testid=severity]').filter({ hasText: '重型' }).waitFor();
        await page.locator('.ant-modal').waitFor({ state: 'hidden' });
        await admitted.locator('[data-testid=act-treat]').click();
        await page.locator('[data-testid=act-treatment]').click();
        await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: /^中药汤剂$/ }).click();
        await page.click('[data-testid=act-ok]');
        await page.locator('[data-testid=tcm-province]').filter({ hasText: '100.0%' }).waitFor();
        await page.locator('.ant-modal').waitFor({ state: 'hidden' });
        const c = (await store.cases.byCaseNo('CS-E2E-1'))!;
        expect(c.severity).toBe('severe');
        const tcm = await api<{ province: { admitted: number; withTcm: number } }>('/api/hospitals/tcm', commandKey);
        expect(await page.textContent('[data-testid=tcm-province]')).toBe(`全省中医药参与救治率 100.0%（${tcm.json.province.withTcm}/${tcm.json.province.admitted}例）`);
        expect(await row.locator('[data-testid=hospital-tcm]').textContent()).toBe('100.0%');
      } else {
        await page.locator('[data-testid=admission][data-case="CS-E2E-1"]').waitFor();
        await page.locator('[data-testid=admissions] .ant-spin-spinning').waitFor({ state: 'detached' });
      }
      await checkAndShoot(page, `hospitals-${width}`, width);
      // The case's page as hospital staff see it: no contacts card (their role does not read contacts), so no
      // "no contacts" where the truth is "not yours to see", and no refused request.
      const refused: string[] = [];
      page.on('response', (r) => { if (r.status() === 403) refused.push(r.url()); });
      await page.goto(`${url}/cases/${(await store.cases.byCaseNo('CS-E2E-1'))!.id}`);
      await page.waitForSelector('[data-testid=case-workbench]');
      await page.waitForLoadState('networkidle');
      expect(await page.locator('[data-testid=case-contacts]').count()).toBe(0);
      expect(refused).toEqual([]);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `hospitals-${width}`);
      await page.close();
    }
  });

  it('lets a command centre put arrivals from risk areas in quarantine by their ID card: centralized from a high-risk area at a room, at home from a medium one, at 1440 and 390 px', async () => {
    // Two more residents of the grid, and two compounds of the district graded high and medium.
    const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules/.e2e-'));
    fs.writeFileSync(path.join(dir, 'persons.csv'), ['id_number,name,community_code,phone', ...[8, 9].map((i) => `${idNumber(i)},居民${i},${COMMUNITY},`)].join('\n'));
    await importFile({ ctx, store, edition: app.cordon.edition, kind: 'persons', file: path.join(dir, 'persons.csv'), idHashKey: ID_KEY });
    fs.rmSync(dir, { recursive: true, force: true });
    const ids = await store.persons.idsByHash([8, 9].map((i) => hashIdNumber(idNumber(i), ID_KEY)));
    const [p8, p9] = [8, 9].map((i) => ids.get(hashIdNumber(idNumber(i), ID_KEY))!);
    const communities = (await store.regions.children('430102001')).filter((r) => r.code !== COMMUNITY).slice(0, 2);
    const since = Math.floor(Date.now() / 1000) - 60;
    await store.control.insertRiskAreas(communities.map((r, i) => ({ regionCode: r.code, unitName: r.name, level: i === 0 ? 'high' as const : 'medium' as const, since, reviewAt: null, ruleSet: 'street-2021' as const, reason: 'e2e', reasonCode: 'text', reasonArgs: {} })));
    // A choice in a select, then the select shows it and its list has closed (a list left open over the next field is
    // what a person would close too: by choosing again).
    const pick = async (page: Page, testId: string, text: string) => {
      const select = page.locator(`[data-testid=${testId}]`);
      for (let attempt = 0; ; attempt++) {
        if (!(await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count())) await select.click();
        await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: text }).first().click();
        const chosen = await page.locator(`[data-testid=${testId}]`).filter({ hasText: text }).waitFor({ timeout: 5000 }).then(() => true, () => false);
        const closed = await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'), undefined, { timeout: 5000 }).then(() => true, () => false);
        if (chosen && closed) return;
        if (attempt === 2) throw new Error(`could not choose ${text} in ${testId} (chosen ${chosen}, list closed ${closed})`);
      }
    };
    for (const width of [1440, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'li.director', PASSWORD);
      await page.goto(`${url}/quarantine`);
      await page.click('[data-testid=arrival-open]');
      await page.locator('[data-testid=arrival-hint]').filter({ hasText: '高风险地区来人集中隔离14天' }).waitFor();
      if (width === 1440) {
        // Someone the register does not hold: said in Chinese, nothing written.
        await page.fill('[data-testid=arrival-id]', idNumber(99));
        await page.fill('[data-testid=arrival-reason]', '社区排查发现');
        await page.click('[data-testid=arrival-ok]');
        expect(await (await page.waitForSelector('[data-testid=arrival-error]')).textContent()).toBe('本辖区登记人员中未找到该身份证号');
        // From the high-risk compound: centralized, at a room of the hotel.
        await page.fill('[data-testid=arrival-id]', idNumber(8));
        await pick(page, 'arrival-area', `${communities[0].name}（高风险）`);
        await pick(page, 'arrival-site', '芙蓉区集中隔离酒店');
        await page.fill('[data-testid=arrival-room]', 'C-801');
        await page.click('[data-testid=arrival-ok]');
        await page.locator('[data-testid=arrival-held]').waitFor();
        const held = (await store.quarantine.openAssignmentOf(p8))!;
        expect(held).toMatchObject({ kind: 'centralized', arrivalFrom: 'high', fromRegionCode: communities[0].code, room: 'C-801' });
        expect(await page.textContent('[data-testid=arrival-held]')).toBe(`已安排集中隔离（芙蓉区集中隔离酒店 C-801），期满时间 ${formatTime(held.plannedEnd).slice(0, 16).replace('T', ' ')}`);
      } else {
        // From the medium-risk compound: at home, so no site or room is asked.
        await page.fill('[data-testid=arrival-id]', idNumber(9));
        await pick(page, 'arrival-area', `${communities[1].name}（中风险）`);
        await page.locator('[data-testid=arrival-site]').waitFor({ state: 'detached' });
        await page.fill('[data-testid=arrival-reason]', '自述自该小区返回');
        await page.click('[data-testid=arrival-ok]');
        await page.locator('[data-testid=arrival-held]').waitFor();
        expect((await store.quarantine.openAssignmentOf(p9))).toMatchObject({ kind: 'home_quarantine', arrivalFrom: 'medium', siteId: null });
      }
      expect(await englishOn(page)).toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, `quarantine-arrival-${width}-zh.png`), fullPage: true });
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `quarantine-arrival-${width}`);
      await page.close();
    }
  });

  it('lets a command centre dispatch an expert team with its members to a hospital, refusing an empty member, at 1440 and 390 px', async () => {
    const made = await api<{ id: number }>('/api/hospitals', commandKey, { name: '湘雅医院定点病区', regionCode: COUNTY, beds: 10 });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    for (const width of [1440, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'li.director', PASSWORD);
      await page.goto(`${url}/hospitals`);
      const team = `省级中医专家组${width}`;
      await page.click('[data-testid=dispatch]');
      await page.fill('[data-testid=team-name]', team);
      await page.fill('[data-testid=team-specialty]', '中医');
      await page.locator('[data-testid=team-hospital]').click();
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: /^湘雅医院定点病区$/ }).click();
      await page.locator('[data-testid=member-name]').nth(0).fill('刘明');
      await page.locator('[data-testid=member-title]').nth(0).fill('主任医师');
      await page.locator('[data-testid=member-institution]').nth(0).fill('湖南中医药大学第一附属医院');
      // A second member left empty: the form says what is missing, nothing is sent.
      await page.click('[data-testid=add-member]');
      await page.click('[data-testid=team-ok]');
      await page.locator('[data-testid=team-form] .ant-form-item-explain-error').first().waitFor();
      expect(await page.locator('[data-testid=team-form] .ant-form-item-explain-error').first().textContent()).toBe('请填写');
      await page.screenshot({ path: path.join(SCREENSHOTS, `hospital-team-form-${width}-zh.png`), fullPage: true });
      await page.locator('[data-testid=member-name]').nth(1).fill('王芳');
      await page.locator('[data-testid=member-title]').nth(1).fill('副主任医师');
      await page.locator('[data-testid=member-institution]').nth(1).fill('湘雅医院');
      await page.click('[data-testid=team-ok]');
      await page.locator('.ant-modal').waitFor({ state: 'hidden' });
      const listed = page.locator('[data-testid=teams] tr').filter({ hasText: team });
      await listed.waitFor();
      expect(await listed.textContent()).toContain('刘明（主任医师）、王芳（副主任医师）');
      const teams = await api<{ items: { name: string; hospitalId: number; members: { name: string; institution: string }[] }[] }>('/api/hospitals/expert-teams', commandKey);
      expect(teams.json.items.find((x) => x.name === team)).toMatchObject({ hospitalId: made.json.id, members: [{ name: '刘明', institution: '湖南中医药大学第一附属医院' }, { name: '王芳', institution: '湘雅医院' }] });
      await checkAndShoot(page, `hospital-teams-${width}`, width);
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `hospital-teams-${width}`);
      await page.close();
    }
  });

  it('lets site staff lodge a stranded visitor at the hotel, give meals, and send them home, counted by origin province, at 1440 and 390 px', async () => {
    const beijing = idNumber(81, '19850505', '110105');
    // The case's community is sealed (graded high-risk): visitors in its street are stranded.
    await store.control.insertRiskAreas([{ regionCode: COMMUNITY, unitName: null, level: 'high', since: Math.floor(Date.now() / 1000) - 60, reviewAt: null, ruleSet: 'street-2021', reason: 'e2e', reasonCode: 'text', reasonArgs: {} }]);
    for (const width of [1440, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await startBrowserCoverage(page);
      await signInAs(page, url, 'zhao.site', PASSWORD);
      await page.click('[data-testid=nav-quarantine]');
      await page.locator('[data-testid=stranded]').waitFor();
      if (width === 1440) {
        await page.click('[data-testid=stranded-register]');
        await page.fill('[data-testid=stranded-id]', beijing.slice(0, 17) + (beijing[17] === '1' ? '2' : '1'));
        await page.fill('[data-testid=stranded-name]', '赵敏');
        await pickCascader(page, '[data-testid=stranded-area]', ['芙蓉区', '文艺路街道']);
        await page.click('[data-testid=stranded-site]');
        await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: '芙蓉区集中隔离酒店' }).click();
        await page.fill('[data-testid=stranded-room]', 'S-801');
        // A wrong check digit: the server refuses it, said in Chinese, nothing written.
        await page.click('[data-testid=stranded-ok]');
        expect(await (await page.waitForSelector('[data-testid=stranded-error]')).textContent()).toBe('身份证号码有误，请核对');
        expect((await store.stranded.list({}, { limit: 10 })).total).toBe(0);
        await page.fill('[data-testid=stranded-id]', beijing);
        await page.click('[data-testid=stranded-ok]');
        const row = page.locator('[data-testid=stranded-row]').filter({ hasText: '赵*' });
        await row.waitFor();
        expect(await page.textContent('[data-testid=stranded-origins]')).toContain('北京市 在住1 / 已返程0');
        await page.locator('.ant-modal').waitFor({ state: 'hidden' });
        await row.locator('[data-testid=care-meals]').click();
        await row.locator('[data-testid=stranded-care]').filter({ hasText: '餐食1次' }).waitFor();
        const v = (await store.stranded.list({}, { limit: 10 })).items[0];
        expect([v.originProvince, v.room, v.siteId !== null]).toEqual(['11', 'S-801', true]);
        expect((await store.stranded.careOf(v.id)).map((c) => c.kind)).toEqual(['meals']);
      } else {
        await page.locator('[data-testid=stranded-row]').filter({ hasText: '赵*' }).waitFor();
      }
      await checkAndShoot(page, `stranded-${width}`, width);
      if (width === 390) {
        // Home by train, from the phone.
        const row = page.locator('[data-testid=stranded-row]').filter({ hasText: '赵*' });
        await row.locator('[data-testid=stranded-release]').click();
        await page.fill('[data-testid=home-journey]', 'G1234 长沙南—北京西');
        await page.fill('[data-testid=home-note]', '解除封控后返程');
        await page.click('[data-testid=home-ok]');
        await row.waitFor({ state: 'detached' });
        expect((await store.stranded.list({}, { limit: 10 })).items[0]).toMatchObject({ journeyHome: 'G1234 长沙南—北京西' });
      }
      expect(errors).toEqual([]);
      await saveBrowserCoverage(page, `stranded-${width}`);
      await page.close();
    }
  });

  it('keeps an action taken offline and sends it once when the network returns', async () => {
    const task = await closeContact(person[3]);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signInAs(page, url, 'wang.grid', PASSWORD);
    await page.click('[data-testid=nav-tasks]');
    const card = page.locator(`[data-testid=task][data-id="${task.id}"]`);
    await card.waitFor();
    await context.setOffline(true);
    await card.locator('[data-testid=accept]').click();
    await page.waitForSelector('[data-testid=pending]');
    await card.locator('[data-testid=queued]').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'grid-offline-phone-zh.png'), fullPage: true });
    expect((await store.command.task(task.id))!.status).toBe('assigned');
    // A reload while offline keeps it (localStorage); back online, it is sent.
    await context.setOffline(false);
    await page.waitForSelector('[data-testid=pending]', { state: 'detached' });
    await page.waitForSelector(`[data-testid=task][data-id="${task.id}"][data-status=accepted]`);
    // Reloaded and back again, nothing is sent a second time: the task's history has one acceptance.
    await page.reload();
    await card.waitFor();
    const history = await store.corrections.of('task', String(task.id));
    expect(history.filter((h) => (h.changes as Record<string, [unknown, unknown]>).status?.[1] === 'accepted')).toHaveLength(1);
    // An action taken offline on a task cancelled meanwhile is not applied, and the worker is told why.
    const other = await closeContact(person[5]);
    await page.reload();
    const otherCard = page.locator(`[data-testid=task][data-id="${other.id}"]`);
    await otherCard.waitFor();
    await context.setOffline(true);
    await otherCard.locator('[data-testid=start]').click();
    await otherCard.locator('[data-testid=queued]').waitFor();
    expect((await api(`/api/tasks/${other.id}/cancel`, commandKey, { reason: '人员已外出，另行安排' })).status).toBe(200);
    await context.setOffline(false);
    await page.waitForSelector('[data-testid=refused]');
    expect(await page.textContent('[data-testid=refused]')).toBe(`任务 #${other.id} 的操作未被接受：任务状态已变化（已撤销）`);
    expect((await store.command.task(other.id))!.status).toBe('cancelled');
    await context.close();
  });

  it('shows a task past its deadline escalated to the unit above, on the grid worker\'s page and the director\'s dashboard', async () => {
    const task = await closeContact(person[4]);
    // Its deadline passes (the test moves it, as the hours would), and the server's minute timer escalates it.
    await store.command.updateTask(task.id, { dueAt: Math.floor(Date.now() / 1000) - 60 });
    expect(await escalateOverdue(ctx, store)).toBeGreaterThanOrEqual(1);
    expect((await store.command.task(task.id))!).toMatchObject({ status: 'escalated', escalatedTo: COMMUNITY });
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signInAs(phone, url, 'wang.grid', PASSWORD);
    await phone.click('[data-testid=nav-tasks]');
    await phone.waitForSelector(`[data-testid=task][data-id="${task.id}"][data-status=escalated]`);
    expect(await phone.textContent(`[data-testid=task][data-id="${task.id}"]`)).toContain('逾期上报');
    await phone.close();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signInAs(page, url, 'li.director', PASSWORD);
    await page.goto(`${url}/command?region=${COUNTY}`);
    await page.waitForSelector('[data-testid=late-tasks]');
    const row = page.locator('[data-testid=late-tasks] tbody tr').filter({ hasText: '密接转运集中隔离' }).first();
    expect(await row.locator('[data-testid=late-status]').textContent()).toContain('逾期上报');
    expect(Number(await page.getAttribute('[data-testid=kpi-tasksOverdue]', 'data-value'))).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'command-escalated-desktop-zh.png'), fullPage: true });
    // On the director's own task list the transfer's person is masked, with no offer to show who it is (the role
    // reads no identities).
    await page.goto(`${url}/tasks?kind=transfer_to_quarantine`);
    await page.waitForSelector(`[data-testid=task][data-id="${task.id}"] [data-testid=person-masked]`);
    expect(await page.locator('[data-testid=reveal]').count()).toBe(0);
    await page.close();
  });

  it('lets a director record an inspection of a county with a finding, and re-inspect the rectification once put right', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await startBrowserCoverage(page);
    await signInAs(page, url, 'li.director', PASSWORD);
    await page.click('[data-testid=nav-supervision]');
    await dialogSettled(page, '[data-testid=inspection-form]');
    // The unit, level by level: the province, Changsha, 芙蓉区.
    await pickCascader(page, '[data-testid=inspection-unit]', ['湖南省', '长沙市', '芙蓉区']);
    await page.fill('[data-testid=inspection-summary]', '督查组抽查芙蓉区集中隔离点');
    await page.fill('[data-testid=finding-0]', '隔离点未落实每日两次消毒');
    await page.fill('[data-testid=finding-hours-0]', '8');
    await page.click('[data-testid=inspection-submit]');
    await page.waitForSelector('[data-testid=inspection-recorded]');
    const made = (await store.command.tasks({ kind: 'rectification' }, { limit: 10 })).items;
    expect(made).toEqual([expect.objectContaining({ title: '隔离点未落实每日两次消毒', regionCode: COUNTY, level: 'county', ownerRole: 'county_command' })]);
    expect(made[0].dueAt - made[0].createdAt).toBe(8 * 3600);
    const row = page.locator('[data-testid=rectifications] tbody tr').filter({ hasText: '隔离点未落实每日两次消毒' });
    await row.waitFor();
    expect(await row.textContent()).toContain('芙蓉区');
    await checkAndShoot(page, 'supervision-desktop', 1440);
    // On the task page the rectification says what to put right, and only a re-inspection closes it.
    await page.click('[data-testid=rectification-tasks]');
    const card = page.locator(`[data-testid=task][data-id="${made[0].id}"]`);
    await card.waitFor();
    expect(await card.locator('[data-testid=task-text]').textContent()).toBe('隔离点未落实每日两次消毒');
    expect(await card.locator('[data-testid=complete]').count()).toBe(0);
    await card.locator('[data-testid=awaits-reinspection]').waitFor();
    await page.click('[data-testid=nav-supervision]');
    await row.waitFor();
    await row.locator('[data-testid=reinspect]').click();
    await page.fill('[data-testid=reinspect-note]', '复查：已按要求每日两次消毒并登记');
    await page.click('[data-testid=reinspect-ok]');
    await row.waitFor({ state: 'detached' });
    expect((await store.command.task(made[0].id))!.status).toBe('done');
    expect(errors).toEqual([]);
    await saveBrowserCoverage(page, 'supervision');
    await page.close();
  });

  for (const [name, width, height] of [['desktop', 1440, 900], ['phone', 390, 844]] as const) {
    it(`shows today's bulletin with the day's case, as its text export says, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      await signInAs(page, url, 'li.director', PASSWORD);
      await page.goto(`${url}/bulletin`);
      await page.waitForSelector('[data-testid=bulletin-paragraph]');
      const today = (await api<{ date: string; final: boolean; figures: { newConfirmed: { total: number } }; textZh: string; textEn: string }>('/api/bulletins/today', commandKey)).json;
      expect(today.figures.newConfirmed.total).toBe(1);
      expect(await page.textContent('[data-testid=bulletin-paragraph]')).toBe(today.textZh);
      expect(today.textZh).toContain('长沙市1例');
      expect(await page.getAttribute('[data-testid=bulletin]', 'data-final')).toBe('false');
      expect(Number(await page.textContent('[data-testid=fig-newConfirmed]'))).toBe(1);
      const text = await (await fetch(`${url}/api/bulletins/${today.date}?format=text`, { headers: { authorization: `Bearer ${commandKey}` } })).text();
      expect(text).toBe(`${today.textZh}\n\n${today.textEn}\n`);
      await checkAndShoot(page, `bulletin-${name}`, width);
      // The English page shows the English paragraph.
      await page.click('[data-testid=lang-switch]');
      expect(await page.textContent('[data-testid=bulletin-paragraph]')).toBe(today.textEn);
      await page.click('[data-testid=lang-switch]');
      await page.close();
    });
  }

  it('brings someone who opened a page signed out back to it once signed in, and a role that may not read it to its own start', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${url}/supervision`);
    await page.waitForSelector('[data-testid=sign-in]');
    expect(new URL(page.url()).pathname).toBe('/');
    await page.fill('[data-testid=sign-in] input[name=username]', 'li.director');
    await page.fill('[data-testid=sign-in] input[name=password]', PASSWORD);
    await page.click('[data-testid=sign-in] button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/supervision');
    await page.click('[data-testid=sign-out]');
    await page.waitForSelector('[data-testid=sign-in]');
    // A grid worker may not read the bulletin: signed in, they start on their tasks.
    await page.goto(`${url}/bulletin`);
    await page.waitForSelector('[data-testid=sign-in]');
    await page.fill('[data-testid=sign-in] input[name=username]', 'wang.grid');
    await page.fill('[data-testid=sign-in] input[name=password]', PASSWORD);
    await page.click('[data-testid=sign-in] button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/tasks');
    await page.close();
  });

  it('is installable: a web manifest in Chinese and a service worker, with which the page opens without a network', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(url);
    const href = await page.getAttribute('link[rel=manifest]', 'href');
    const manifest = (await (await fetch(new URL(href!, url))).json()) as { name: string; lang: string; display: string; start_url: string };
    expect(manifest).toMatchObject({ name: '湖南省疫情防控指挥平台', lang: 'zh-CN', display: 'standalone', start_url: '/' });
    // Installed and active (its precache filled), then in control of the page once it is loaded again.
    await page.evaluate(async () => {
      const sw = (await navigator.serviceWorker.ready).active!;
      if (sw.state !== 'activated') await new Promise((done) => sw.addEventListener('statechange', () => sw.state === 'activated' && done(null)));
    });
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await context.setOffline(true);
    await page.reload();
    expect(await page.textContent('[data-testid=title]')).toBe('湖南省疫情防控指挥平台');
    await context.close();
  });
});
