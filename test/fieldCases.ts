/**
 * The shared set-up of the field cases in ../shared/cases (see its README): persons, places and presence of the
 * `trace-window` folder, copied here as constants (tiny invented inputs) so the tests run without that folder. The
 * persons are named by the label in their occupation column (A, B, E5, ...) and looked up by ID number.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from '../src/api/app.ts';
import { hashIdNumber } from '../src/domain/identity.ts';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { parseTime } from '../src/domain/time.ts';
import type { Engine } from '../src/storage/db.ts';
import { actAsPermittedRoles, routeCollector } from './credentials.ts';
import { MINI_REGIONS } from './fixtures.ts';
import { TEST_KEY, testServices, type TestServices } from './services.ts';

/** trace-window/persons.csv */
export const PERSONS_CSV = `id_number,name,community_code,phone,occupation
430102198604120316,周建国,430102001001,13907390000,A
430102198604120420,吴丽华,430102001001,13907390001,B
430102198806150118,𠮷祥,430102001001,13907390002,E5
430102198806150222,刘䶮,430102001001,13907390003,E6
430102198806150310,阿依古丽·买买提,430102001001,13907390004,E7
430102198806150417,𪚥,430102001001,13907390005,D
430102198806160113,𠮷庆,430102001001,13907390006,U
430102198806160228,王䶮,430102001001,13907390007,L
43010219870524051X,孙磊,430102001001,13907390008,Z
430102198705240624,朱敏,430102001001,13907390009,C
430102198705240712,胡军,430102001001,13907390010,RA`;

/** trace-window/places_bh.csv */
export const PLACES_CSV = `code,name,category,region_code,lng,lat
BH-R1,臭豆腐小馆,restaurant,430102001001,112.98,28.19
BH-O1,五一路写字楼302,office,430102001001,112.99,28.20
BH-K1,星光KTV,ktv,430102001001,112.985,28.195
BH-H1,家1,residence,430102001001,112.981,28.191
BH-R2,米粉店,restaurant,430102001001,112.982,28.192
BH-R3,茶楼,restaurant,430102001001,112.983,28.193`;

/** trace-window/presence.csv */
export const PRESENCE_CSV = `id_number,place_code,start,end,source
430102198604120316,BH-R1,2021-09-18 18:00,2021-09-18 19:30,venue_scan
430102198604120420,BH-R1,2021-09-18 18:10,2021-09-18 19:40,venue_scan
43010219870524051X,BH-R1,2021-09-18 18:30,2021-09-18 18:30,venue_scan
430102198806160113,BH-R1,2021-09-18T10:20:00Z,2021-09-18T11:20:00Z,venue_scan
430102198806160228,BH-R1,2021-09-18 10:20,2021-09-18 11:20,venue_scan
430102198604120316,BH-R2,2021-09-14 12:00,2021-09-14 13:00,venue_scan
430102198806150118,BH-R2,2021-09-14 12:00,2021-09-14 13:00,venue_scan
430102198604120316,BH-R3,2021-09-16 10:30,2021-09-16 11:30,venue_scan
430102198806150417,BH-R3,2021-09-16 10:30,2021-09-16 11:30,venue_scan
430102198604120316,BH-K1,2021-09-19 22:30,2021-09-20 01:30,venue_scan
430102198806150310,BH-K1,2021-09-20 00:10,2021-09-20 01:00,venue_scan
430102198604120316,BH-R2,2021-09-22 12:00,2021-09-22 13:00,venue_scan
430102198806150222,BH-R2,2021-09-22 12:00,2021-09-22 13:00,venue_scan
430102198604120420,BH-O1,2021-09-20 09:00,2021-09-20 12:00,venue_scan
430102198705240624,BH-O1,2021-09-20 09:00,2021-09-20 12:00,venue_scan`;

/** The labels of the persons, in file order. */
export const LABELS = PERSONS_CSV.split('\n').slice(1).map((l) => l.split(',')[4]);
const ID_OF = new Map(PERSONS_CSV.split('\n').slice(1).map((l) => [l.split(',')[4], l.split(',')[0]]));

/** The server's clock the field cases of late November 2026 were tried at (2026-11-30 about 19:45 CST). */
export const FIELD_NOW = parseTime('2026-11-30 19:45')!;

export interface FieldWorld extends TestServices {
  /** Person id of a label (A, B, E5 ...). */
  id(label: string): Promise<number>;
  /** ID number of a label. */
  idNumber(label: string): string;
}

/** Services on a fresh store with the field cases' set-up imported, the clock at `now` (FIELD_NOW by default). */
export async function fieldWorld(engine: Engine, now = FIELD_NOW): Promise<FieldWorld> {
  const t = await testServices(engine, now);
  await t.s.store.regions.insertMany(MINI_REGIONS);
  await t.feed('persons', PERSONS_CSV.split('\n'), 'persons.csv');
  await t.feed('places', PLACES_CSV.split('\n'), 'places_bh.csv');
  await t.feed('presence', PRESENCE_CSV.split('\n'), 'presence.csv');
  return {
    ...t,
    idNumber: (label) => ID_OF.get(label)!,
    async id(label) {
      const hash = hashIdNumber(ID_OF.get(label)!, TEST_KEY);
      return (await t.s.store.persons.idsByHash([hash])).get(hash)!;
    },
  };
}

/**
 * An API app over a field world's services (the clock is the world's); `options` add to or replace the app's
 * options. Its `inject` acts as a role that may take each request's action (test/credentials.ts).
 */
export async function fieldApp(w: FieldWorld, options: Partial<BuildAppOptions> = {}): Promise<FastifyInstance> {
  const { routes, onRoute } = routeCollector();
  const app = await buildApp({
    store: w.s.store, edition: loadEdition('ed8-delta-2021'), engine: await w.s.tracing(), services: w.s, webDir: undefined, version: 'test', ...options,
    onRoute: (r) => { onRoute(r); options.onRoute?.(r); },
  });
  await actAsPermittedRoles(app, w.s.store, routes);
  return app;
}

/** The field cases' case A as confirmed on 2021-09-22 08:00 (onset 09-20 10:00, isolated at confirmation). */
export const CASE_A = { caseNo: 'BH-A', kind: 'confirmed', onsetAt: '2021-09-20 10:00', sampledAt: '2021-09-21 09:00', confirmedAt: '2021-09-22 08:00', isolatedAt: '2021-09-22 08:00', detectedBy: 'symptoms' };

/**
 * A field world on the day case A was confirmed (the clock at 2021-09-22 12:00, so its contacts' quarantine is due
 * now), its app, and case A entered through the API; its id.
 */
export async function worldWithCaseA(engine: Engine): Promise<{ w: FieldWorld; app: FastifyInstance; caseId: number }> {
  const w = await fieldWorld(engine, parseTime('2021-09-22 12:00')!);
  const app = await fieldApp(w);
  const r = await app.inject({ method: 'POST', url: '/api/cases', payload: { ...CASE_A, personId: await w.id('A') } });
  if (r.statusCode !== 201) throw new Error(`case A not entered: ${r.statusCode} ${r.body}`);
  return { w, app, caseId: r.json().case.id };
}
