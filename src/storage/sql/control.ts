/** Checkpoints and their check records, risk-area gradings (with history) and venue orders. */
import type { Checkpoint, CheckRecord, RiskArea, VenueOrder } from '../../domain/model/index.ts';
import type { CheckpointKind, CheckVerdict, PlaceCategory, RiskLevel, VenueOrderAction } from '../../domain/vocab.ts';
import type { Db } from '../db.ts';
import { placeInScope, type Scope } from './scope.ts';
import { fromJson, toPage, type Page, type PageRequest } from './paging.ts';

interface CheckpointRow { id: number; code: string; name: string; kind: string; place_id: number | null; region_code: string }
const toCheckpoint = (r: CheckpointRow): Checkpoint => ({ id: r.id, code: r.code, name: r.name, kind: r.kind as CheckpointKind, placeId: r.place_id, regionCode: r.region_code });

interface RiskRow { id: number; region_code: string; unit_name: string | null; level: string; since: number; review_at: number | null; rule_set: string; reason: string; reason_code: string | null; reason_args: unknown }
// Gradings stored before migration 5 have only the English reason: code 'text', no numbers.
const toRisk = (r: RiskRow): RiskArea => ({
  id: r.id, regionCode: r.region_code, unitName: r.unit_name, level: r.level as RiskLevel, since: r.since, reviewAt: r.review_at, ruleSet: r.rule_set, reason: r.reason,
  reasonCode: r.reason_code ?? 'text', reasonArgs: r.reason_args === null || r.reason_args === undefined ? {} : fromJson<Record<string, number>>(r.reason_args),
});

interface OrderRow { id: number; order_no: string; action: string; categories: unknown; region_codes: unknown; starts_at: number; ends_at: number | null; issued_by: string }
const toOrder = (r: OrderRow): VenueOrder => ({
  id: r.id, orderNo: r.order_no, action: r.action as VenueOrderAction, categories: fromJson<PlaceCategory[]>(r.categories),
  regionCodes: fromJson<string[]>(r.region_codes), startsAt: r.starts_at, endsAt: r.ends_at, issuedBy: r.issued_by,
});

/** Whether a venue order concerns a region scope: one of its regions is inside the scope or contains it. */
export const orderConcerns = (o: VenueOrder, scope: string): boolean => o.regionCodes.some((r) => r.startsWith(scope) || scope.startsWith(r));

export class ControlRepository {
  constructor(private readonly db: Db) {}

  async insertCheckpoint(c: Omit<Checkpoint, 'id'>): Promise<number> {
    const n = await this.db.insertMany('checkpoints', ['code', 'name', 'kind', 'place_id', 'region_code'], [[c.code, c.name, c.kind, c.placeId, c.regionCode]], ['code']);
    if (n === 0) return 0;
    return (await this.checkpointByCode(c.code))!.id;
  }

  /** A checkpoint by code; undefined when there is none, or none within reach of `scope` (see scope.ts). */
  async checkpointByCode(code: string, scope?: Scope): Promise<Checkpoint | undefined> {
    const s = placeInScope(scope);
    const r = await this.db.get<CheckpointRow>(`SELECT * FROM checkpoints WHERE code = ?${s ? ` AND ${s.sql}` : ''}`, [code, ...(s?.params ?? [])]);
    return r && toCheckpoint(r);
  }

  async checkpointById(id: number): Promise<Checkpoint | undefined> {
    const r = await this.db.get<CheckpointRow>('SELECT * FROM checkpoints WHERE id = ?', [id]);
    return r && toCheckpoint(r);
  }

  async checkpoints(): Promise<Checkpoint[]> {
    return (await this.db.all<CheckpointRow>('SELECT * FROM checkpoints ORDER BY code')).map(toCheckpoint);
  }

  async insertCheck(r: Omit<CheckRecord, 'id'>): Promise<void> {
    await this.db.run('INSERT INTO check_records (checkpoint_id, person_id, at, temperature_c, verdict, reasons) VALUES (?, ?, ?, ?, ?, ?)',
      [r.checkpointId, r.personId, r.at, r.temperatureC, r.verdict, JSON.stringify(r.reasons)]);
  }

