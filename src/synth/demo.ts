/**
 * The built-in demo province: a seeded, census-weighted sample of Hunan's residents in households on the real
 * division tree, the places they use, two weeks of presence from the agencies' feeds, vaccinations, and the confirmed
 * cases of a Zhangjiajie theatre cluster modelled on July 2021. Written as the feed files `cordon import` reads.
 * It is a demo, not the outbreak simulator (that one records ground truth and is validated separately).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { idCheckChar } from '../domain/identity.ts';
import type { ImportKind, PlaceCategory, Region } from '../domain/model/index.ts';
import { DAY, formatTime, HOUR, parseTime } from '../domain/time.ts';
import { CsvWriter } from './csv.ts';
import { CENSUS_2020, GIVEN_CHARS, HOUSEHOLD_SIZE_SHARES, OUTBREAK_CITY, SURNAMES } from './hunan.ts';
import { Random } from './random.ts';

const GEO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../geo/hunan-counties.json');

export interface DemoOptions {
  persons: number;
  days: number;
  seed: number;
  /** First day, local date (the default is the Zhangjiajie cluster's fortnight). */
  startDate: string;
  outDir: string;
  /** Side of the telecom grid cell (the protocol edition's companion cell size). */
  cellSizeMeters: number;
  /** Communities of the real division tree (level community), with their codes. */
  communities: Region[];
}

export interface DemoSummary {
  files: Record<ImportKind, string>;
  counts: Record<ImportKind, number>;
}

/** Places per 1,000 residents by category (rounded demo values). */
const VENUES_PER_1000: Partial<Record<PlaceCategory, number>> = {
  restaurant: 3, market: 0.5, mall: 0.2, cinema: 0.1, bar: 0.2, ktv: 0.15, chess_card_room: 0.3, hotel: 0.3, office: 2, factory: 0.5,
  classroom: 1.5, clinic: 0.3, hospital: 0.05, training_institution: 0.2,
};
const LEISURE: PlaceCategory[] = ['restaurant', 'restaurant', 'restaurant', 'market', 'mall', 'cinema', 'bar', 'ktv', 'chess_card_room'];

const fmt = (t: number) => formatTime(t).slice(0, 16).replace('T', ' ');

/** County centroids from the shipped boundaries, for placing communities near where they are. */
function countyCentres(): Map<string, [number, number]> {
  const geo = JSON.parse(fs.readFileSync(GEO, 'utf8')) as { features: { properties: { code: string; centroid?: [number, number]; center: [number, number] } }[] };
  return new Map(geo.features.map((f) => [f.properties.code, f.properties.centroid ?? f.properties.center]));
}

/** Cell id of a point on the telecom grid of `size` metres. */
export function cellOf(lng: number, lat: number, size: number): string {
  const x = Math.floor((lng * 111_320 * Math.cos((lat * Math.PI) / 180)) / size);
  const y = Math.floor((lat * 110_574) / size);
  return `CELL-${x}-${y}`;
}

