/**
 * Runs the synthetic province day by day: every resident's true movements (home, work or school, errands and
 * leisure, intercity trips with seats, hotel nights, the Zhangjiajie theatre show), the feeds the four agencies
 * would see of them (with gaps: not everyone scans, few workplaces report attendance, telecom reports only stays of
 * 10 minutes or more, on coarse times), and an outbreak that spreads only through true co-presence. Each infection
 * records its true infector, setting, place and time. Memory holds one day of visits at a time.
 */
import { DAY, HOUR } from '../domain/time.ts';
import { PLACE_CATEGORIES, PRESENCE_SOURCES, VEHICLE_SETTINGS, type PlaceCategory, type PresenceSource } from '../domain/vocab.ts';
import { groupByKey } from '../tracing/columns.ts';
import { cellOf } from './cells.ts';
import {
  ATTENDANCE_FEED_SHARE, DETECTION, GATE_REGISTRATION_RATE, NATURAL_HISTORY, POOL_SIZE, ROUTINE_TEST_RATE, SCAN_RATE, TELECOM_MIN_STAY_MIN, TELECOM_REPORTED_SHARE, TELECOM_ROUND_MIN,
  GATHERING, TRANSMISSION, TRIP_RATE, VISIT_CATEGORIES, VISITS_PER_DAY, ZHANGJIAJIE_SHARE,
} from './params.ts';
import { gamma, poisson, Random } from './random.ts';
import { CITIES, OCC, OUTBREAK_CITY, type World } from './world.ts';

const cat = (c: PlaceCategory) => PLACE_CATEGORIES.indexOf(c);
const SRC = Object.fromEntries(PRESENCE_SOURCES.map((s, i) => [s, i])) as Record<PresenceSource, number>;
const DINING = new Set(['restaurant', 'cinema', 'bar', 'chess_card_room', 'ktv', 'theatre'].map((c) => cat(c as PlaceCategory)));
const WORK = new Set(['office', 'factory', 'classroom', 'training_institution', 'workshop'].map((c) => cat(c as PlaceCategory)));
const VEHICLE = cat('vehicle'), HOTEL = cat('hotel');
const DURATION_MIN: Partial<Record<PlaceCategory, [number, number]>> = {
  restaurant: [40, 110], market: [20, 60], mall: [60, 180], chess_card_room: [120, 300], bar: [90, 240], ktv: [90, 240], cinema: [110, 150],
  clinic: [20, 90], training_institution: [60, 120],
};

/** Where the simulation sends what it produces: feed records (by agency file) and true infections. */
export interface Sink {
  /** A feed record. `byPhone` marks telecom rows (identified by phone, not ID number). */
  presence(file: FeedFile, person: number, place: number, start: number, end: number, source: number, seat: string | null, carriage: string | null): void;
  infection(inf: Infection): void;
  sample(person: number, sampleNo: string, at: number, poolNo: string | null, result: 'negative' | 'positive', resultAt: number): void;
  /** Every true visit (what happened, not what a feed saw); for validation only. */
  visit?(person: number, place: number, start: number, end: number): void;
}

export const FEED_FILES = ['household', 'attendance', 'venue_scans', 'gate_registrations', 'hotel_checkins', 'transport_manifests', 'telecom_stays'] as const;
export type FeedFile = (typeof FEED_FILES)[number];

export interface Infection {
  person: number;
  infector: number | null;
  setting: string;
  place: number | null;
  at: number;
  asymptomatic: boolean;
  onset: number | null;
  infectiousFrom: number;
  sampledAt: number | null;
  confirmedAt: number | null;
}

/**
 * `indexCases`: how many index cases seed the outbreak (default 1: the traveller at the Zhangjiajie show). Each further
 * one is an adult resident of another city, drawn in turn over the cities other than Zhangjiajie, infected elsewhere
 * 2-4 days before the start (imported), who then lives an ordinary life and hosts a banquet in their city (`GATHERING`:
 * guests drawn from the city's adults, a guest list in the venue feed); they are drawn from a random stream of their
 * own, so a run with one index case is the same whatever this option.
 */
export interface SimOptions { world: World; days: number; start: number; seed: number; cellSizeMeters: number; outbreak: boolean; indexCases?: number }

interface Trip { place: number; seats: number; next: number; setting: number; depart: number; arrive: number }

export interface SimResult {
  infections: Infection[];
  /** True venue visits (leisure and errands, shows), to compare with the scans the feed saw. */
  venueVisits: number;
  /** Places created during the run (vehicles, cells, gates) are appended to world.places. */
  feedCounts: Record<FeedFile, number>;
}

