/**
 * The daily bulletin (issue #13, item 5): a day's figures from the store, in China Standard Time from 0 to 24 o'clock
 * as the provincial health commission's bulletins count them, with a Chinese and an English text
 * (`domain/bulletin.ts`). A day that has ended is generated once and kept (the server keeps yesterday's a minute after
 * midnight; a read of an older day keeps it then); later reads return the kept one unchanged. Today's is computed on
 * each read, from the server's clock, and kept only once the day is over.
 *
 * The figures are the province's (aggregates only, no personal data). Each is read as it stood at the day's end where
 * the store keeps enough to say so: a case withdrawn after the day still counts for it, and a contact's status at
 * 24:00 and a case's kind are replayed from the changes recorded since (the corrections); an asymptomatic infection
 * of an earlier day reclassified as confirmed that day is a new confirmed case of the day (and said so). Left out,
 * because the store cannot say them: a confirmation time corrected later (a case counts on the day its confirmation
 * time says now), cases cured and discharged (a case's outcome keeps only its latest time), and persons quarantined
 * other than as contacts (no quarantine assignments are recorded yet).
 */
import { CITY_EN, bulletinTextEn, bulletinTextZh, dayBounds, dayOf, type BulletinFigures, type CityCount, type ContactFigures, type NewCases, type RiskUnit } from '../../domain/bulletin.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { DAY, formatTime } from '../../domain/time.ts';
import type { CaseKind, ContactStatus } from '../../domain/vocab.ts';
import type { Ctx } from '../../platform/context.ts';
import type { CaseState, ContactState, KindChange } from '../../storage/sql/bulletins.ts';
import type { Page, PageRequest, Store } from '../../storage/store.ts';
import { assertPlausibleTimes } from '../times.ts';

/** A day's bulletin: its figures and texts, whether it is final (kept: the day has ended), and when it was generated. */
export interface Bulletin {
  date: string;
  /** The day's span in epoch seconds, [from, to). */
  from: number;
  to: number;
  /** Kept for good (the day has ended); false for today's, which changes until midnight. */
  final: boolean;
  generatedAt: number;
  figures: BulletinFigures;
  textZh: string;
  textEn: string;
}

/** What the bulletin use cases work with. */
export interface BulletinDeps { store: Store; edition: ProtocolEdition }

/** Statuses in which a contact is no longer under medical observation. */
const ENDED: readonly ContactStatus[] = ['released', 'became_case'];

/** The status a contact record had at `at`, from its status now and the status changes recorded after `at`. */
function statusAt(k: ContactState, changes: { from: ContactStatus; at: number }[] | undefined, at: number): ContactStatus {
  const next = changes?.find((c) => c.at >= at);
  return next ? next.from : k.status;
}

