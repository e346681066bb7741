/**
 * Clusters against reality: Singapore's first 93 COVID-19 cases (Jan-Feb 2020; carolinecolijn/ClustersCOVID19, MIT)
 * with their recorded related cases and cluster links and the published cluster labels. Cordon's clusters (connected
 * components of the recorded links) are compared with the published labels by the adjusted Rand index, twice: against
 * the labels as published, and treating "Wuhan" (an origin, not a local cluster) and "NA" as no cluster.
 * This first version reads the links in memory; importing them as cases and investigation links through the
 * platform is the chains issue's.
 *   npm run validate:singapore -- --data ../shared/data/clusters
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { adjustedRandIndex, clusterOf } from '../src/domain/chains/clusters.ts';

const i = process.argv.indexOf('--data');
const dir = path.resolve(i >= 0 ? process.argv[i + 1] : '../shared/data/clusters');
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
console.log(JSON.stringify(result));