export function simulate(o: SimOptions, sink: Sink): SimResult {
  const w = o.world, places = w.places, N = w.persons;
  const rnd = new Random(o.seed ^ 0x5eed);
  const txRnd = new Random(o.seed ^ 0x7a11);
  const end = o.start + o.days * DAY;
  const feedCounts = Object.fromEntries(FEED_FILES.map((f) => [f, 0])) as Record<FeedFile, number>;
  // A person's venue scans and telecom stays are emitted in time order; two visits drawn at the same place and the
  // same start (errands drawn twice) would give two feed rows with one natural key (person, place, start, feed), which
  // a feed never holds: a scanner registers one entry, an operator reports one stay. The second is not emitted.
  // The keys emitted today (cleared each simulated day): a day's rows are what can collide.
  const seenToday = new Map<FeedFile, Set<string>>([['venue_scans', new Set()], ['telecom_stays', new Set()]]);
  const emit = (file: FeedFile, person: number, place: number, s: number, e: number, source: number, seat: string | null = null, carriage: string | null = null) => {
    const seen = seenToday.get(file);
    if (seen) {
      const key = `${person}|${place}|${s}`;
      if (seen.has(key)) return;
      seen.add(key);
    }
    feedCounts[file]++;
    sink.presence(file, person, place, s, e, source, seat, carriage);
  };

  // Telecom cells, compound gates and trips are places created on first use.
  const cellPlace = new Map<string, number>();
  const cell = (lng: number, lat: number, community: number) => {
    const id = cellOf(lng, lat, o.cellSizeMeters);
    let p = cellPlace.get(id);
    if (p === undefined) {
      p = places.add({ category: cat('telecom_cell'), community, city: Number(w.communities[community].slice(0, 4)), lng, lat, code: id, name: `${o.cellSizeMeters} m 网格 ${id}` });
      cellPlace.set(id, p);
    }
    return p;
  };
  const gates = new Map<number, number>();
  const gate = (community: number) => {
    let g = gates.get(community);
    if (g === undefined) {
      g = places.add({ category: cat('compound_gate'), community, city: Number(w.communities[community].slice(0, 4)), lng: w.communityLng[community], lat: w.communityLat[community], code: `G${w.communities[community]}`, name: `${w.communities[community]} 小区门岗` });
      gates.set(community, g);
    }
    return g;
  };
  const attendanceFeed = (place: number) => ((place * 2_654_435_761) >>> 0) / 4294967296 < ATTENDANCE_FEED_SHARE;
  const homeCell = new Int32Array(N);
  const hhMembers: number[][] = Array.from({ length: w.households }, () => []);

  // Standing records: co-residence (community registry) and the home-cell stay (telecom) for the whole period.
  for (let i = 0; i < N; i++) {
    const res = w.residence[w.household[i]];
    hhMembers[w.household[i]].push(i);
    emit('household', i, res, o.start, end, SRC.household);
    homeCell[i] = cell(places.lng[res], places.lat[res], w.community[i]);
    emit('telecom_stays', i, homeCell[i], o.start, end, SRC.telecom_stay);
  }

  // Trips: one vehicle place per mode, route, day and departure hour, created when the first passenger books.
  const trips = new Map<string, Trip>();
  const trip = (mode: 'flight' | 'train' | 'coach', from: string, to: string, day: number, hour: number): Trip => {
    const key = `${mode}|${from}|${to}|${day}|${hour}`;
    let t = trips.get(key);
    if (!t) {
      const date = new Date((o.start + day * DAY + 8 * HOUR) * 1000).toISOString().slice(0, 10);
      // Full city codes: routes from outside Hunan (the index case's flight from Nanjing, 3201) must not collide.
      const number = `${mode === 'flight' ? 'HN' : mode === 'train' ? 'G' : 'K'}${from}${to}${String(hour).padStart(2, '0')}`;
      const setting = mode === 'flight' ? 'aircraft' : mode === 'train' ? 'train_enclosed' : (hour % 2 ? 'coach_sealed' : 'coach_ventilated');
      const depart = o.start + day * DAY + hour * HOUR;
      const hours = mode === 'flight' ? 1.5 : mode === 'train' ? 2.5 : 4;
      const place = places.add({
        category: VEHICLE, community: -1, city: Number(CITIES.includes(from) ? from : to), lng: 0, lat: 0, code: `TRIP-${number}-${date}`, name: `${number} ${date}`,
        vehicle: VEHICLE_SETTINGS.indexOf(setting as never),
      });
      t = { place, seats: mode === 'flight' ? 180 : mode === 'train' ? 1200 : 48, next: rnd.int(7), setting: VEHICLE_SETTINGS.indexOf(setting as never), depart, arrive: depart + hours * HOUR };
      trips.set(key, t);
    }
    return t;
  };
  const seatOf = (t: Trip): { seat: string; carriage: string | null; row: number; car: number } => {
    const n = (t.next++ * 7) % t.seats;
    const setting = VEHICLE_SETTINGS[t.setting];
    if (setting === 'aircraft') return { seat: `${1 + Math.floor(n / 6)}${'ABCDEF'[n % 6]}`, carriage: null, row: 1 + Math.floor(n / 6), car: 0 };
    if (setting === 'train_enclosed') { const car = 1 + Math.floor(n / 75), r = 1 + Math.floor((n % 75) / 5); return { seat: `${r}${'ABCDF'[n % 5]}`, carriage: String(car), row: r, car }; }
    return { seat: `${1 + Math.floor(n / 4)}${'ABCD'[n % 4]}`, carriage: null, row: 1 + Math.floor(n / 4), car: 0 };
  };

  // Disease state per person.
  const infected = new Uint8Array(N);
  const infectiousFrom = new Float64Array(N).fill(Infinity);
  const infectiousTo = new Float64Array(N).fill(-Infinity);
  const asym = new Uint8Array(N);
  const isolatedAt = new Float64Array(N).fill(Infinity);
  const infections: Infection[] = [];
  const infect = (person: number, infector: number | null, setting: string, place: number | null, at: number) => {
    infected[person] = 1;
    const isAsym = txRnd.chance(NATURAL_HISTORY.asymptomaticShare);
    const onsetRef = at + gamma(txRnd, NATURAL_HISTORY.incubationMean, NATURAL_HISTORY.incubationSd) * DAY;
    const from = Math.max(at, onsetRef - NATURAL_HISTORY.infectiousBeforeOnsetDays * DAY);
    let sampled: number | null = null;
    if (!isAsym) sampled = onsetRef + (DETECTION.onsetToSampleDays[0] + txRnd.next() * (DETECTION.onsetToSampleDays[1] - DETECTION.onsetToSampleDays[0])) * DAY;
    else {
      for (let t = from; t < end + 30 * DAY; t += DAY) if (txRnd.chance(DETECTION.asymptomaticDailyDetection)) { sampled = t + txRnd.int(12) * HOUR; break; }
    }
    const confirmed = sampled === null ? null : sampled + (DETECTION.sampleToConfirmHours[0] + txRnd.next() * (DETECTION.sampleToConfirmHours[1] - DETECTION.sampleToConfirmHours[0])) * HOUR;
    asym[person] = isAsym ? 1 : 0;
    infectiousFrom[person] = from;
    infectiousTo[person] = Math.min(confirmed ?? Infinity, onsetRef + NATURAL_HISTORY.infectiousDays * DAY);
    isolatedAt[person] = confirmed ?? Infinity;
    const inf: Infection = {
      person, infector, setting, place, at: Math.round(at), asymptomatic: isAsym, onset: isAsym ? null : Math.round(onsetRef), infectiousFrom: Math.round(from),
      sampledAt: sampled === null ? null : Math.round(sampled), confirmedAt: confirmed === null ? null : Math.round(confirmed),
    };
    infections.push(inf);
    sink.infection(inf);
  };

  // The index case: a traveller who flies into Zhangjiajie on day 1 and attends the theatre show on day 2.
  const zjjPeople: number[] = [];
  for (let i = 0; i < N; i++) if (w.cityOf(w.community[i]) === OUTBREAK_CITY && w.age[i] >= 23) zjjPeople.push(i);
  const indexCase = o.outbreak && zjjPeople.length ? zjjPeople[rnd.int(zjjPeople.length)] : -1;
  if (indexCase >= 0) infect(indexCase, null, 'imported', null, o.start - 3 * DAY);
  const gatherings: { day: number; place: number; start: number; end: number; guests: number[] }[] = [];
  if (o.outbreak && (o.indexCases ?? 1) > 1) {
    const seedRnd = new Random(o.seed ^ 0x1dec);
    const adults = new Map<string, number[]>();
    for (let i = 0; i < N; i++) {
      const city = w.cityOf(w.community[i]);
      if (city === OUTBREAK_CITY || w.age[i] < 23) continue;
      if (!adults.has(city)) adults.set(city, []);
      adults.get(city)!.push(i);
    }
    const cities = [...adults.keys()].sort();
    for (let k = 1, c = seedRnd.int(Math.max(1, cities.length)); k < o.indexCases! && cities.length; k++, c++) {
      const city = cities[c % cities.length];
      const pool = adults.get(city)!;
      const person = pool[seedRnd.int(pool.length)];
      if (infected[person]) continue;
      infect(person, null, 'imported', null, o.start - (2 + seedRnd.int(3)) * DAY);
      // A banquet in the index case's city, with a guest list (as investigators collect one).
      const day = GATHERING.firstDay + (k - 1) % GATHERING.days, start = o.start + day * DAY + GATHERING.startHour * HOUR;
      const guests = [person];
      for (let g = 0; g < GATHERING.guests && g < pool.length; g++) guests.push(pool[seedRnd.int(pool.length)]);
      gatherings.push({ day, place: w.venues.get(city)!.get('restaurant')!.draw(seedRnd), start, end: start + GATHERING.hours * HOUR, guests: [...new Set(guests)] });
    }
  }
  const showDay = 2, show = o.start + showDay * DAY + 19.5 * HOUR;
  const theatre = w.landmark.get('TH-MLXX')!;

  // Travel state.
  const travelTo = new Int8Array(N).fill(-1);
  const travelBack = new Int16Array(N);
  const tourismWeights = CITIES.map((c) => (c === OUTBREAK_CITY ? ZHANGJIAJIE_SHARE * 13 / (1 - ZHANGJIAJIE_SHARE) : 1));

  // One day's true visits (besides co-residence): person, place, start, end, seat row, carriage.
  let cap = Math.max(1024, N * 3);
  let vPerson = new Uint32Array(cap), vPlace = new Uint32Array(cap), vStart = new Float64Array(cap), vEnd = new Float64Array(cap), vRow = new Int16Array(cap), vCar = new Int16Array(cap);
  let nv = 0;
  const visit = (person: number, place: number, s: number, e: number, row = -1, car = -1) => {
    if (nv === cap) {
      cap *= 2;
      const grow = <T extends Uint32Array | Float64Array | Int16Array>(a: T, make: (n: number) => T) => { const b = make(cap); b.set(a); return b; };
      vPerson = grow(vPerson, (n) => new Uint32Array(n)); vPlace = grow(vPlace, (n) => new Uint32Array(n)); vStart = grow(vStart, (n) => new Float64Array(n));
      vEnd = grow(vEnd, (n) => new Float64Array(n)); vRow = grow(vRow, (n) => new Int16Array(n)); vCar = grow(vCar, (n) => new Int16Array(n));
    }
    vPerson[nv] = person; vPlace[nv] = place; vStart[nv] = s; vEnd[nv] = e; vRow[nv] = row; vCar[nv] = car; nv++;
    sink.visit?.(person, place, s, e);
  };
  const roundT = (t: number, minutes: number) => Math.round(t / (minutes * 60)) * minutes * 60;
  const telecomStay = (person: number, place: number, s: number, e: number) => {
    if (e - s < TELECOM_MIN_STAY_MIN * 60 || !rnd.chance(TELECOM_REPORTED_SHARE)) return;
    const c = cell(places.lng[place], places.lat[place], places.community[place] >= 0 ? places.community[place] : w.community[person]);
    if (c === homeCell[person]) return;
    const rs = roundT(s, TELECOM_ROUND_MIN), re = roundT(e, TELECOM_ROUND_MIN);
    if (re > rs) emit('telecom_stays', person, c, rs, re, SRC.telecom_stay);
  };
  let venueVisits = 0;
  /** A visit to a venue; `realName`: entry by a real-name ticket checked at the door (the show), recorded whoever scans. */
  const venueVisit = (person: number, place: number, s: number, e: number, realName = false) => {
    venueVisits++;
    visit(person, place, s, e);
    // The scan draw comes first whatever the ticket, so the random stream (and the outbreak) is the same either way.
    if ((w.scanner[person] && rnd.chance(SCAN_RATE)) || realName) emit('venue_scans', person, place, Math.round(s), Math.round(e), SRC.venue_scan);
    telecomStay(person, place, s, e);
  };
  const visitCats = VISIT_CATEGORIES.map(([c]) => c);
  const visitWeights = VISIT_CATEGORIES.map(([, wgt]) => wgt);
  let sampleNo = 0;

  for (let d = 0; d < o.days; d++) {
    const day = o.start + d * DAY;
    for (const seen of seenToday.values()) seen.clear();
    const weekday = new Date((day + 8 * HOUR) * 1000).getUTCDay();
    const workday = weekday >= 1 && weekday <= 5;
    nv = 0;
    for (let i = 0; i < N; i++) {
      if (isolatedAt[i] <= day) continue;
      const homeCity = w.cityOf(w.community[i]);
      // Travel: start, continue or end a trip.
      if (travelTo[i] < 0 && w.age[i] >= 18 && rnd.chance(TRIP_RATE)) {
        let dest = rnd.weighted(tourismWeights);
        if (CITIES[dest] === homeCity) dest = (dest + 1) % CITIES.length;
        travelTo[i] = dest;
        travelBack[i] = d + 1 + rnd.int(3);
        const mode = rnd.chance(0.5) ? 'train' : rnd.chance(0.5) ? 'coach' : 'flight';
        const t = trip(mode, homeCity, CITIES[dest], d, 7 + rnd.int(6));
        const s = seatOf(t);
        visit(i, t.place, t.depart, t.arrive, s.row, s.car);
        emit('transport_manifests', i, t.place, t.depart, t.arrive, SRC.transport_seat, s.seat, s.carriage);
      }
      if (travelTo[i] >= 0) {
        const destCity = CITIES[travelTo[i]];
        const pools = w.venues.get(destCity)!;
        const hotel = pools.get('hotel')!.draw(rnd);
        if (d === travelBack[i]) {
          const t = trip(rnd.chance(0.5) ? 'train' : 'coach', destCity, homeCity, d, 14 + rnd.int(5));
          const s = seatOf(t);
          visit(i, t.place, t.depart, t.arrive, s.row, s.car);
          emit('transport_manifests', i, t.place, t.depart, t.arrive, SRC.transport_seat, s.seat, s.carriage);
          travelTo[i] = -1;
          continue;
        }
        const spots = pools.get('scenic_spot');
        if (spots) venueVisit(i, spots.draw(rnd), day + 9 * HOUR, day + 16 * HOUR);
        venueVisit(i, pools.get('restaurant')!.draw(rnd), day + 18 * HOUR, day + 19 * HOUR + rnd.int(60) * 60);
        if (destCity === OUTBREAK_CITY && d === showDay && rnd.chance(0.6)) venueVisit(i, theatre, show, show + 1.5 * HOUR, true);
        const hs = day + 21 * HOUR, he = day + DAY + 8 * HOUR;
        visit(i, hotel, hs, he);
        emit('hotel_checkins', i, hotel, hs, he, SRC.hotel_checkin);
        continue;
      }
      // An ordinary day: work or school on weekdays, errands and leisure, perhaps the show.
      let out = false;
      if (workday && w.work[i] >= 0 && w.occupation[i] !== OCC.none) {
        const s = day + 8 * HOUR + rnd.int(60) * 60, e = day + 17 * HOUR + rnd.int(60) * 60;
        visit(i, w.work[i], s, e);
        if (attendanceFeed(w.work[i])) emit('attendance', i, w.work[i], s, e, SRC.workplace);
        out = true;
      }
      const pools = w.venues.get(homeCity)!;
      for (let k = poisson(rnd, VISITS_PER_DAY); k > 0; k--) {
        const c = visitCats[rnd.weighted(visitWeights)];
        const range = DURATION_MIN[c] ?? [30, 90];
        const s = day + (10 + rnd.int(11)) * HOUR + rnd.int(4) * 15 * 60;
        venueVisit(i, pools.get(c)!.draw(rnd), s, s + (range[0] + rnd.int(range[1] - range[0])) * 60);
        out = true;
      }
      if (homeCity === OUTBREAK_CITY && d === showDay && rnd.chance(0.02)) { venueVisit(i, theatre, show, show + 1.5 * HOUR, true); out = true; }
      if (out && rnd.chance(GATE_REGISTRATION_RATE)) {
        const g = gate(w.community[i]);
        const t = day + (18 + rnd.int(4)) * HOUR + rnd.int(60) * 60;
        visit(i, g, t, t + 60);
        emit('gate_registrations', i, g, t, t + 60, SRC.gate_registration);
      }
    }
    if (indexCase >= 0 && d === 1) {
      const t = trip('flight', '3201', OUTBREAK_CITY, d, 10);
      const s = seatOf(t);
      visit(indexCase, t.place, t.depart, t.arrive, s.row, s.car);
      emit('transport_manifests', indexCase, t.place, t.depart, t.arrive, SRC.transport_seat, s.seat, s.carriage);
    }
    if (indexCase >= 0 && d === showDay && isolatedAt[indexCase] > show) venueVisit(indexCase, theatre, show, show + 1.5 * HOUR, true);
    for (const g of gatherings) if (g.day === d) for (const p of g.guests) if (isolatedAt[p] > g.start && travelTo[p] < 0) venueVisit(p, g.place, g.start, g.end, true);

    if (o.outbreak) transmit(day);
    routineTests(day);
  }

  /** Transmission on one day: household members, and everyone sharing a place with an infectious person. */
  function transmit(day: number): void {
    const dayEnd = day + DAY;
    const { offsets, positions: byPlace } = groupByKey(vPlace, nv, places.n);
    const infectious: number[] = [];
    for (const inf of infections) if (infectiousFrom[inf.person] < dayEnd && Math.min(infectiousTo[inf.person], isolatedAt[inf.person]) > day) infectious.push(inf.person);
    const todays = new Map<number, number[]>();
    for (const p of infectious) todays.set(p, []);
    for (let k = 0; k < nv; k++) todays.get(vPerson[k])?.push(k);
    for (const src of infectious) {
      const rel = asym[src] ? TRANSMISSION.asymptomaticRelative : 1;
      const from = Math.max(day, infectiousFrom[src]), to = Math.min(dayEnd, infectiousTo[src], isolatedAt[src]);
      if (to <= from) continue;
      const dayShare = (to - from) / DAY;
      for (const m of hhMembers[w.household[src]]) {
        if (m !== src && !infected[m] && isolatedAt[m] > day && txRnd.chance(TRANSMISSION.householdPerDay * rel * dayShare)) infect(m, src, 'household', w.residence[w.household[src]], from + txRnd.next() * (to - from));
      }
      for (const k of todays.get(src)!) {
        const place = vPlace[k];
        const s = Math.max(vStart[k], from), e = Math.min(vEnd[k], to);
        if (e <= s) continue;
        const c = places.category[place];
        for (let q = offsets[place]; q < offsets[place + 1]; q++) {
          const j = byPlace[q], other = vPerson[j];
          if (other === src || infected[other]) continue;
          const os = Math.max(vStart[j], s), oe = Math.min(vEnd[j], e);
          if (oe <= os) continue;
          const hours = (oe - os) / HOUR;
          let p: number, setting: string;
          if (c === VEHICLE) {
            const dist = vCar[k] !== vCar[j] ? 99 : Math.abs(vRow[k] - vRow[j]);
            const perHour = TRANSMISSION.vehiclePerHour[dist === 0 ? 0 : dist === 1 ? 1 : dist <= 3 ? 2 : 3];
            p = 1 - (1 - perHour) ** hours; setting = 'vehicle';
          } else if (DINING.has(c)) { p = 1 - (1 - TRANSMISSION.diningPerHour) ** hours; setting = 'dining_entertainment'; }
          else if (WORK.has(c)) { p = TRANSMISSION.workPerDay; setting = 'work_study'; }
          else if (c === HOTEL) { p = TRANSMISSION.hotelPerDay; setting = 'contaminated_environment'; }
          else { p = 1 - (1 - TRANSMISSION.generalPerHour) ** hours; setting = 'general'; }
          if (txRnd.chance(p * rel)) infect(other, src, setting, place, os + txRnd.next() * (oe - os));
        }
      }
    }
  }

  /** Routine pooled testing of a sample of residents; positive while infectious. */
  function routineTests(day: number): void {
    const dayNo = Math.round((day - o.start) / DAY);
    const n = Math.round(N * ROUTINE_TEST_RATE);
    for (let first = 0, pool = 1; first < n; first += POOL_SIZE, pool++) {
      const members: number[] = [];
      for (let k = first; k < Math.min(n, first + POOL_SIZE); k++) {
        const i = rnd.int(N);
        if (isolatedAt[i] > day && !members.includes(i)) members.push(i);
      }
      const at = day + (8 + rnd.int(10)) * HOUR;
      const positive = members.some((i) => infectiousFrom[i] <= at && infectiousTo[i] > at);
      for (const i of members) sink.sample(i, `S${++sampleNo}`, at, `POOL-${dayNo}-${pool}`, positive ? 'positive' : 'negative', at + 12 * HOUR);
    }
  }

  return { infections, feedCounts, venueVisits };
}