/** Counts a day's figures from the store (see the module comment for what each means and what is left out). */
export async function bulletinFigures(store: Store, date: string): Promise<BulletinFigures> {
  const span = dayBounds(date);
  if (!span) throw new Error(`not a date: ${date}`);
  const { from, to } = span;
  const b = store.bulletins;
  const [dayCases, kindChanges, cumulative, traced, replay, samplesTaken, directivesIssued, tasksCompleted, names, areas] = await Promise.all([
    b.casesConfirmed(from, to), b.caseKindChanges(from), b.casesBefore(to), b.contactsTraced(from, to), b.contactsToReplay(from, to), b.samplesTaken(from, to),
    b.directivesIssued(from, to), b.tasksCompleted(from, to), store.regions.namesAt('city'), store.control.riskAreasAt(to - 1),
  ]);

  // Cases as they stood at 24:00: a kind corrected since is replayed through the recorded changes.
  const changesOf = new Map<number, KindChange[]>();
  for (const k of kindChanges) changesOf.set(k.caseId, [...(changesOf.get(k.caseId) ?? []), k]);
  const kindAt = (c: CaseState): CaseKind => changesOf.get(c.id)?.find((k) => k.at >= to)?.from ?? c.kind;
  // Asymptomatic infections of earlier days reclassified as confirmed that day are new confirmed cases of the day.
  const seen = new Set(dayCases.map((c) => c.id));
  const convertedIds = [...new Set(kindChanges.filter((k) => k.from === 'asymptomatic' && k.to === 'confirmed' && k.at < to && !seen.has(k.caseId)).map((k) => k.caseId))];
  const converted = (await b.casesByIds(convertedIds, to)).filter((c) => c.confirmedAt < from && kindAt(c) === 'confirmed');
  const confirmed = [...dayCases.filter((c) => kindAt(c) === 'confirmed'), ...converted];
  const asymptomatic = dayCases.filter((c) => kindAt(c) === 'asymptomatic');
  const byCity = (cases: CaseState[]): NewCases => {
    const counts = new Map<string, number>();
    for (const c of cases) counts.set(c.cityCode, (counts.get(c.cityCode) ?? 0) + 1);
    const list: CityCount[] = [...counts].sort(([a], [z]) => a.localeCompare(z)).map(([code, n]) => {
      const name = names.get(code) ?? code;
      return { cityCode: code, name, nameEn: CITY_EN[code] ?? name, count: n };
    });
    return { total: cases.length, byCity: list };
  };
  // Totals up to 24:00 by the kind each case had then.
  const later = [...changesOf.keys()].filter((id) => changesOf.get(id)!.some((k) => k.at >= to));
  for (const c of (await b.casesByIds(later, to)).filter((x) => x.confirmedAt < to)) {
    cumulative.set(c.kind, (cumulative.get(c.kind) ?? 0) - 1);
    cumulative.set(kindAt(c), (cumulative.get(kindAt(c)) ?? 0) + 1);
  }

  // Contacts as they stood at 24:00: a record changed since the day began is replayed through its recorded changes.
  const changed = replay.filter((k) => k.statusAt !== null && k.statusAt >= from).map((k) => k.id);
  const changes = changed.length > 0 ? await b.contactStatusChanges(changed, from) : new Map<number, { from: ContactStatus; to: ContactStatus; at: number }[]>();
  const persons = { close: { observed: new Set<number>(), released: new Set<number>() }, secondary: { observed: new Set<number>(), released: new Set<number>() } };
  const quarantined = new Set<number>();
  for (const k of replay) {
    if (k.kind !== 'close' && k.kind !== 'secondary') continue;
    const own = changes.get(k.id);
    const end = statusAt(k, own, to);
    if (!ENDED.includes(end)) persons[k.kind].observed.add(k.personId);
    if (end === 'in_quarantine') quarantined.add(k.personId);
    if (own?.some((c) => c.to === 'released' && c.at >= from && c.at < to)) persons[k.kind].released.add(k.personId);
  }
  const contacts = (kind: 'close' | 'secondary'): ContactFigures => ({ traced: traced.get(kind) ?? 0, released: persons[kind].released.size, underObservation: persons[kind].observed.size });

  const graded = areas.filter((x) => x.level === 'high' || x.level === 'medium').sort((x, y) => x.regionCode.localeCompare(y.regionCode));
  const areaNames = await store.regions.names(graded.map((a) => a.regionCode));
  const units: RiskUnit[] = graded.map((a) => ({ regionCode: a.regionCode, name: a.unitName ?? areaNames.get(a.regionCode) ?? a.regionCode, level: a.level as 'high' | 'medium' }));

  return {
    date, newConfirmed: byCity(confirmed.filter((c) => !c.imported)), newAsymptomatic: byCity(asymptomatic.filter((c) => !c.imported)),
    convertedFromAsymptomatic: converted.filter((c) => !c.imported).length,
    imported: { confirmed: confirmed.filter((c) => c.imported).length, asymptomatic: asymptomatic.filter((c) => c.imported).length },
    cumulative: { confirmed: cumulative.get('confirmed') ?? 0, asymptomatic: cumulative.get('asymptomatic') ?? 0 },
    closeContacts: contacts('close'), secondaryContacts: contacts('secondary'), inQuarantine: quarantined.size, samplesTaken,
    riskAreas: { high: units.filter((u) => u.level === 'high').length, medium: units.filter((u) => u.level === 'medium').length, units },
    directivesIssued, tasksCompleted,
  };
}

