/**
 * Validation on real data from ../shared/data (not in the project; CORDON_TEST_DATA_DIR, set by scripts/test.mjs):
 * runs when the folder is there, is required under CI (CI=true or CORDON_TEST_REQUIRE_DATA: a missing file fails the run), and
 * says plainly when it is skipped elsewhere.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../src/api/main.ts';
import { readTij, validate } from '../scripts/validate-sociopatterns.ts';

const ROOT_DATA = process.env.CORDON_TEST_DATA_DIR || path.resolve(ROOT, '../shared/data');
// Required under CI however the file is run (the runner sets CORDON_TEST_REQUIRE_DATA; `CI=true npx vitest run` too).
const REQUIRED = process.env.CORDON_TEST_REQUIRE_DATA === '1' || process.env.CI === 'true';
const DATA = path.join(ROOT_DATA, 'sociopatterns');
const present = fs.existsSync(path.join(DATA, 'hospital__tij_hospital.dat'));
if (!present) console.log(`validation on SocioPatterns data: SKIPPED (${DATA} not found)`);

it.runIf(REQUIRED)('has the real data it must validate on (required under CI)', () => {
  expect(fs.existsSync(path.join(DATA, 'hospital__tij_hospital.dat')), DATA).toBe(true);
  expect(fs.existsSync(path.join(DATA, 'thiers13__tij_thiers13.dat')), DATA).toBe(true);
  expect(fs.existsSync(path.join(ROOT_DATA, 'clusters', 'COVID-19_Singapore_data_revised.csv')), ROOT_DATA).toBe(true);
});

describe.skipIf(!present)('tracing on real contact networks (SocioPatterns)', () => {
  it('the hospital ward: every close and secondary contact equals a brute-force count over the raw rows', () => {
    const r = validate('hospital', readTij(path.join(DATA, 'hospital__tij_hospital.dat')));
    expect(r.episodes).toBe(14037); // the number of contacts the study reports (Vanhems et al., PLoS ONE 2013)
    for (const t of r.thresholds) expect(t.equal, `threshold ${t.minutes} min`).toBe(true);
    expect(r.thresholds[0].close_pairs).toBeGreaterThan(r.thresholds[3].close_pairs);
  });

  it('the high school: the same, on 188,508 rows', () => {
    const r = validate('thiers13', readTij(path.join(DATA, 'thiers13__tij_thiers13.dat')));
    expect(r.rows).toBe(188508);
    for (const t of r.thresholds) expect(t.equal, `threshold ${t.minutes} min`).toBe(true);
  });
});

const CLUSTERS = path.join(ROOT_DATA, 'clusters');
const clustersPresent = fs.existsSync(path.join(CLUSTERS, 'COVID-19_Singapore_data_revised.csv'));
if (!clustersPresent) console.log(`validation on Singapore clusters: SKIPPED (${CLUSTERS} not found)`);

describe.skipIf(!clustersPresent)('clusters against Singapore\'s published clusters', () => {
  it('prints cases, clusters and the adjusted Rand index as its last line', () => {
    const out = execFileSync('node', ['--import', 'tsx', 'scripts/validate-singapore.ts', '--data', CLUSTERS], { cwd: ROOT, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(r).toMatchObject({ cases: 93, clusters_published: 7 });
    expect(r.ari).toBeGreaterThan(0.5);
    expect(r.ari_local_clusters).toBeGreaterThan(r.ari);
    // Entered as an investigator would (relations as links, cluster links and arrivals from Wuhan as exposure events,
    // the label columns unread), the platform's chains agree with the published clusters far better than the links'
    // connected components: cases exposed at one event form one cluster, cut from their source's own cluster.
    expect(r.ari_platform).toBeGreaterThanOrEqual(0.9);
    expect(r.ari_platform).toBeGreaterThan(r.ari);
  });
});
