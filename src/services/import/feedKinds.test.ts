/**
 * Every feed kind imported as files through the service, on both engines (the registers: persons and places; public
 * security's and telecoms' presence; the health commission's cases, samples and vaccinations):
 * each row rule at its boundary (the value just allowed and the first refused), what a row reported again may change
 * and how the change is kept (a correction), what each import tells the event flow, and that a refused file writes
 * nothing. The CLI and the API reach the same `importFile`; these tests are what mutation testing of
 * `src/services/import` runs for these kinds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import { idNumber, MINI_REGIONS } from '../../../test/fixtures.ts';
import { hashIdNumber } from '../../domain/identity.ts';
import { loadEdition } from '../../domain/protocol/editions.ts';
import { parseTime } from '../../domain/time.ts';
import { SettableClock } from '../../platform/clock.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import { importFile, ImportRejectedError, type ImportProps } from './importFile.ts';

const KEY = 'test-key-0123456789';
const EDITION = loadEdition('ed8-delta-2021');
const NOW = parseTime('2021-08-20 12:00')!;
const CTX = systemCtx(new SettableClock(NOW), 'test');
const t = (s: string) => parseTime(s)!;

describeEachEngine('feeds of persons, places, presence, cases, samples and vaccinations', (engine) => {
  let store: Store;
  let close: () => Promise<void>;
  let dir: string;
  let n = 0;
  /** Writes `lines` as a CSV file and imports it as `kind`. */
  const feed = (kind: ImportProps['kind'], lines: string[]) => {
    const file = path.join(dir, `${kind}-${++n}.csv`);
    fs.writeFileSync(file, lines.join('\n'));
    return importFile({ ctx: CTX, store, edition: EDITION, kind, file, idHashKey: KEY });
  };
  /** The problems of a refused import, as `line field: reason` (the file's name left out). */
  const refused = async (kind: ImportProps['kind'], lines: string[]): Promise<string[]> => {
    const e = await feed(kind, lines).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(ImportRejectedError);
    return (e as ImportRejectedError).problems.map((p) => `${p.line} ${p.field}: ${p.reason}`);
  };
  const personOf = async (i: number) => (await store.persons.idsByHash([hashIdNumber(idNumber(i), KEY)])).get(hashIdNumber(idNumber(i), KEY))!;
  const events = async (kind: string) => (await store.events.since(0, 1000)).filter((e) => e.kind === kind).map((e) => e.payload as Record<string, unknown>);

  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    await store.regions.insertMany(MINI_REGIONS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-feeds-'));
    await feed('persons', ['id_number,name,community_code', ...Array.from({ length: 14 }, (_, k) => `${idNumber(k + 1)},居民${k + 1},430102001001`)]);
    await feed('places', ['code,name,category,region_code', 'HOSP-1,湖南省人民医院,hospital,430102']);
  });
  afterEach(async () => {
    await close?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('persons and places', () => {
    it('refuses a grid outside its community, and takes a person reported again with new details as a correction', async () => {
      expect(await refused('persons', ['id_number,name,community_code,grid_code', `${idNumber(20)},甲,430102001002,43010200100101`]))
        .toEqual(['2 grid_code: grid 43010200100101 is not under community 430102001002']);
      expect(await refused('persons', ['id_number,name,community_code,grid_code', `${idNumber(20)},甲,430102001001,43010200100199`]))
        .toEqual(['2 grid_code: unknown grid code "43010200100199"']);
      const r = await feed('persons', ['身份证号,姓名,手机号,社区代码,网格代码,户号,住址',
        `${idNumber(1)},居民一,13800001111,430102001001,43010200100101,H-9,文艺路1号`]);
      expect(r).toMatchObject({ rows: 1, inserted: 0, updated: 1 });
      const id = await personOf(1);
      const p = (await store.persons.get(id))!;
      expect(p).toMatchObject({ name: '居民一', phone: '13800001111', gridCode: '43010200100101' });
      expect(p.householdId).not.toBeNull();
      expect((await store.corrections.of('person', String(id)))[0]).toMatchObject({ reason: 'corrected by a feed', changes: { name: ['居民1', '居民一'], phone: [null, '13800001111'] } });
      expect(await feed('persons', ['身份证号,姓名,手机号,社区代码,网格代码,户号,住址', `${idNumber(1)},居民一,13800001111,430102001001,43010200100101,H-9,文艺路1号`]))
        .toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    });

    it('checks a place\'s position, status and vehicle setting at their bounds, and corrects names but never categories', async () => {
      expect(await refused('places', ['code,name,category,region_code,lng,lat,status,vehicle_setting',
        'P-1,甲,restaurant,430102,180.01,28,,',
        'P-2,乙,restaurant,430102,112.9,,,',
        'P-3,丙,restaurant,430102,112.9,-90.5,,',
        'P-4,丁,restaurant,430102,,,shut,',
        'P-5,戊,restaurant,430102,,,,train_open',
        'P-6,己,restaurant,4301029,,,,',
        'P-8,庚,restaurant,430102,-180.01,28,,',
        'P-9,辛,restaurant,430102,112.9,90.01,,',
        'P-10,壬,restaurant,430102,112.9,-90.01,,',
      ])).toEqual([
        '2 lng: "180.01" is not a number from -180 to 180',
        '3 lat: lng and lat must be given together',
        '4 lat: "-90.5" is not a number from -90 to 90',
        '5 status: "shut" is not one of the allowed values (open, closed, rectifying)',
        '6 vehicle_setting: only vehicles have a vehicle setting',
        '7 region_code: unknown region code "4301029"',
        '8 lng: "-180.01" is not a number from -180 to 180',
        '9 lat: "90.01" is not a number from -90 to 90',
        '10 lat: "-90.01" is not a number from -90 to 90',
      ]);
      expect(await feed('places', ['场所编码,场所名称,场所类别,区划代码,经度,纬度,交通工具类型',
        'P-7,东塘地铁口,restaurant,430102,-180,90,', 'G1,G1次列车,vehicle,43,180,-90,train_enclosed'])).toMatchObject({ inserted: 2 });
      expect((await store.places.byCodes(['P-7'])).get('P-7')).toMatchObject({ lng: -180, lat: 90, status: 'open', vehicleSetting: null });
      expect(await feed('places', ['code,name,category,region_code,lng,lat', 'P-7,东塘地铁站口,restaurant,430102,-180,90'])).toMatchObject({ updated: 1 });
      expect(await store.corrections.of('place', 'P-7')).toMatchObject([{ reason: 'corrected by a feed', changes: { name: ['东塘地铁口', '东塘地铁站口'] }, source: `import:places-${n}.csv:2` }]);
      expect((await store.places.byCodes(['P-7', 'G1']))).toEqual(new Map([
        ['P-7', expect.objectContaining({ name: '东塘地铁站口', regionCode: '430102' })],
        ['G1', expect.objectContaining({ name: 'G1次列车', regionCode: '43', vehicleSetting: 'train_enclosed' })],
      ]));
      // Reported again as stored (a vehicle with its setting too): unchanged, no correction.
      expect(await feed('places', ['code,name,category,region_code,lng,lat,vehicle_setting', 'P-7,东塘地铁站口,restaurant,430102,-180,90,', 'G1,G1次列车,vehicle,43,180,-90,train_enclosed']))
        .toMatchObject({ rows: 2, inserted: 0, updated: 0, unchanged: 2 });
      expect(await store.corrections.of('place', 'G1')).toEqual([]);
      expect(await store.corrections.of('place', 'P-7')).toHaveLength(1);
      expect(await refused('places', ['code,name,category,region_code,vehicle_setting', 'P-7,东塘地铁站口,bar,430102,', 'G1,G1次列车,vehicle,43,train_open'])).toEqual([
        '2 category: place P-7 is stored as restaurant; a feed cannot change a place\'s category',
        '3 vehicle_setting: place G1 is stored with vehicle setting train_enclosed; a feed cannot change it',
      ]);
      // A vehicle stored without a setting is not given one by a feed either.
      await feed('places', ['code,name,category,region_code', 'B1,1路公交车,vehicle,430102']);
      expect(await refused('places', ['code,name,category,region_code,vehicle_setting', 'B1,1路公交车,vehicle,430102,coach_sealed']))
        .toEqual(['2 vehicle_setting: place B1 is stored with vehicle setting none; a feed cannot change it']);
    });
  });

  describe('presence', () => {
    const HEADER = 'id_number,phone,place_code,start,end,source,carriage,seat';

    it('takes a stay ending at its start, by ID number or phone, tells the tracing its span once, and refuses a changed end', async () => {
      await feed('persons', ['id_number,name,community_code,phone', `${idNumber(3)},居民3,430102001001,13900003333`]);
      const r = await feed('presence', [HEADER,
        `${idNumber(1)},,HOSP-1,2021-08-01 10:00,2021-08-01 10:00,venue_scan,,`,
        `,13900003333,HOSP-1,2021-08-01 09:00,2021-08-01 11:30,hotel_checkin,,`]);
      expect(r).toMatchObject({ rows: 2, inserted: 2 });
      expect(await events('presence.recorded')).toEqual([{ count: 2, from: t('2021-08-01 09:00'), to: t('2021-08-01 11:30') }]);
      expect((await store.presence.ofPerson(await personOf(3))).map((p) => [p.start, p.end, p.source])).toEqual([[t('2021-08-01 09:00'), t('2021-08-01 11:30'), 'hotel_checkin']]);
      // The same records again: nothing new, nothing told.
      expect(await feed('presence', [HEADER, `${idNumber(1)},,HOSP-1,2021-08-01 10:00,2021-08-01 10:00,venue_scan,,`])).toMatchObject({ inserted: 0, unchanged: 1 });
      expect(await events('presence.recorded')).toHaveLength(1);
      // A stored record beside a new one: the new one is written and told, the stored one changes nothing.
      expect(await feed('presence', [HEADER, `${idNumber(1)},,HOSP-1,2021-08-01 10:00,2021-08-01 10:00,venue_scan,,`, `${idNumber(2)},,HOSP-1,2021-08-02 10:00,2021-08-02 10:30,venue_scan,,`]))
        .toMatchObject({ rows: 2, inserted: 1, unchanged: 1 });
      // The span told is the file's (wider than the new record's, never narrower).
      expect(await events('presence.recorded')).toEqual([expect.anything(), { count: 1, from: t('2021-08-01 10:00'), to: t('2021-08-02 10:30') }]);
      expect(await refused('presence', [HEADER, `${idNumber(1)},,HOSP-1,2021-08-01 10:00,2021-08-01 10:05,venue_scan,,`]))
        .toEqual(['2 end: the stored record of this person, place, start and feed has end 2021-08-01 10:00; presence is not corrected by a feed']);
      expect(await refused('presence', [HEADER, `${idNumber(1)},,HOSP-1,2021-08-01 10:00,2021-08-01 10:00,venue_scan,3,12A`])).toEqual([
        '2 seat: the stored record of this person, place, start and feed has seat none; presence is not corrected by a feed',
        '2 carriage: the stored record of this person, place, start and feed has carriage none; presence is not corrected by a feed',
      ]);
    });

    it('refuses a stay ending before it starts, a row naming no one, and an unknown phone', async () => {
      expect(await refused('presence', [HEADER,
        `${idNumber(1)},,HOSP-1,2021-08-01 10:00,2021-08-01 09:59,venue_scan,,`,
        `,,HOSP-1,2021-08-01 10:00,2021-08-01 11:00,venue_scan,,`,
      ])).toEqual(['2 end: end is before start', '3 id_number: either id_number or phone is required']);
      expect(await refused('presence', [HEADER, `,13999999999,HOSP-1,2021-08-01 10:00,2021-08-01 11:00,venue_scan,,`]))
        .toEqual(['2 phone: no registered person with this phone number']);
      expect(await events('presence.recorded')).toEqual([]);
    });
  });

  describe('cases', () => {
    const HEADER = '病例编号,身份证号,病例类型,发病时间,采样时间,确诊时间,隔离时间,救治医院编码,转归,转归时间';

    it('imports cases from Chinese headers with their defaults, and asks for each to be traced as of its confirmation', async () => {
      const r = await feed('cases', [HEADER,
        `C-1,${idNumber(1)},confirmed,2021-08-01 08:00,2021-08-02 09:00,2021-08-02 09:00,,HOSP-1,,`,
        `C-2,${idNumber(2)},asymptomatic,,2021-08-03 10:00,2021-08-04 06:00,2021-08-03 11:00,,recovered,`]);
      expect(r).toMatchObject({ rows: 2, inserted: 2, updated: 0, unchanged: 0 });
      const stored = await store.cases.byCaseNos(['C-1', 'C-2']);
      const hospital = (await store.places.idsByCode(['HOSP-1'])).get('HOSP-1');
      // Confirmed at the very minute of sampling is allowed (not before it).
      expect(stored.get('C-1')).toMatchObject({
        personId: await personOf(1), kind: 'confirmed', onsetAt: t('2021-08-01 08:00'), sampledAt: t('2021-08-02 09:00'), confirmedAt: t('2021-08-02 09:00'),
        isolatedAt: null, severity: 'mild', hospitalPlaceId: hospital, outcome: 'in_treatment', outcomeAt: null,
      });
      // A final outcome given without its time is dated when the server learnt it.
      expect(stored.get('C-2')).toMatchObject({ personId: await personOf(2), onsetAt: null, isolatedAt: t('2021-08-03 11:00'), outcome: 'recovered', outcomeAt: NOW, hospitalPlaceId: null });
      expect(await events('case.recorded')).toEqual([
        { caseId: stored.get('C-1')!.id, personId: await personOf(1), traceAs: 'confirmation' },
        { caseId: stored.get('C-2')!.id, personId: await personOf(2), traceAs: 'confirmation' },
      ]);
      // In treatment, said outright: no outcome time.
      await feed('cases', [HEADER, `C-3,${idNumber(3)},confirmed,,2021-08-05 10:00,2021-08-05 12:00,,,in_treatment,`]);
      expect((await store.cases.byCaseNos(['C-3'])).get('C-3')).toMatchObject({ outcome: 'in_treatment', outcomeAt: null });
      // The same file again: nothing changes, nothing more to trace.
      expect(await feed('cases', [HEADER,
        `C-1,${idNumber(1)},confirmed,2021-08-01 08:00,2021-08-02 09:00,2021-08-02 09:00,,HOSP-1,,`])).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
      expect(await events('case.recorded')).toHaveLength(3);
    });

    it('refuses each rule of a case row at its boundary, naming line and column, and writes nothing', async () => {
      const problems = await refused('cases', [HEADER,
        `C-3,${idNumber(3)},confirmed,,2021-08-02 09:00,2021-08-02 08:59,,,,`,
        `C-4,${idNumber(4)},asymptomatic,2021-08-01 08:00,2021-08-02 09:00,2021-08-02 10:00,,,,`,
        `C-5,${idNumber(5)},confirmed,,2021-08-02 09:00,2021-08-02 10:00,,,in_treatment,2021-08-10 10:00`,
        `C-6,${idNumber(6)},confirmed,,2021-08-02 09:00,2021-08-02 10:00,,,,2021-08-10 10:00`,
        `C-7,${idNumber(7)},confirmed,,2021-08-02 09:00,2021-08-02 10:00,,,severe,`,
        `C-8,${idNumber(8)},probable,,2021-08-02 09:00,2021-08-02 10:00,,,,`,
      ]);
      expect(problems).toEqual([
        '2 confirmed_at: confirmed before the sample was taken',
        '3 onset_at: an asymptomatic infection has no onset',
        '4 outcome_at: an outcome time needs an outcome other than in_treatment',
        '5 outcome_at: an outcome time needs an outcome other than in_treatment',
        expect.stringMatching(/^6 outcome: /),
        expect.stringMatching(/^7 kind: /),
      ]);
      expect((await store.stats.totals()).cases).toBe(0);
      // References are checked once the fields are clean (an unknown hospital), then each case against the others.
      expect(await refused('cases', [HEADER,
        `C-9,${idNumber(9)},confirmed,,2021-08-02 09:00,2021-08-02 10:00,,HOSP-404,,`,
        `C-10,${idNumber(10)},confirmed,,2021-08-02 09:00,2021-08-02 10:00,,,,`,
        `C-11,${idNumber(10)},confirmed,,2021-08-03 09:00,2021-08-03 10:00,,,,`,
      ])).toEqual(['2 hospital_code: unknown place code "HOSP-404" (import places first)']);
      expect(await refused('cases', [HEADER,
        `C-9,${idNumber(9)},confirmed,,2021-08-02 09:00,2021-08-02 10:00,,HOSP-1,,`,
        `C-10,${idNumber(10)},confirmed,,2021-08-02 09:00,2021-08-02 10:00,,,,`,
        `C-11,${idNumber(10)},confirmed,,2021-08-03 09:00,2021-08-03 10:00,,,,`,
      ])).toEqual(['4 id_number: the same person has a new case at line 3']);
      expect((await store.stats.totals()).cases).toBe(0);
      expect(await events('case.recorded')).toEqual([]);
    });

    it('takes a case reported again as a correction of what differs, through the rules of a new case, and refuses it for another person', async () => {
      await feed('cases', [HEADER, `C-1,${idNumber(1)},confirmed,2021-08-01 08:00,2021-08-02 09:00,2021-08-02 10:00,,,,`]);
      const id = (await store.cases.byCaseNo('C-1'))!.id;
      const r = await feed('cases', [HEADER, `C-1,${idNumber(1)},confirmed,2021-08-01 08:00,2021-08-02 09:00,2021-08-02 10:00,2021-08-02 12:00,,recovered,2021-08-15 09:00`]);
      expect(r).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
      expect(await store.cases.byCaseNo('C-1')).toMatchObject({ isolatedAt: t('2021-08-02 12:00'), outcome: 'recovered', outcomeAt: t('2021-08-15 09:00') });
      const fixes = await store.corrections.of('case', String(id));
      expect(fixes).toHaveLength(1);
      expect(fixes[0]).toMatchObject({ reason: 'corrected by a feed', changes: { isolatedAt: [null, t('2021-08-02 12:00')], outcome: ['in_treatment', 'recovered'] } });
      // A correction still obeys the rules: confirmed before sampling is refused at its column.
      expect(await refused('cases', [HEADER, `C-1,${idNumber(1)},confirmed,2021-08-01 08:00,2021-08-02 11:00,2021-08-02 10:00,,,,`]))
        .toEqual(['2 confirmed_at: confirmed before the sample was taken']);
      // ... and so is a rule the stored case takes part in: an outcome before the stored confirmation, at the file's column.
      expect(await refused('cases', [HEADER, `C-1,${idNumber(1)},confirmed,2021-08-01 08:00,2021-08-02 09:00,2021-08-02 10:00,2021-08-02 12:00,,recovered,2021-08-02 09:30`]))
        .toEqual(['2 outcome_at: the outcome is before the confirmation']);
      expect(await refused('cases', [HEADER, `C-1,${idNumber(2)},confirmed,2021-08-01 08:00,2021-08-02 09:00,2021-08-02 10:00,,,,`]))
        .toEqual(['2 id_number: case C-1 is recorded for another person']);
      expect(await store.corrections.of('case', String(id))).toHaveLength(1);
      // A new case for a person whose case is still in treatment: refused with the stored case named.
      await feed('cases', [HEADER, `C-2,${idNumber(2)},confirmed,,2021-08-02 09:00,2021-08-02 10:00,,,,`]);
      expect(await refused('cases', [HEADER, `C-3,${idNumber(2)},confirmed,,2021-08-05 09:00,2021-08-05 10:00,,,,`]))
        .toEqual([`2 id_number: person ${await personOf(2)} is already case C-2, in treatment`]);
      // A withdrawn case is not corrected by a feed: refused at its case number.
      await store.cases.update((await store.cases.byCaseNo('C-2'))!.id, { withdrawnAt: NOW, withdrawalReason: 'duplicate report' });
      expect(await refused('cases', [HEADER, `C-2,${idNumber(2)},confirmed,,2021-08-02 09:00,2021-08-02 11:00,,,,`]))
        .toEqual(['2 case_no: case C-2 was withdrawn; it cannot be corrected']);
    });

    it('corrects only what a case reported again states: a blank column keeps the stored value', async () => {
      await feed('places', ['code,name,category,region_code', 'HOSP-2,长沙市第一医院,hospital,430102']);
      const H = 'case_no,id_number,kind,sampled_at,confirmed_at,severity,hospital_code,outcome,detected_by';
      await feed('cases', [H, `C-9,${idNumber(9)},confirmed,2021-08-02 09:00,2021-08-02 10:00,severe,HOSP-1,in_treatment,contact_screening`]);
      const hospitals = await store.places.idsByCode(['HOSP-1', 'HOSP-2']);
      const stated = { severity: 'severe', hospitalPlaceId: hospitals.get('HOSP-1'), outcome: 'in_treatment', detectedBy: 'contact_screening' };
      expect(await store.cases.byCaseNo('C-9')).toMatchObject(stated);
      // Blank severity, hospital, outcome and route: unknown to this feed, so nothing changes.
      expect(await feed('cases', [H, `C-9,${idNumber(9)},confirmed,2021-08-02 09:00,2021-08-02 10:00,,,,`])).toMatchObject({ updated: 0, unchanged: 1 });
      expect(await store.cases.byCaseNo('C-9')).toMatchObject(stated);
      // Each stated anew is corrected.
      expect(await feed('cases', [H, `C-9,${idNumber(9)},confirmed,2021-08-02 09:00,2021-08-02 10:00,critical,HOSP-2,,mass_testing`])).toMatchObject({ updated: 1 });
      expect(await store.cases.byCaseNo('C-9')).toMatchObject({ ...stated, severity: 'critical', hospitalPlaceId: hospitals.get('HOSP-2'), detectedBy: 'mass_testing' });
      // A final outcome stated again without its time keeps the time stored with it.
      const O = 'case_no,id_number,kind,sampled_at,confirmed_at,outcome,outcome_at';
      await feed('cases', [O, `C-9,${idNumber(9)},confirmed,2021-08-02 09:00,2021-08-02 10:00,recovered,2021-08-15 09:00`]);
      expect(await feed('cases', [O, `C-9,${idNumber(9)},confirmed,2021-08-02 09:00,2021-08-02 10:00,recovered,`])).toMatchObject({ updated: 0, unchanged: 1 });
      expect(await store.cases.byCaseNo('C-9')).toMatchObject({ outcome: 'recovered', outcomeAt: t('2021-08-15 09:00') });
    });
  });

  describe('samples', () => {
    const HEADER = 'sample_no,id_number,sampled_at,method,pool_no,pool_size,result,result_at';
    const row = (no: string, i: number, method: string, pool = '', size = '', result = 'negative', at = '2021-08-10 20:00') =>
      `${no},${idNumber(i)},2021-08-10 08:00,${method},${pool},${size},${result},${at}`;

    it('imports single and pooled samples (a pool of the edition\'s low-risk size unless the file says), and asks for the persons\' codes', async () => {
      const r = await feed('samples', [HEADER,
        row('S-1', 1, 'single', '', '', 'pending', ''),
        ...Array.from({ length: 10 }, (_, k) => row(`P1-${k + 1}`, k + 2, 'pooled', 'P1')),
        row('S-2', 12, 'single', '', '', 'positive', '2021-08-10 08:00'),
      ]);
      expect(r).toMatchObject({ rows: 12, inserted: 12 });
      expect(await store.samples.poolByNo('P1')).toMatchObject({ size: EDITION.testing.poolSize.low, result: 'negative', resultAt: t('2021-08-10 20:00') });
      expect(await store.samples.bySampleNo('S-2')).toMatchObject({ method: 'single', poolId: null, result: 'positive', resultAt: t('2021-08-10 08:00') });
      const touched = (await events('test.recorded')).flatMap((e) => e.personIds as number[]).sort((a, b) => a - b);
      expect(touched).toEqual((await Promise.all(Array.from({ length: 12 }, (_, k) => personOf(k + 1)))).sort((a, b) => a - b));
    });

    it('refuses each rule of a sample row and of a pool at its boundary, and writes nothing', async () => {
      expect(await refused('samples', [HEADER,
        row('S-1', 1, 'pooled'),
        row('S-2', 2, 'single', 'P9'),
        row('S-3', 3, 'single', '', '', 'positive', '2021-08-10 07:59'),
        row('S-4', 4, 'pooled', 'P2', '0'),
        row('S-5', 5, 'pooled', 'P3', '51'),
        row('S-6', 6, 'single', '', '', 'unclear'),
      ])).toEqual([
        '2 pool_no: a pooled sample names its pool',
        '3 pool_no: a single-tube sample has no pool',
        '4 result_at: result before the sample was taken',
        '5 pool_size: 0 is below 1',
        '6 pool_size: 51 is above 50',
        expect.stringMatching(/^7 result: /),
      ]);
      // Pools: a size the edition does not use; members that disagree on the result or the size; more members than its size.
      expect(await refused('samples', [HEADER,
        row('A-1', 1, 'pooled', 'PA', '7'),
        row('B-1', 2, 'pooled', 'PB', '5'), row('B-2', 3, 'pooled', 'PB', '5', 'positive'), row('B-3', 4, 'pooled', 'PB', '10'),
        ...Array.from({ length: 6 }, (_, k) => row(`C-${k + 1}`, k + 5, 'pooled', 'PC', '5')),
      ])).toEqual([
        `2 pool_size: a pooled tube takes 10, 20, 5 samples under edition ${EDITION.id}, not 7`,
        '4 result: pool PB already has result "negative" (line 3)',
        '5 pool_size: pool PB has size 5 at line 3',
        '6 pool_no: pool PC would hold 6 samples, more than its size 5',
      ]);
      expect(await store.samples.bySampleNos(['S-1', 'A-1', 'B-1', 'C-1'])).toEqual(new Map());
      expect(await store.samples.poolByNo('PC')).toBeUndefined();
      expect(await events('test.recorded')).toEqual([]);
    });

    it('takes a pool\'s size from whichever row gives it, and refuses a later row giving another', async () => {
      expect(await refused('samples', [HEADER,
        row('D-1', 1, 'pooled', 'PD', ''), row('D-2', 2, 'pooled', 'PD', '5'), row('D-3', 3, 'pooled', 'PD', '10'),
        row('E-1', 4, 'pooled', 'PE', '5'), row('E-2', 5, 'pooled', 'PE', ''),
        row('F-1', 40, 'single'),
      ])).toEqual([
        expect.stringMatching(/^7 id_number: no registered person/),
        '4 pool_size: pool PD has size 5 at line 2',
      ]);
      expect(await feed('samples', [`${HEADER},lab`, `${row('G-1', 6, 'single')},湘雅医学检验所`])).toMatchObject({ inserted: 1 });
      expect(await store.samples.bySampleNo('G-1')).toMatchObject({ lab: '湘雅医学检验所' });
    });

    it('fills a stored pool up to its size across files, and not one sample more', async () => {
      await feed('samples', [HEADER, ...Array.from({ length: 4 }, (_, k) => row(`P-${k + 1}`, k + 1, 'pooled', 'P5', '5'))]);
      expect(await refused('samples', [HEADER, row('P-5', 5, 'pooled', 'P5'), row('P-6', 6, 'pooled', 'P5')]))
        .toEqual(['2 pool_no: pool P5 would hold 6 samples, more than its size 5']);
      expect(await feed('samples', [HEADER, row('P-5', 5, 'pooled', 'P5')])).toMatchObject({ inserted: 1 });
      expect(await store.samples.membersOf((await store.samples.poolByNo('P5'))!.id)).toBe(5);
    });

    it('lets a sample reported again bring its result, keeps a changed result as a correction, and refuses any other change', async () => {
      await feed('samples', [HEADER, row('S-1', 1, 'single', '', '', 'pending', '')]);
      const before = await events('test.recorded');
      // Pending to positive: the result came in (no correction: nothing was stated before).
      expect(await feed('samples', [HEADER, row('S-1', 1, 'single', '', '', 'positive', '2021-08-11 02:00')])).toMatchObject({ inserted: 0, updated: 1 });
      expect(await store.samples.bySampleNo('S-1')).toMatchObject({ result: 'positive', resultAt: t('2021-08-11 02:00') });
      expect(await store.corrections.of('sample', 'S-1')).toEqual([]);
      expect(await events('test.recorded')).toHaveLength(before.length + 1);
      // Positive to negative: a correction with what changed.
      expect(await feed('samples', [HEADER, row('S-1', 1, 'single', '', '', 'negative', '2021-08-11 03:00')])).toMatchObject({ updated: 1 });
      expect(await store.corrections.of('sample', 'S-1')).toMatchObject([{ reason: 'reported again by a feed', changes: { result: ['positive', 'negative'], resultAt: [t('2021-08-11 02:00'), t('2021-08-11 03:00')] } }]);
      // The same again: unchanged, nothing told.
      const told = (await events('test.recorded')).length;
      expect(await feed('samples', [HEADER, row('S-1', 1, 'single', '', '', 'negative', '2021-08-11 03:00')])).toMatchObject({ updated: 0, unchanged: 1 });
      expect(await events('test.recorded')).toHaveLength(told);
      // Another person, another time, another method: refused, each named.
      expect(await refused('samples', [HEADER, `S-1,${idNumber(2)},2021-08-10 09:00,pooled,P7,,negative,2021-08-11 03:00`])).toEqual([
        '2 id_number: sample S-1 is stored with another id number; only its result can change',
        '2 sampled_at: sample S-1 is stored with another sampled at; only its result can change',
        '2 method: sample S-1 is stored with another method; only its result can change',
        '2 pool_no: sample S-1 is stored with another pool no; only its result can change',
      ]);
      expect(await store.samples.bySampleNo('S-1')).toMatchObject({ result: 'negative', method: 'single' });
    });
  });

  describe('blank required times and numbers', () => {
    it('names each blank required time or dose "required", once, and checks no rule across it', async () => {
      const P = 'id_number,phone,place_code,start,end,source';
      expect(await refused('presence', [P, `${idNumber(1)},,HOSP-1,,2021-08-01 10:00,venue_scan`, `${idNumber(1)},,HOSP-1,2021-08-01 10:00,,venue_scan`]))
        .toEqual(['2 start: required', '3 end: required']);
      const C = 'case_no,id_number,kind,sampled_at,confirmed_at';
      expect(await refused('cases', [C, `C-1,${idNumber(1)},confirmed,,2021-08-02 10:00`, `C-2,${idNumber(2)},confirmed,2021-08-01 10:00,`]))
        .toEqual(['2 sampled_at: required', '3 confirmed_at: required']);
      const S = 'sample_no,id_number,sampled_at,method,result,result_at';
      expect(await refused('samples', [S, `S-1,${idNumber(1)},,single,negative,2021-08-10 20:00`])).toEqual(['2 sampled_at: required']);
      const V = 'id_number,dose,vaccine,vaccinated_at';
      expect(await refused('vaccinations', [V, `${idNumber(1)},,科兴,2021-05-01 09:00`, `${idNumber(1)},2,科兴,`]))
        .toEqual(['2 dose: required', '3 vaccinated_at: required']);
      expect(await store.stats.totals()).toMatchObject({ presence: 0, cases: 0, samples: 0 });
    });
  });

  describe('vaccinations', () => {
    const HEADER = '身份证号,剂次,疫苗名称,接种时间,接种点';

    it('imports doses 1 to 10 from Chinese headers, refuses 0 and 11, and keeps a changed dose as a correction', async () => {
      expect(await refused('vaccinations', [HEADER, `${idNumber(1)},0,北京生物,2021-05-01 09:00,`, `${idNumber(1)},11,北京生物,2021-05-01 09:00,`]))
        .toEqual(['2 dose: 0 is below 1', '3 dose: 11 is above 10']);
      const r = await feed('vaccinations', [HEADER, `${idNumber(1)},1,北京生物,2021-05-01 09:00,芙蓉区接种点`, `${idNumber(1)},10,科兴,2021-06-01 09:00,`]);
      expect(r).toMatchObject({ rows: 2, inserted: 2, updated: 0 });
      const person = await personOf(1);
      expect((await store.persons.vaccinationsOf(person)).map((v) => [v.dose, v.vaccine, v.vaccinatedAt, v.site])).toEqual([
        [1, '北京生物', t('2021-05-01 09:00'), '芙蓉区接种点'], [10, '科兴', t('2021-06-01 09:00'), null],
      ]);
      expect(await feed('vaccinations', [HEADER, `${idNumber(1)},1,北京生物,2021-05-01 09:00,芙蓉区接种点`])).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
      expect(await feed('vaccinations', [HEADER, `${idNumber(1)},1,国药中生北京,2021-05-01 09:00,芙蓉区接种点`])).toMatchObject({ inserted: 0, updated: 1 });
      expect(await store.corrections.of('vaccination', `${person}#1`)).toMatchObject([{ reason: 'corrected by a feed', changes: { vaccine: ['北京生物', '国药中生北京'] } }]);
      expect((await store.persons.vaccinationsOf(person))[0].vaccine).toBe('国药中生北京');
      // A person no one registered: refused at the ID number.
      expect(await refused('vaccinations', [HEADER, `${idNumber(40)},1,科兴,2021-06-01 09:00,`])).toEqual([expect.stringMatching(/^2 id_number: no registered person/)]);
    });
  });
});
