/**
 * The synthetic province's standing world: residents in households on the real division tree, with ages,
 * occupations, ID numbers and phones; and the places they use (residences, workplaces, classes, venues, stations,
 * airports, scenic spots, telecom cells), placed inside their real county boundaries. Typed arrays throughout, so
 * 10 million residents fit in a few gigabytes.
 */
import { idCheckChar } from '../domain/identity.ts';
import type { PlaceCategory } from '../domain/vocab.ts';
import { CountyShapes } from './geo.ts';
import { CENSUS_2020, GIVEN_CHARS, HOUSEHOLD_SIZE_SHARES, OUTBREAK_CITY, SURNAMES } from './hunan.ts';
import {
  ADULT_OCCUPATION_SHARES, AGE_BANDS, CLASS_SIZE, FACTORY_SIZE, OFFICE_SIZE, PLACES_PER_1000, TOURIST_HOTELS_PER_1000, ZIPF_S,
} from './params.ts';
import { Random } from './random.ts';

export const OCC = { none: 0, student: 1, office: 2, factory: 3, service: 4, farmer: 5, retired: 6 } as const;
const CITIES = Object.keys(CENSUS_2020);
const CENSUS_TOTAL = Object.values(CENSUS_2020).reduce((a, b) => a + b, 0);

/** Real places the scenario needs by name: airports (IATA), main rail stations, scenic spots, the theatre. */
export const LANDMARKS: { code: string; name: string; category: PlaceCategory; city: string; lng: number; lat: number }[] = [
  { code: 'AP-CSX', name: '长沙黄花国际机场', category: 'airport', city: '4301', lng: 113.22, lat: 28.19 },
  { code: 'AP-DYG', name: '张家界荷花国际机场', category: 'airport', city: '4308', lng: 110.45, lat: 29.10 },
  { code: 'AP-CGD', name: '常德桃花源机场', category: 'airport', city: '4307', lng: 111.64, lat: 28.92 },
  { code: 'AP-HJJ', name: '怀化芷江机场', category: 'airport', city: '4312', lng: 109.70, lat: 27.44 },
  { code: 'AP-HNY', name: '衡阳南岳机场', category: 'airport', city: '4304', lng: 112.63, lat: 26.72 },
  { code: 'RS-CSN', name: '长沙南站', category: 'rail_station', city: '4301', lng: 113.065, lat: 28.147 },
  { code: 'RS-ZJJ', name: '张家界西站', category: 'rail_station', city: '4308', lng: 110.43, lat: 29.13 },
  { code: 'SS-ZJJNFP', name: '张家界国家森林公园', category: 'scenic_spot', city: '4308', lng: 110.46, lat: 29.32 },
  { code: 'SS-TMS', name: '天门山国家森林公园', category: 'scenic_spot', city: '4308', lng: 110.48, lat: 29.05 },
  { code: 'SS-FHGC', name: '凤凰古城', category: 'scenic_spot', city: '4331', lng: 109.60, lat: 27.95 },
  { code: 'SS-YLS', name: '岳麓山', category: 'scenic_spot', city: '4301', lng: 112.93, lat: 28.19 },
  { code: 'SS-SS', name: '韶山', category: 'scenic_spot', city: '4303', lng: 112.52, lat: 27.92 },
  { code: 'TH-MLXX', name: '魅力湘西大剧院', category: 'theatre', city: '4308', lng: 110.546, lat: 29.347 },
];

/** Growable place table. */
export class Places {
  n = 0;
  category: number[] = [];
  community: number[] = []; // community index, or -1 (region given by city)
  city: number[] = [];
  lng: number[] = [];
  lat: number[] = [];
  vehicle: number[] = []; // VEHICLE_SETTINGS index, 255 none
  code: string[] = [];
  name: string[] = [];

  add(p: { category: number; community: number; city: number; lng: number; lat: number; code: string; name: string; vehicle?: number }): number {
    this.category.push(p.category); this.community.push(p.community); this.city.push(p.city); this.lng.push(p.lng); this.lat.push(p.lat);
    this.vehicle.push(p.vehicle ?? 255); this.code.push(p.code); this.name.push(p.name);
    return this.n++;
  }
}

/** Venues of one category in one city with cumulative Zipf weights, for popularity-weighted draws. */
export class VenuePool {
  private readonly cum: Float64Array;
  constructor(readonly places: number[]) {
    this.cum = new Float64Array(places.length);
    let s = 0;
    for (let i = 0; i < places.length; i++) { s += 1 / Math.pow(i + 1, ZIPF_S); this.cum[i] = s; }
  }
  draw(rnd: Random): number {
    const r = rnd.next() * this.cum[this.cum.length - 1];
    let lo = 0, hi = this.cum.length - 1;
    while (lo < hi) { const m = (lo + hi) >> 1; if (this.cum[m] < r) lo = m + 1; else hi = m; }
    return this.places[lo];
  }
}

