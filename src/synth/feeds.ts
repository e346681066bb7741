/**
 * Writes the synthetic province as the files each agency would deliver (CSV, one per feed) plus the ground truth
 * (NDJSON, for validation only: the platform never loads it) and a manifest naming each file's import kind, in the
 * order `cordon import` needs them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImportKind } from '../domain/model/index.ts';
import { PLACE_CATEGORIES, PRESENCE_SOURCES, VEHICLE_SETTINGS } from '../domain/vocab.ts';
import type { FeedFile, Infection, Sink } from './simulate.ts';
import { phoneOf, type World } from './world.ts';

/** Fast local-time text (China Standard Time) for epoch seconds: `YYYY-MM-DD HH:MM:SS`. */
const dayCache = new Map<number, string>();
const two = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
export function localTime(t: number): string {
  const local = t + 8 * 3600;
  const dayNo = Math.floor(local / 86400);
  let date = dayCache.get(dayNo);
  if (!date) { date = new Date(dayNo * 86_400_000).toISOString().slice(0, 10); dayCache.set(dayNo, date); }
  const s = local - dayNo * 86400;
  return `${date} ${two[Math.floor(s / 3600)]}:${two[Math.floor((s % 3600) / 60)]}:${two[s % 60]}`;
}

/** A CSV file written through a large buffer with synchronous writes (the simulation loop stays synchronous). */
class FastCsv {
  private readonly fd: number;
  private buf = '';
  rows = 0;
  constructor(readonly file: string, header: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'w');
    this.buf = header + '\n';
  }
  line(text: string): void {
    this.buf += text + '\n';
    this.rows++;
    if (this.buf.length > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf) { fs.writeSync(this.fd, this.buf); this.buf = ''; }
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
  /** Drops the header line (for NDJSON). */
  withoutHeader(): this {
    this.buf = '';
    return this;
  }
}

const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Feed file names by agency folder, and what `cordon import` calls them. */
export const FEED_PATHS: Record<FeedFile, string> = {
  household: 'community/household.csv', gate_registrations: 'community/gate_registrations.csv', attendance: 'workplaces/attendance.csv',
  venue_scans: 'venues/venue_scans.csv', hotel_checkins: 'police/hotel_checkins.csv', transport_manifests: 'police/transport_manifests.csv',
  telecom_stays: 'telecom/stays.csv',
};

export interface Manifest {
  seed: number; persons: number; days: number; start: string;
  files: { path: string; kind: ImportKind; rows: number }[];
  groundTruth: string;
  infections: number; confirmedCases: number;
}

export class CsvSink implements Sink {
  visit?: Sink['visit'];
  private readonly presenceFiles = new Map<FeedFile, FastCsv>();
  private readonly samples: FastCsv;
  private readonly truth: FastCsv;

  constructor(private readonly dir: string, private readonly world: World) {
    for (const [f, rel] of Object.entries(FEED_PATHS) as [FeedFile, string][]) {
      this.presenceFiles.set(f, new FastCsv(path.join(dir, rel), f === 'telecom_stays' ? 'phone,place_code,start,end,source' : 'id_number,place_code,start,end,source,seat,carriage'));
    }
    this.samples = new FastCsv(path.join(dir, 'health/samples.csv'), 'sample_no,id_number,sampled_at,method,pool_no,pool_size,result,result_at,lab');
    this.truth = new FastCsv(path.join(dir, 'ground-truth.ndjson'), '').withoutHeader();
  }

  presence(file: FeedFile, person: number, place: number, start: number, end: number, source: number, seat: string | null, carriage: string | null): void {
    const code = this.world.places.code[place];
    const out = this.presenceFiles.get(file)!;
    if (file === 'telecom_stays') out.line(`${phoneOf(person)},${code},${localTime(start)},${localTime(end)},${PRESENCE_SOURCES[source]}`);
    else out.line(`${this.world.idNumber[person]},${code},${localTime(start)},${localTime(end)},${PRESENCE_SOURCES[source]},${seat ?? ''},${carriage ?? ''}`);
  }

  infection(inf: Infection): void {
    const w = this.world;
    this.truth.line(JSON.stringify({
      id_number: w.idNumber[inf.person], infector_id_number: inf.infector === null ? null : w.idNumber[inf.infector], setting: inf.setting,
      place_code: inf.place === null ? null : w.places.code[inf.place], at: localTime(inf.at), asymptomatic: inf.asymptomatic,
      onset: inf.onset === null ? null : localTime(inf.onset), infectious_from: localTime(inf.infectiousFrom),
      sampled_at: inf.sampledAt === null ? null : localTime(inf.sampledAt), confirmed_at: inf.confirmedAt === null ? null : localTime(inf.confirmedAt),
    }));
  }