  async checksAt(checkpointId: number, page: PageRequest): Promise<Page<CheckRecord>> {
    const rows = await this.db.all<{ id: number; checkpoint_id: number; person_id: number | null; at: number; temperature_c: number | null; verdict: string; reasons: unknown }>(
      'SELECT * FROM check_records WHERE checkpoint_id = ? AND id > ? ORDER BY id LIMIT ?', [checkpointId, page.after ?? 0, page.limit + 1]);
    return toPage(rows, page.limit, (r) => ({
      id: r.id, checkpointId: r.checkpoint_id, personId: r.person_id, at: r.at, temperatureC: r.temperature_c, verdict: r.verdict as CheckVerdict, reasons: fromJson<string[]>(r.reasons),
    }));
  }

  /** Appends gradings (a row per change; the latest row of a unit is its level now). */
  async insertRiskAreas(rows: Omit<RiskArea, 'id'>[]): Promise<void> {
    await this.db.insertMany('risk_areas', ['region_code', 'unit_name', 'level', 'since', 'review_at', 'rule_set', 'reason', 'reason_code', 'reason_args'],
      rows.map((r) => [r.regionCode, r.unitName, r.level, r.since, r.reviewAt, r.ruleSet, r.reason, r.reasonCode, JSON.stringify(r.reasonArgs)]), []);
  }

  /** Every unit's latest grading at `at` (low included). */
  async riskAreasAt(at: number): Promise<RiskArea[]> {
    const rows = await this.db.all<RiskRow>(
      `SELECT ra.* FROM risk_areas ra
       WHERE ra.since <= ? AND ra.id = (SELECT r2.id FROM risk_areas r2 WHERE r2.region_code = ra.region_code AND r2.since <= ? ORDER BY r2.since DESC, r2.id DESC LIMIT 1)
       ORDER BY ra.region_code`, [at, at]);
    return rows.map(toRisk);
  }

  async riskHistory(regionCode: string): Promise<RiskArea[]> {
    return (await this.db.all<RiskRow>('SELECT * FROM risk_areas WHERE region_code = ? ORDER BY since, id', [regionCode])).map(toRisk);
  }

  async insertOrder(o: Omit<VenueOrder, 'id'>): Promise<number> {
    return this.db.insertMany('venue_orders', ['order_no', 'action', 'categories', 'region_codes', 'starts_at', 'ends_at', 'issued_by'],
      [[o.orderNo, o.action, JSON.stringify(o.categories), JSON.stringify(o.regionCodes), o.startsAt, o.endsAt, o.issuedBy]], ['order_no']);
  }

  async orderByNo(orderNo: string): Promise<VenueOrder | undefined> {
    const r = await this.db.get<OrderRow>('SELECT * FROM venue_orders WHERE order_no = ?', [orderNo]);
    return r && toOrder(r);
  }

  /** Changes when an order ends (lifting it now, or moving its end). */
  async setOrderEnd(orderNo: string, endsAt: number | null): Promise<void> {
    await this.db.run('UPDATE venue_orders SET ends_at = ? WHERE order_no = ?', [endsAt, orderNo]);
  }

  /** Places closed or rectifying now. */
  async placesUnderOrders(): Promise<number> {
    return (await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM places WHERE status <> 'open'"))?.n ?? 0;
  }

  /**
   * Every venue order; with a scope (an actor's region), those that concern it: an order naming a region inside the
   * scope, or a region containing it (a province's order reaches every county).
   */
  async orders(scope?: Scope): Promise<VenueOrder[]> {
    const all = (await this.db.all<OrderRow>('SELECT * FROM venue_orders ORDER BY starts_at, id')).map(toOrder);
    return scope ? all.filter((o) => orderConcerns(o, scope)) : all;
  }

  /** Orders in force at `at`. */
  async ordersAt(at: number): Promise<VenueOrder[]> {
    return (await this.db.all<OrderRow>('SELECT * FROM venue_orders WHERE starts_at <= ? AND (ends_at IS NULL OR ends_at > ?) ORDER BY starts_at, id', [at, at])).map(toOrder);
  }

  /** Sets the status of places of `categories` under `regionPrefixes` (region codes are prefixes of their children's). */
  async setPlaceStatus(categories: PlaceCategory[], regionPrefixes: string[], status: string): Promise<number> {
    if (categories.length === 0 || regionPrefixes.length === 0) return 0;
    const regionClause = regionPrefixes.map(() => 'region_code LIKE ?').join(' OR ');
    return this.db.run(`UPDATE places SET status = ? WHERE category IN (${categories.map(() => '?').join(', ')}) AND (${regionClause}) AND status <> ?`,
      [status, ...categories, ...regionPrefixes.map((r) => `${r}%`), status]);
  }
}
