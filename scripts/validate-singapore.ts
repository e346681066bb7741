/**
 * Clusters against reality: Singapore's first 93 COVID-19 cases (Jan-Feb 2020; carolinecolijn/ClustersCOVID19, MIT)
 * with their recorded related cases and cluster links and the published cluster labels. Cordon's clusters (connected
 * components of the recorded links) are compared with the published labels by the adjusted Rand index, twice: against
 * the labels as published, and treating "Wuhan" (an origin, not a local cluster) and "NA" as no cluster.
 * Then the same data goes through the platform as an investigator would enter it, and the clusters are Cordon's chains
 * as the API serves them (`ari_platform`, `ari_platform_local_clusters`):
 * - every case, with its onset and confirmation dates;
 * - each case's recorded relations ("Related cases") as one confirmed link from the related case of the earliest onset
 *   (case number breaking ties), when that onset is not after the case's own;
 * - each case's "Cluster links" as an exposure event entered by the investigator: the case as its source, the listed
 *   cases as exposed there, over the members' onsets less 14 days to the last onset;
 * - travel from an affected area (`travel_history` naming Wuhan, the one affected area of January 2020) as an exposure
 *   event of its own: arrivals from Wuhan, over the same kind of window.
 * Columns read: CaseID, Related cases, Cluster links, travel_history, date_onset_symptoms, date_confirmation, sex. The
 * label columns (cluster, presumed_reason, Case, Relationship notes, additional_information) are read only to score.
 *   npm run validate:singapore -- --data ../shared/data/clusters
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { adjustedRandIndex, clusterOf } from '../src/domain/chains/clusters.ts';
import { readOptions } from './options.ts';

const dir = path.resolve(readOptions('npm run validate:singapore --', { data: { default: '../shared/data/clusters', help: 'the folder of the Singapore cluster files (../shared/data/SOURCES.md)' } }).data);
const file = path.join(dir, 'COVID-19_Singapore_data_revised.csv');
if (!fs.existsSync(file)) {
  console.error(`no data at ${file}: pass --data <folder with COVID-19_Singapore_data_revised.csv>`);
  process.exit(2);
}
const rows = parse(fs.readFileSync(file), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
const ids = rows.map((r) => Number(r.CaseID));
const known = new Set(ids);
const list = (v: string) => (v === 'NA' ? [] : v.split(',').map((x) => Number(x.trim())).filter((x) => known.has(x)));
const links: [number, number][] = rows.flatMap((r) => [...list(r['Related cases']), ...list(r['Cluster links'])].map((o): [number, number] => [Number(r.CaseID), o]));
const found = clusterOf(ids, links);
const published = rows.map((r) => r.cluster);
const localOnly = rows.map((r) => (r.cluster === 'NA' || r.cluster === 'Wuhan' ? `none-${r.CaseID}` : r.cluster));
const ours = ids.map((id) => found.get(id)!);
const size = (labels: (string | number)[]) => new Set(labels).size;
const result = {
  cases: ids.length,
  links: links.length,
  clusters_published: size(published.filter((l) => l !== 'NA')),
  clusters_found: [...new Map(ours.map((c) => [c, ours.filter((x) => x === c).length])).values()].filter((n) => n > 1).length,
  ari: Math.round(adjustedRandIndex(published.map((l, k) => (l === 'NA' ? `none-${ids[k]}` : l)), ours) * 1000) / 1000,
  ari_local_clusters: Math.round(adjustedRandIndex(localOnly, ours) * 1000) / 1000,
};

// Through the platform.
const { openStore } = await import('../src/storage/store.ts');
const { loadEdition } = await import('../src/domain/protocol/editions.ts');
const { parseTime } = await import('../src/domain/time.ts');
const { chainsOf } = await import('../src/services/chains.ts');
const store = await openStore({ sqliteFile: ':memory:' });
await store.regions.insertMany([{ code: '43', name: 'Hunan', level: 'province', parentCode: null, functionalZone: false },
  { code: '4301', name: 'c', level: 'city', parentCode: '43', functionalZone: false }, { code: '430102', name: 'd', level: 'county', parentCode: '4301', functionalZone: false },
  { code: '430102001', name: 't', level: 'township', parentCode: '430102', functionalZone: false }, { code: '430102001001', name: 'x', level: 'community', parentCode: '430102001', functionalZone: false }]);
await store.persons.insertMany(rows.map((r) => ({
  idHash: `sg-${r.CaseID}`.padEnd(64, '-'), idMasked: 'x', name: `Case ${r.CaseID}`, sex: r.sex === 'F' ? 'female' as const : 'male' as const, birthDate: '1970-01-01',
  phone: null, householdId: null, communityCode: '430102001001', gridCode: null, occupation: null, createdAt: 0,
})));
const day = (v: string) => (v && v !== 'NA' ? parseTime(`${v} 12:00`) : null);
await store.cases.insertMany(rows.map((r, k) => {
  const confirmed = day(r.date_confirmation)!;
  const onset = day(r.date_onset_symptoms);
  return {
    caseNo: `SG-${r.CaseID}`, personId: k + 1, kind: onset ? 'confirmed' as const : 'asymptomatic' as const, onsetAt: onset, sampledAt: Math.min(confirmed, onset ?? confirmed),
    confirmedAt: confirmed, isolatedAt: null, severity: 'mild' as const, hospitalPlaceId: null, outcome: 'recovered' as const, detectedBy: null,
  };
}));
const caseIdOf = new Map((await store.cases.all()).map((c) => [Number(c.caseNo.slice(3)), c.id]));
const onsetOf = new Map(rows.map((r) => [Number(r.CaseID), day(r.date_onset_symptoms) ?? day(r.date_confirmation)!]));
const earlier = (a: number, b: number) => onsetOf.get(a)! < onsetOf.get(b)! || (onsetOf.get(a) === onsetOf.get(b) && a < b);
const DAY = 86400, LOOK_BACK = 14 * DAY;
const windowOf = (members: number[]) => ({ start: Math.min(...members.map((m) => onsetOf.get(m)!)) - LOOK_BACK, end: Math.max(...members.map((m) => onsetOf.get(m)!)) });
const AFFECTED_AREAS = ['Wuhan'];
await store.transaction(async (tx) => {
  for (const r of rows) {
    const id = Number(r.CaseID);
    const related = list(r['Related cases']).filter((o) => o !== id && earlier(o, id)).sort((a, b) => (earlier(a, b) ? -1 : 1));
    if (related.length) await tx.chains.setLink({ infectorCaseId: caseIdOf.get(related[0])!, infecteeCaseId: caseIdOf.get(id)!, verdict: 'confirmed', note: 'recorded relation', enteredAt: 0 });
    const listed = list(r['Cluster links']).filter((o) => o !== id);
    if (listed.length) {
      await tx.chains.insertEvent({ name: `cluster links of case ${id}`, setting: 'manual', placeId: null, ...windowOf([id, ...listed]), sources: [caseIdOf.get(id)!],
        exposed: listed.map((o) => caseIdOf.get(o)!), note: null, enteredBy: 'validation', enteredAt: 0 });
    }
  }
  for (const area of AFFECTED_AREAS) {
    const arrivals = rows.filter((r) => r.travel_history.includes(area)).map((r) => Number(r.CaseID));
    await tx.chains.insertEvent({ name: `arrivals from ${area}`, setting: 'manual', placeId: null, ...windowOf(arrivals), sources: [], exposed: arrivals.map((o) => caseIdOf.get(o)!), note: null, enteredBy: 'validation', enteredAt: 0 });
  }
});
const v = await chainsOf(store, loadEdition('ed8-delta-2021'), parseTime('2020-03-01 00:00')!);
const platformCluster = new Map(v.chains.flatMap((c) => c.caseIds.map((id) => [id, c.id] as const)));
const platformLabels = ids.map((id) => platformCluster.get(caseIdOf.get(id)!)!);
Object.assign(result, {
  clusters_found_platform: v.chains.filter((c) => c.caseIds.length > 1).length,
  ari_platform: Math.round(adjustedRandIndex(published.map((l, k) => (l === 'NA' ? `none-${ids[k]}` : l)), platformLabels) * 1000) / 1000,
  ari_platform_local_clusters: Math.round(adjustedRandIndex(localOnly, platformLabels) * 1000) / 1000,
});
await store.close();
console.log(JSON.stringify(result));
