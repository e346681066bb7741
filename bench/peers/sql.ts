/**
 * The tracing queries in SQL, as a user of a general-purpose database would write them with the best index and a
 * lower bound on candidates' start (start >= case start - the longest stay at the place). Same rules as the engine:
 * close contacts by setting and minimum overlap, vehicle seats; secondary contacts through each close contact until
 * isolation; companions by cell overlap and cumulative time. Numbers are inlined (benchmark only: all are numbers).
 */

/** Dialect differences: scalar max/min. */
export interface Dialect { max: string; min: string }
export const SQLITE: Dialect = { max: 'MAX', min: 'MIN' };
export const STANDARD: Dialect = { max: 'GREATEST', min: 'LEAST' };

/** Place kinds in the peers' places table. */
export const KIND_CLOSE = 0, KIND_GENERAL = 1, KIND_COMPANION = 2;

export interface CaseSpec { person: number; from: number; to: number; confirmedAt: number; isolatedBy: number }

/** The vehicle seat rule of the engine, as a boolean SQL expression over case record `c` and other record `o`. */
function seatRule(): string {
  return `(pl.scope IS NULL OR c.seat_row IS NULL OR o.seat_row IS NULL OR pl.scope = 4
    OR (pl.crew = 1 AND (c.seat_row = 1023 OR o.seat_row = 1023))
    OR (c.seat_car = o.seat_car AND ((pl.scope = 0 AND ABS(c.seat_row - o.seat_row) <= pl.rows_each) OR pl.scope IN (1, 5)
        OR (pl.scope = 2 AND c.seat_row = o.seat_row) OR (pl.scope = 3 AND ABS(c.seat_row - o.seat_row) <= 1))))`;
}

/** Rows of `o` sharing a close-contact setting with the clipped records `c` (columns place_id, s, e, seat_row, seat_car). */
function sharedJoin(d: Dialect): string {
  return `JOIN places pl ON pl.id = c.place_id AND pl.kind = ${KIND_CLOSE}
    JOIN presence o ON o.place_id = c.place_id AND o.start_at < c.e AND o.start_at >= c.s - pl.max_dur AND o.end_at > c.s
    WHERE ${d.min}(o.end_at, c.e) - ${d.max}(o.start_at, c.s) >= ${d.max}(pl.min_ov, 1) AND ${seatRule()}`;
}

function caseRecords(d: Dialect, k: CaseSpec): string {
  return `SELECT place_id, ${d.max}(start_at, ${k.from}) AS s, ${d.min}(end_at, ${k.to}) AS e, seat_row, seat_car
    FROM presence WHERE person_id = ${k.person} AND end_at > ${k.from} AND start_at < ${k.to}`;
}

/** Close contacts of one case: person ids. */
export function closeSql(d: Dialect, k: CaseSpec): string {
  return `WITH c AS (${caseRecords(d, k)})
    SELECT DISTINCT o.person_id FROM c ${sharedJoin(d)} AND o.person_id <> ${k.person}`;
}

/** Secondary contacts of one case: person ids (excluding the case and its close contacts). */
export function secondarySql(d: Dialect, k: CaseSpec): string {
  return `WITH c0 AS (${caseRecords(d, k)}),
    cl AS (SELECT o.person_id AS k, MIN(${d.max}(o.start_at, c.s)) AS f FROM c0 c ${sharedJoin(d)} AND o.person_id <> ${k.person} GROUP BY o.person_id),
    c AS (SELECT cl.k, r.place_id, ${d.max}(r.start_at, cl.f) AS s, ${d.min}(r.end_at, ${k.isolatedBy}) AS e, r.seat_row, r.seat_car
          FROM cl JOIN presence r ON r.person_id = cl.k AND r.end_at > cl.f AND r.start_at < ${k.isolatedBy} WHERE cl.f < ${k.isolatedBy})
    SELECT DISTINCT o.person_id FROM c ${sharedJoin(d)} AND o.person_id <> c.k AND o.person_id <> ${k.person}
      AND o.person_id NOT IN (SELECT k FROM cl)`;
}

/** Companions of one case (no exclusion): person ids. */
export function companionsSql(d: Dialect, k: CaseSpec, c: { minOverlapSec: number; minCumulativeSec: number; lookBackSec: number }): string {
  const from = k.confirmedAt - c.lookBackSec, to = k.confirmedAt;
  return `WITH c AS (SELECT p.place_id, ${d.max}(p.start_at, ${from}) AS s, ${d.min}(p.end_at, ${to}) AS e FROM presence p JOIN places pl ON pl.id = p.place_id AND pl.kind = ${KIND_COMPANION}
                 WHERE p.person_id = ${k.person} AND p.end_at > ${from} AND p.start_at < ${to}),
    cc AS (SELECT place_id, SUM(e - s) AS cum FROM c GROUP BY place_id),
    cand AS (SELECT DISTINCT o.person_id, o.place_id FROM c JOIN places pl ON pl.id = c.place_id
             JOIN presence o ON o.place_id = c.place_id AND o.start_at < c.e AND o.start_at >= c.s - pl.max_dur AND o.end_at > c.s
             WHERE o.person_id <> ${k.person} AND ${d.min}(o.end_at, c.e) - ${d.max}(o.start_at, c.s) > ${c.minOverlapSec}),
    oc AS (SELECT cand.person_id, cand.place_id, SUM(${d.min}(r.end_at, ${to}) - ${d.max}(r.start_at, ${from})) AS cum FROM cand
           JOIN presence r ON r.person_id = cand.person_id AND r.place_id = cand.place_id AND r.end_at > ${from} AND r.start_at < ${to}
           GROUP BY cand.person_id, cand.place_id)
    SELECT DISTINCT cand.person_id FROM cand JOIN cc ON cc.place_id = cand.place_id
      LEFT JOIN oc ON oc.person_id = cand.person_id AND oc.place_id = cand.place_id
    WHERE cc.cum > ${c.minCumulativeSec} OR COALESCE(oc.cum, 0) > ${c.minCumulativeSec}`;
}