  sample(person: number, sampleNo: string, at: number, poolNo: string | null, result: 'negative' | 'positive', resultAt: number): void {
    this.samples.line(`${sampleNo},${this.world.idNumber[person]},${localTime(at)},${poolNo ? 'pooled' : 'single'},${poolNo ?? ''},,${result},${localTime(resultAt)},省疾控中心实验室`);
  }

  /** Writes the standing files (places, persons, vaccinations, cases) and closes everything; returns the manifest. */
  finish(m: { seed: number; days: number; start: number; end: number; infections: Infection[]; vaccinations: [number, number, string, number][] }): Manifest {
    const w = this.world, dir = this.dir;
    const places = new FastCsv(path.join(dir, 'registry/places.csv'), 'code,name,category,region_code,lng,lat,status,vehicle_setting');
    for (let p = 0; p < w.places.n; p++) {
      const region = w.places.community[p] >= 0 ? w.communities[w.places.community[p]] : String(w.places.city[p]);
      const hasXY = w.places.lng[p] !== 0;
      places.line(`${w.places.code[p]},${q(w.places.name[p])},${PLACE_CATEGORIES[w.places.category[p]]},${region},${hasXY ? w.places.lng[p].toFixed(5) : ''},${hasXY ? w.places.lat[p].toFixed(5) : ''},open,${w.places.vehicle[p] === 255 ? '' : VEHICLE_SETTINGS[w.places.vehicle[p]]}`);
    }
    const persons = new FastCsv(path.join(dir, 'community/persons.csv'), 'id_number,name,phone,household_code,community_code,grid_code,occupation,address');
    const occ = ['', 'student', 'office', 'factory', 'service', 'farmer', 'retired'];
    for (let i = 0; i < w.persons; i++) {
      const hh = w.household[i], comm = w.communities[w.community[i]];
      const grid = w.householdGrid[hh] === 0 ? '' : `${comm}${String(w.householdGrid[hh]).padStart(2, '0')}`;
      persons.line(`${w.idNumber[i]},${w.name[i]},${phoneOf(i)},HH${hh + 1},${comm},${grid},${occ[w.occupation[i]]},${comm}-${hh + 1}`);
    }
    const vacc = new FastCsv(path.join(dir, 'health/vaccinations.csv'), 'id_number,dose,vaccine,vaccinated_at,site');
    for (const [person, dose, vaccine, at] of m.vaccinations) vacc.line(`${w.idNumber[person]},${dose},${vaccine},${localTime(at)},`);
    const cases = new FastCsv(path.join(dir, 'health/cases.csv'), 'case_no,id_number,kind,onset_at,sampled_at,confirmed_at,isolated_at,severity,outcome,detected_by');
    const confirmed = m.infections.filter((x) => x.confirmedAt !== null && x.confirmedAt < m.end).sort((a, b) => a.confirmedAt! - b.confirmedAt!);
    confirmed.forEach((x, k) => {
      const kind = x.asymptomatic ? 'asymptomatic' : 'confirmed';
      cases.line(`HN-${String(k + 1).padStart(5, '0')},${w.idNumber[x.person]},${kind},${x.onset === null ? '' : localTime(x.onset)},${localTime(x.sampledAt!)},${localTime(x.confirmedAt!)},${localTime(x.confirmedAt!)},${x.asymptomatic ? 'none' : 'mild'},in_treatment,${x.asymptomatic ? 'mass_testing' : 'symptoms'}`);
    });
    const all = [places, persons, vacc, cases, this.samples, this.truth, ...this.presenceFiles.values()];
    for (const f of all) f.close();
    const rel = (f: FastCsv) => path.relative(dir, f.file);
    const files: Manifest['files'] = [
      { path: rel(places), kind: 'places', rows: places.rows }, { path: rel(persons), kind: 'persons', rows: persons.rows },
      ...[...this.presenceFiles.values()].map((f) => ({ path: rel(f), kind: 'presence' as const, rows: f.rows })),
      { path: rel(vacc), kind: 'vaccinations', rows: vacc.rows }, { path: rel(this.samples), kind: 'samples', rows: this.samples.rows },
      { path: rel(cases), kind: 'cases', rows: cases.rows },
    ];
    const manifest: Manifest = {
      seed: m.seed, persons: w.persons, days: m.days, start: localTime(m.start), files, groundTruth: rel(this.truth),
      infections: m.infections.length, confirmedCases: confirmed.length,
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  }
}