/**
 * The bulletin of a day (`YYYY-MM-DD`, China Standard Time) at the server's now: today's computed live (not kept);
 * a day that has ended as kept, generated and kept now when it was not yet. Errors: NOT_FOUND (a day that has not
 * begun), TIME_IMPLAUSIBLE (a day before the edition's earliest date), VALIDATION_FAILED (not a date).
 */
export async function getBulletin(ctx: Ctx, deps: BulletinDeps, props: { date: string }): Promise<Bulletin> {
  const span = dayBounds(props.date);
  if (!span) throw new DomainError('invalid', 'VALIDATION_FAILED', `not a date: ${props.date}`, [{ field: 'date', reason: 'not a real date (YYYY-MM-DD)' }]);
  const now = ctx.clock.now();
  if (span.from > now) throw new DomainError('not_found', 'NOT_FOUND', `No bulletin for ${props.date}: the day has not begun (China Standard Time).`);
  assertPlausibleTimes(ctx, deps.edition, { date: span.from });
  if (span.to > now) return generate(deps.store, props.date, now, false);
  const kept = await deps.store.bulletins.kept(props.date);
  if (kept) return fromKept(kept);
  const fresh = await generate(deps.store, props.date, now, true);
  // Another process may have kept the day meanwhile: what is kept is what is answered.
  return fromKept(await deps.store.bulletins.keep({ day: fresh.date, figures: fresh.figures, textZh: fresh.textZh, textEn: fresh.textEn, generatedAt: now }));
}

/** Today's bulletin (the server's day, China Standard Time), computed now and not kept. */
export function todaysBulletin(ctx: Ctx, deps: BulletinDeps): Promise<Bulletin> {
  return getBulletin(ctx, deps, { date: dayOf(ctx.clock.now()) });
}

/**
 * The server's minute timer for bulletins: keeps yesterday's (the day before the server's today, China Standard
 * Time) when it is not kept yet. Idempotent; returns the day kept now, or null when it was kept before.
 */
export async function keepYesterdaysBulletin(ctx: Ctx, deps: BulletinDeps): Promise<string | null> {
  const yesterday = dayOf(ctx.clock.now() - DAY);
  if (await deps.store.bulletins.kept(yesterday)) return null;
  await getBulletin(ctx, deps, { date: yesterday });
  return yesterday;
}

/** The days whose bulletins are kept, in the order they were kept, with how many there are. */
export function listBulletins(store: Store, page: PageRequest): Promise<Page<{ id: number; day: string; generatedAt: number }> & { total: number }> {
  return store.bulletins.list(page);
}

async function generate(store: Store, date: string, now: number, final: boolean): Promise<Bulletin> {
  const figures = await bulletinFigures(store, date);
  const { from, to } = dayBounds(date)!;
  // A day not yet ended is counted up to now, and its texts say so.
  const until = final ? undefined : formatTime(now).slice(11, 16);
  return { date, from, to, final, generatedAt: now, figures, textZh: bulletinTextZh(figures, until), textEn: bulletinTextEn(figures, until) };
}

function fromKept(k: { day: string; figures: unknown; textZh: string; textEn: string; generatedAt: number }): Bulletin {
  const { from, to } = dayBounds(k.day)!;
  return { date: k.day, from, to, final: true, generatedAt: k.generatedAt, figures: k.figures as BulletinFigures, textZh: k.textZh, textEn: k.textEn };
}