export interface World {
  persons: number;
  communities: string[];
  communityLng: Float32Array;
  communityLat: Float32Array;
  /** Per person. */
  age: Uint8Array;
  occupation: Uint8Array;
  household: Uint32Array;
  community: Uint32Array;
  /** Workplace or class place of the person, -1 for none. */
  work: Int32Array;
  /** 1 where the person scans venue codes. */
  scanner: Uint8Array;
  idNumber: string[];
  name: string[];
  /** Per household: its residence place and grid number (1-4). */
  residence: Uint32Array;
  householdGrid: Uint8Array;
  households: number;
  places: Places;
  /** Venue pools by city code then category. */
  venues: Map<string, Map<PlaceCategory, VenuePool>>;
  cityOf: (community: number) => string;
  /** Landmark place index by code. */
  landmark: Map<string, number>;
}

/** Phone number of person i: a bijection of i into 11 digits, so every resident's number is distinct. */
export function phoneOf(i: number): string {
  const scrambled = (i * 387_420_489 + 12_345) % 1_000_000_000;
  return `13${String(scrambled).padStart(9, '0')}`;
}

const CATEGORY_INDEX = (c: PlaceCategory, all: readonly PlaceCategory[]) => all.indexOf(c);

/**
 * `gridsPerCommunity`: the grids under each community (init's CORDON_GRIDS_PER_COMMUNITY, default 4); each household
 * is in one of them (1-based), or in none (0) when there are none.
 */