export async function generateDemo(o: DemoOptions): Promise<DemoSummary> {
  const rnd = new Random(o.seed);
  const start = parseTime(o.startDate)!;
  fs.mkdirSync(o.outDir, { recursive: true });
  const file = (k: ImportKind) => path.join(o.outDir, `${k}.csv`);
  const centres = countyCentres();
  const cityCodes = Object.keys(CENSUS_2020);
  const byCity = new Map(cityCodes.map((c) => [c, o.communities.filter((r) => r.code.startsWith(c))]));
  const coords = (community: string): [number, number] => {
    const c = centres.get(community.slice(0, 6)) ?? centres.get(`${community.slice(0, 4)}02`) ?? [112.98, 28.19];
    return [c[0] + (rnd.next() - 0.5) * 0.2, c[1] + (rnd.next() - 0.5) * 0.2];
  };

  // Places: venues per capita in each city, two airports, a rail station and the Zhangjiajie theatre.
  const places = new CsvWriter(file('places'), ['code', 'name', 'category', 'region_code', 'lng', 'lat', 'status']);
  const venues = new Map<string, Map<PlaceCategory, string[]>>();
  let venueNo = 0;
  const addPlace = async (category: PlaceCategory, name: string, community: string, at?: [number, number]) => {
    const code = `V${String(++venueNo).padStart(7, '0')}`;
    const [lng, lat] = at ?? coords(community);
    await places.row([code, name, category, community, lng.toFixed(5), lat.toFixed(5), 'open']);
    return code;
  };
  const cityPersons = cityCodes.map((c) => Math.max(1, Math.round((o.persons * CENSUS_2020[c]) / 66_444_864)));
  for (const [i, city] of cityCodes.entries()) {
    const m = new Map<PlaceCategory, string[]>();
    for (const [cat, per] of Object.entries(VENUES_PER_1000) as [PlaceCategory, number][]) {
      const n = Math.max(1, Math.round((cityPersons[i] * per) / 1000));
      const list: string[] = [];
      for (let k = 0; k < n; k++) list.push(await addPlace(cat, `${cat}-${city}-${k + 1}`, rnd.pick(byCity.get(city)!).code));
      m.set(cat, list);
    }
    venues.set(city, m);
  }
  const theatre = await addPlace('theatre', '魅力湘西大剧院', byCity.get(OUTBREAK_CITY)![0].code, [110.546, 29.347]);
  await addPlace('airport', '长沙黄花国际机场', byCity.get('4301')![0].code, [113.22, 28.19]);
  await addPlace('airport', '张家界荷花国际机场', byCity.get(OUTBREAK_CITY)![0].code, [110.45, 29.10]);
  await addPlace('rail_station', '长沙南站', byCity.get('4301')![0].code, [113.065, 28.147]);

  // Persons in households; each household is a residence place and every member's co-residence record.
  const persons = new CsvWriter(file('persons'), ['id_number', 'name', 'phone', 'household_code', 'community_code', 'grid_code', 'occupation', 'address']);
  const presence = new CsvWriter(file('presence'), ['id_number', 'phone', 'place_code', 'start', 'end', 'source', 'seat', 'carriage']);
  const vaccinations = new CsvWriter(file('vaccinations'), ['id_number', 'dose', 'vaccine', 'vaccinated_at', 'site']);
  const usedIds = new Set<string>();
  const end = start + o.days * DAY;
  const theatreGoers: string[] = [];
  /** Telecom cells seen, with the community of the first resident found in each. */
  const cells = new Map<string, string>();
  let hh = 0;
  for (const [ci, city] of cityCodes.entries()) {
    let left = cityPersons[ci];
    while (left > 0) {
      const drawn = rnd.weighted(HOUSEHOLD_SIZE_SHARES) + 1;
      const size = Math.min(left, drawn === HOUSEHOLD_SIZE_SHARES.length ? drawn + rnd.int(3) : drawn);
      left -= size;
      const community = rnd.pick(byCity.get(city)!).code;
      const grid = `${community}0${1 + rnd.int(4)}`;
      const householdCode = `H${String(++hh).padStart(8, '0')}`;
      const home = coords(community);
      const residence = await addPlace('residence', `住宅-${householdCode}`, community, home);
      const surname = rnd.pick(SURNAMES);
      for (let m = 0; m < size; m++) {
        const age = m < 2 ? 25 + rnd.int(50) : rnd.int(25);
        const birth = new Date(Date.UTC(2021 - age, rnd.int(12), 1 + rnd.int(28)));
        let id: string;
        do {
          const first17 = `${community.slice(0, 6)}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(rnd.int(1000)).padStart(3, '0')}`;
          id = first17 + idCheckChar(first17);
        } while (usedIds.has(id));
        usedIds.add(id);
        const phone = `1${rnd.pick(['38', '39', '58', '86', '87'])}${String(rnd.int(1e8)).padStart(8, '0')}`;
        const occupation = age < 6 ? null : age < 19 ? 'student' : age > 62 ? 'retired' : rnd.pick(['office', 'office', 'factory', 'service', 'farmer']);
        await persons.row([id, surname + rnd.pick(GIVEN_CHARS) + (rnd.chance(0.6) ? rnd.pick(GIVEN_CHARS) : ''), phone, householdCode, community, grid, occupation, `${community}-${hh}`]);
        await presence.row([id, '', residence, fmt(start), fmt(end), 'household', '', '']);
        const cv = venues.get(city)!;
        const work = occupation === 'student' ? rnd.pick(cv.get('classroom')!) : occupation === 'office' || occupation === 'service' ? rnd.pick(cv.get('office')!) : occupation === 'factory' ? rnd.pick(cv.get('factory')!) : null;
        for (let d = 0; d < o.days; d++) {
          const day = start + d * DAY;
          const weekday = new Date((day + 8 * HOUR) * 1000).getUTCDay();
          if (work && weekday >= 1 && weekday <= 5) {
            await presence.row([id, '', work, fmt(day + 9 * HOUR), fmt(day + 17 * HOUR + 30 * 60), 'workplace', '', '']);
          }
          if (rnd.chance(0.35)) {
            const from = day + (11 + rnd.int(9)) * HOUR + rnd.int(4) * 15 * 60;
            await presence.row([id, '', rnd.pick(cv.get(rnd.pick(LEISURE))!), fmt(from), fmt(from + (30 + rnd.int(90)) * 60), 'venue_scan', '', '']);
          }
          if (rnd.chance(0.15)) {
            const cell = cellOf(home[0], home[1], o.cellSizeMeters);
            if (!cells.has(cell)) cells.set(cell, community);
            await presence.row(['', phone, cell, fmt(day + 20 * HOUR), fmt(day + 23 * HOUR), 'telecom_stay', '', '']);
          }
        }
        if (age >= 18 && rnd.chance(0.7)) {
          const doses = 1 + rnd.int(2);
          for (let dose = 1; dose <= doses; dose++) {
            await vaccinations.row([id, dose, rnd.pick(['Sinovac CoronaVac', 'Sinopharm BBIBP', 'CanSino Ad5']), fmt(parseTime('2021-04-01')! + (dose * 30 + rnd.int(20)) * DAY), null]);
          }
        }
        if (age >= 18 && rnd.chance(city === OUTBREAK_CITY ? 0.1 : 0.003)) theatreGoers.push(id);
      }
    }
  }
  // Telecom cells referenced above must exist as places.
  const show = parseTime('2021-07-22 19:30')!;
  for (const id of theatreGoers) await presence.row([id, '', theatre, fmt(show), fmt(show + 90 * 60), 'venue_scan', '', '']);
  await persons.close();
  await vaccinations.close();
  await presence.close();

  for (const [cell, community] of cells) await places.row([cell, `${o.cellSizeMeters} m cell ${cell}`, 'telecom_cell', community.slice(0, 6), '', '', 'open']);
  await places.close();

  // Cases: theatre-goers of the show, confirmed over the following ten days.
  const cases = new CsvWriter(file('cases'), ['case_no', 'id_number', 'kind', 'onset_at', 'sampled_at', 'confirmed_at', 'isolated_at', 'severity', 'outcome', 'detected_by']);
  for (let i = theatreGoers.length - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [theatreGoers[i], theatreGoers[j]] = [theatreGoers[j], theatreGoers[i]];
  }
  const nCases = Math.min(theatreGoers.length, Math.max(5, Math.round(o.persons / 2000)));
  for (let i = 0; i < nCases; i++) {
    const asymptomatic = rnd.chance(0.3);
    const onset = show + (2 + rnd.int(5)) * DAY + rnd.int(12) * HOUR;
    const sampled = onset + (6 + rnd.int(30)) * HOUR;
    const confirmed = sampled + (8 + rnd.int(16)) * HOUR;
    await cases.row([`HN-ZJJ-${String(i + 1).padStart(3, '0')}`, theatreGoers[i], asymptomatic ? 'asymptomatic' : 'confirmed', asymptomatic ? null : fmt(onset),
      fmt(sampled), fmt(confirmed), fmt(confirmed), asymptomatic ? 'none' : rnd.pick(['mild', 'moderate']), 'in_treatment', asymptomatic ? 'contact_screening' : 'symptoms']);
  }
  await cases.close();
  const samples = new CsvWriter(file('samples'), ['sample_no', 'id_number', 'sampled_at', 'method', 'pool_no', 'pool_size', 'result', 'result_at', 'lab']);
  await samples.close();
  const writers = { persons, places, presence, cases, samples, vaccinations };
  return {
    files: Object.fromEntries(Object.keys(writers).map((k) => [k, file(k as ImportKind)])) as Record<ImportKind, string>,
    counts: Object.fromEntries(Object.entries(writers).map(([k, w]) => [k, w.rows])) as Record<ImportKind, number>,
  };
}
