/**
 * Stranded visitors through the API on both engines: a county registers visitors from other provinces caught in a
 * sealed community and lodges them at its designated hotel (its rooms shared with quarantine: a full room refuses the
 * next); they are listed by origin province, masked; meals, medicine and counselling are logged; they go home with
 * their journey. Bad input (a wrong ID number, a birth date after today, someone lodged already, a registered
 * resident, an area that is not sealed, a sealed area or site out of reach) changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { actorKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { fieldApp, fieldWorld, PERSONS_CSV, type FieldWorld } from '../../test/fieldCases.ts';
import { idNumber } from '../../test/fixtures.ts';
import { TEST_KEY } from '../../test/services.ts';
import type { Role } from '../domain/access.ts';
import { parseTime } from '../domain/time.ts';

const NOW = parseTime('2021-09-25 10:00')!;
const BEIJING = idNumber(1, '19800101', '110101'), GUANGDONG = idNumber(2, '19900101', '440305'), GUANGDONG_2 = idNumber(3, '19920202', '440106');

describeEachEngine('api: stranded visitors', (engine) => {
  let w: FieldWorld, app: FastifyInstance;
  const actors = actorKeys(() => app);
  const as = actors.as;

  beforeEach(async () => {
    w = await fieldWorld(engine, NOW);
    // The community is graded high-risk (sealed) a day before; the rest of the county is not graded.
    await w.s.store.control.insertRiskAreas([{ regionCode: '430102001001', unitName: null, level: 'high', since: NOW - 86_400, reviewAt: null, ruleSet: 'street-2021', reason: 'test', reasonCode: 'text', reasonArgs: {} }]);
    // The app hashes ID numbers with the key the register was fed with.
    app = await fieldApp(w, { services: { ...w.s, idHashKey: TEST_KEY } });
    await actors.enter(w.s.store, [['county_command', '430102'], ['county_command', '430103'], ['grid_worker', '43010200100101'], ['auditor', '43']]);
  });
  afterEach(async () => { await app?.close(); await w?.close(); });

  it('lodges visitors from other provinces at a designated hotel, logs their care, lists them by origin, and sends them home', async () => {
    const site = (await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '芙蓉区滞留旅客安置酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 2, personsPerRoom: 2 })).json() as { id: number };
    const lodge = (role: Role, scope: string, body: object) => as(role, scope, 'POST', '/api/stranded', { sealedRegionCode: '430102001001', siteId: site.id, ...body });
    const r1 = await lodge('county_command', '430102', { idNumber: BEIJING, name: '张建华', phone: '13800138000', room: '101' });
    expect(r1.statusCode, r1.body).toBe(201);
    const v1 = r1.json() as { id: number; name: string; idMasked: string; phone: string; originProvince: string; originName: string; siteName: string; sealedRegionName: string };
    expect(v1).toMatchObject({ name: '张**', idMasked: maskOf(BEIJING), phone: '138****8000', originProvince: '11', originName: '北京市', siteName: '芙蓉区滞留旅客安置酒店', room: '101' });
    // A grid worker lodges a visitor stranded in their grid (the community containing it is not theirs).
    expect((await lodge('grid_worker', '43010200100101', { idNumber: GUANGDONG, name: '李娜', room: '101' })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await lodge('grid_worker', '43010200100101', { idNumber: GUANGDONG, name: '李娜', room: '101', sealedRegionCode: '43010200100101' })).statusCode).toBe(201);

    // Refused, nothing written: a wrong check digit, one lodged already, a full room, an area or a site out of reach, a role that may not.
    const bad = GUANGDONG_2.slice(0, 17) + (GUANGDONG_2[17] === '0' ? '1' : '0');
    expect((await lodge('county_command', '430102', { idNumber: bad, name: '王五', room: '102' })).statusCode).toBe(400);
    // Lodged already: said with the ID masked as lists mask it, no more of it.
    expect((await lodge('county_command', '430102', { idNumber: BEIJING.toLowerCase(), name: '张建华', room: '102' })).json().error).toMatchObject({ code: 'ALREADY_LODGED', message: `${maskOf(BEIJING)} is lodged already` });
    // Born tomorrow (a valid check digit): no such visitor.
    const tomorrow = idNumber(4, '20210926', '440106');
    expect((await lodge('county_command', '430102', { idNumber: tomorrow, name: '王五', room: '102' })).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'idNumber', reason: 'birth date inside the number is in the future' }] });
    // A resident the register holds (here, of the sealed community itself) is not a visitor.
    const resident = PERSONS_CSV.split('\n')[1].split(',')[0];
    expect((await lodge('county_command', '430102', { idNumber: resident, name: '周建国', room: '102' })).json().error.code).toBe('NOT_A_VISITOR');
    // The street's other community holds no risk area: nobody is stranded there. The street holding the sealed community is.
    expect((await lodge('county_command', '430102', { idNumber: GUANGDONG_2, name: '王五', room: '102', sealedRegionCode: '430102001002' })).json().error.code).toBe('NOT_SEALED');
    // Nor the county as a whole because a compound in it is sealed.
    expect((await lodge('county_command', '430102', { idNumber: GUANGDONG_2, name: '王五', room: '102', sealedRegionCode: '430102' })).json().error.code).toBe('NOT_SEALED');
    expect((await lodge('county_command', '430102', { idNumber: GUANGDONG_2, name: '王五', room: '１０１' })).json().error.code).toBe('ROOM_FULL');
    expect((await lodge('county_command', '430103', { idNumber: GUANGDONG_2, name: '王五', room: '102' })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await as('county_command', '430103', 'POST', '/api/stranded', { idNumber: GUANGDONG_2, name: '王五', sealedRegionCode: '430103', siteId: site.id, room: '102' })).json().error.code).toBe('UNKNOWN_REFERENCE');
    expect((await lodge('auditor', '43', { idNumber: GUANGDONG_2, name: '王五', room: '102' })).statusCode).toBe(403);
    const list = async (q = '', role: Role = 'county_command', scope = '430102') => (await as(role, scope, 'GET', `/api/stranded${q}`)).json() as { total: number; items: { id: number; care: Record<string, number>; releasedAt: string | null }[]; byOrigin: { originName: string; lodged: number; released: number }[] };
    expect((await list()).total).toBe(2);
    // The hotel's rooms are shared with quarantine: one room in use, two persons.
    expect((await as('county_command', '430102', 'GET', '/api/quarantine/sites')).json().items[0]).toMatchObject({ occupants: 2, visitors: 2, roomsInUse: 1, bedsFree: 2 });

    // By origin province; another county sees none.
    expect((await list()).byOrigin).toEqual([{ originProvince: '11', originName: '北京市', lodged: 1, released: 0 }, { originProvince: '44', originName: '广东省', lodged: 1, released: 0 }]);
    expect((await list('?originProvince=44')).total).toBe(1);
    expect((await list('', 'county_command', '430103')).total).toBe(0);

    // Care logged: three meals, medicine, counselling. Not by a grid worker of another area than the visitor's.
    expect((await as('grid_worker', '43010200100101', 'POST', `/api/stranded/${v1.id}/care`, { kind: 'meals' })).statusCode).toBe(404);
    for (const kind of ['meals', 'meals', 'meals', 'medicine', 'counselling']) {
      expect((await as('county_command', '430102', 'POST', `/api/stranded/${v1.id}/care`, { kind, note: kind === 'medicine' ? '降压药' : undefined })).statusCode).toBe(201);
    }
    expect((await as('county_command', '430102', 'POST', `/api/stranded/${v1.id}/care`, { kind: 'taxi' })).statusCode).toBe(400);
    const detail = (await as('county_command', '430102', 'GET', `/api/stranded/${v1.id}`)).json() as { care: Record<string, number>; careLog: { kind: string; note: string | null }[] };
    expect(detail.care).toEqual({ meals: 3, medicine: 1, counselling: 1 });
    expect(detail.careLog.find((c) => c.kind === 'medicine')!.note).toBe('降压药');

    // Home: released with the journey; no more care; the room frees up.
    w.clock.set(NOW + 86_400 * 10);
    const home = await as('county_command', '430102', 'POST', `/api/stranded/${v1.id}/release`, { journeyHome: 'G1234 长沙南—北京西', note: '解封后返程' });
    expect(home.statusCode, home.body).toBe(200);
    expect(home.json()).toMatchObject({ journeyHome: 'G1234 长沙南—北京西', releasedAt: '2021-10-05T10:00:00+08:00' });
    expect((await as('county_command', '430102', 'POST', `/api/stranded/${v1.id}/care`, { kind: 'meals' })).json().error.code).toBe('INVALID_TRANSITION');
    expect((await as('county_command', '430102', 'POST', `/api/stranded/${v1.id}/release`, { journeyHome: 'x', note: 'x' })).json().error.code).toBe('INVALID_TRANSITION');
    expect((await list('?state=lodged')).total).toBe(1);
    // The counts by origin hold both states on every tab.
    expect((await list('?state=lodged')).byOrigin[0]).toMatchObject({ originName: '北京市', lodged: 0, released: 1 });
    expect((await list()).byOrigin[0]).toMatchObject({ originName: '北京市', lodged: 0, released: 1 });
    expect((await lodge('county_command', '430102', { idNumber: GUANGDONG_2, name: '王五', room: '101', sealedRegionCode: '430102001' })).statusCode).toBe(201);
    expect((await list()).items.map((v) => (v as unknown as { idMasked: string }).idMasked)).toContain(maskOf(GUANGDONG_2));
  });
});

function maskOf(id: string): string {
  return id.slice(0, 3) + '*'.repeat(13) + id.slice(-2);
}