export function buildWorld(o: { persons: number; seed: number; communities: string[]; categories: readonly PlaceCategory[]; gridsPerCommunity?: number }): World {
  const rnd = new Random(o.seed);
  const grids = o.gridsPerCommunity ?? 4;
  const shapes = new CountyShapes();
  const cat = (c: PlaceCategory) => CATEGORY_INDEX(c, o.categories);
  const comms = o.communities.filter((c) => shapes.has(c.slice(0, 6)));
  const byCity = new Map(CITIES.map((c) => [c, comms.map((code, i) => (code.startsWith(c) ? i : -1)).filter((i) => i >= 0)]));
  const communityLng = new Float32Array(comms.length), communityLat = new Float32Array(comms.length);
  comms.forEach((code, i) => { const [x, y] = shapes.randomPoint(code.slice(0, 6), rnd); communityLng[i] = x; communityLat[i] = y; });
  const cityOf = (community: number) => comms[community].slice(0, 4);

  const N = o.persons;
  const age = new Uint8Array(N), occupation = new Uint8Array(N), household = new Uint32Array(N), community = new Uint32Array(N);
  const work = new Int32Array(N).fill(-1), scanner = new Uint8Array(N);
  const idNumber: string[] = new Array(N), name: string[] = new Array(N);
  const residenceList: number[] = [], gridList: number[] = [];
  const places = new Places();
  const seqUsed = new Map<string, number>();
  const ageCum = AGE_BANDS.map((b) => b[2]);

  // Residents by city in census proportion, in households of census sizes.
  let p = 0;
  for (const city of CITIES) {
    const quota = city === CITIES[CITIES.length - 1] ? N - p : Math.round((N * CENSUS_2020[city]) / CENSUS_TOTAL);
    const cityComms = byCity.get(city)!;
    let left = quota;
    while (left > 0) {
      const drawn = rnd.weighted(HOUSEHOLD_SIZE_SHARES) + 1;
      const size = Math.min(left, drawn === HOUSEHOLD_SIZE_SHARES.length ? drawn + rnd.int(3) : drawn);
      left -= size;
      const c = cityComms[rnd.int(cityComms.length)];
      const hh = residenceList.length;
      const jitter = () => (rnd.next() - 0.5) * 0.01;
      const res = places.add({ category: cat('residence'), community: c, city: Number(city), lng: communityLng[c] + jitter(), lat: communityLat[c] + jitter(), code: `R${hh + 1}`, name: `住宅${hh + 1}` });
      residenceList.push(res);
      // One draw whatever the grids' number, so the rest of a seed's world is the same.
      const grid = 1 + rnd.int(Math.max(1, grids));
      gridList.push(grids > 0 ? grid : 0);
      const surname = SURNAMES[rnd.int(SURNAMES.length)];
      for (let m = 0; m < size; m++, p++) {
        const band = AGE_BANDS[rnd.weighted(ageCum)];
        const a = m === 0 ? Math.max(23, band[0] + rnd.int(band[1] - band[0])) : band[0] + rnd.int(band[1] - band[0]);
        age[p] = a; household[p] = hh; community[p] = c;
        scanner[p] = rnd.chance(0.85) ? 1 : 0;
        if (a >= 6 && a < 23) occupation[p] = OCC.student;
        else if (a >= 60) occupation[p] = OCC.retired;
        else if (a >= 23) occupation[p] = [OCC.office, OCC.factory, OCC.service, OCC.farmer, OCC.none][rnd.weighted(ADULT_OCCUPATION_SHARES)];
        // Aged `a` on the outbreak's first days (from 2021-07-20): born in the year up to 2021-07-19 less `a` years, never after.
        const birthDay = Math.floor(Date.UTC(2021 - a, 6, 19) / 86_400_000) - rnd.int(365);
        const birth = new Date(birthDay * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
        const county = comms[c].slice(0, 6);
        const key = county + birth;
        const sexOdd = rnd.chance(0.51) ? 1 : 0;
        let seq = seqUsed.get(key) ?? rnd.int(200) * 2;
        if ((seq & 1) !== sexOdd) seq++;
        seqUsed.set(key, seq + 1);
        const first17 = `${county}${birth}${String(seq % 1000).padStart(3, '0')}`;
        idNumber[p] = first17 + idCheckChar(first17);
        name[p] = surname + GIVEN_CHARS[rnd.int(GIVEN_CHARS.length)] + (rnd.chance(0.6) ? GIVEN_CHARS[rnd.int(GIVEN_CHARS.length)] : '');
      }
    }
  }

  // Landmarks, then venues per capita per city, at points inside their community's county.
  const landmark = new Map<string, number>();
  for (const l of LANDMARKS) landmark.set(l.code, places.add({ category: cat(l.category), community: byCity.get(l.city)![0], city: Number(l.city), lng: l.lng, lat: l.lat, code: l.code, name: l.name }));
  const venues = new Map<string, Map<PlaceCategory, VenuePool>>();
  let v = 0;
  /** A venue's name as a sign would read it (the demo's pages and public notices show it): its kind in Chinese, then its number. */
  const VENUE_NAMES: Partial<Record<PlaceCategory, string>> = {
    restaurant: '餐馆', market: '农贸市场', mall: '商场', cinema: '影院', theatre: '剧院', bar: '酒吧', ktv: 'KTV', chess_card_room: '棋牌室', hotel: '酒店',
    hospital: '医院', clinic: '诊所', training_institution: '培训机构', bus_station: '汽车站', tollgate: '收费站', office: '写字楼', factory: '工厂', classroom: '教室',
  };
  const addVenue = (category: PlaceCategory, city: string, label: string = VENUE_NAMES[category] ?? category) => {
    const comm = byCity.get(city)![rnd.int(byCity.get(city)!.length)];
    const [x, y] = shapes.randomPoint(comms[comm].slice(0, 6), rnd);
    return places.add({ category: cat(category), community: comm, city: Number(city), lng: x, lat: y, code: `V${++v}`, name: `${label}${v}` });
  };
  const residents = new Map(CITIES.map((c) => [c, 0]));
  for (let i = 0; i < N; i++) residents.set(cityOf(community[i]), residents.get(cityOf(community[i]))! + 1);
  for (const city of CITIES) {
    const m = new Map<PlaceCategory, VenuePool>();
    for (const [category, general] of Object.entries(PLACES_PER_1000) as [PlaceCategory, number][]) {
      const per = category === 'hotel' ? TOURIST_HOTELS_PER_1000[city] ?? general : general;
      const count = Math.max(1, Math.round((residents.get(city)! * per) / 1000));
      const list: number[] = [];
      for (let k = 0; k < count; k++) list.push(addVenue(category, city));
      m.set(category, new VenuePool(list));
    }
    const spots = LANDMARKS.filter((l) => l.city === city && l.category === 'scenic_spot').map((l) => landmark.get(l.code)!);
    if (spots.length) m.set('scenic_spot', new VenuePool(spots));
    venues.set(city, m);
  }

  // Workplaces and classes: filled in order of residents, per city, at their sizes.
  const open = new Map<string, { place: number; left: number }>();
  for (let i = 0; i < N; i++) {
    const occ = occupation[i];
    const kind: PlaceCategory | null = occ === OCC.student ? 'classroom' : occ === OCC.office || occ === OCC.service ? 'office' : occ === OCC.factory ? 'factory' : null;
    if (!kind) continue;
    const city = cityOf(community[i]);
    const key = `${city}:${kind}`;
    let slot = open.get(key);
    if (!slot || slot.left === 0) {
      slot = { place: addVenue(kind, city), left: kind === 'classroom' ? CLASS_SIZE : kind === 'factory' ? FACTORY_SIZE : OFFICE_SIZE };
      open.set(key, slot);
    }
    work[i] = slot.place;
    slot.left--;
  }

  return {
    persons: N, communities: comms, communityLng, communityLat, age, occupation, household, community, work, scanner, idNumber, name,
    residence: Uint32Array.from(residenceList), householdGrid: Uint8Array.from(gridList), households: residenceList.length, places, venues, cityOf, landmark,
  };
}

export { CITIES, OUTBREAK_CITY };
