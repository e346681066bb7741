/**
 * Search, as an investigator or a grid worker starts most jobs: a person by the ID number on their card, their phone,
 * their name or their household's address; a case by its number; a place by its code or name; a train or flight by
 * its number and date. Persons are found only within the actor's scope, and every person search is written to the
 * audit log before it is answered (DESIGN.md, security): one entry per person found (the person as subject), or one
 * entry saying what was looked for, masked, when nothing was found.
 */
import { idNumberProblem, maskName, maskPhone } from '../../domain/identity.ts';
import type { Case, Person, Place } from '../../domain/model/index.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import { recordAudit } from '../audit/audit.ts';
import { searchByIdNumber } from '../accounts/residents.ts';

/** How a person search was read: the kind of value typed. */
export type PersonSearchBy = 'id_number' | 'phone' | 'name' | 'address';

/** At most this many persons per search (a name shared by more is narrowed by region or address). */
export const PERSON_SEARCH_LIMIT = 20;

/** What was typed, as a person search: its kind and the values looked up. */
export type PersonQuery =
  | { by: 'id_number'; idNumber: string }
  | { by: 'phone'; phones: string[] }
  | { by: 'name_or_address'; text: string };

/**
 * Reads what was typed: 18 characters of digits (the last may be X) are an ID number; 5 to 15 digits, with an
 * optional leading + or spaces and hyphens between, a phone (a mainland mobile number is looked up with and without
 * +86); anything else a full name or a fragment of an address. Null for nothing to look up.
 */
export function readPersonQuery(typed: string): PersonQuery | null {
  const text = typed.trim().replace(/\s+/g, ' ');
  if (text === '') return null;
  const compact = text.replace(/[\s-]/g, '');
  if (/^\d{17}[\dXx]$/.test(compact)) return { by: 'id_number', idNumber: compact.toUpperCase() };
  if (/^\+?\d{5,15}$/.test(compact)) {
    const national = compact.startsWith('+86') ? compact.slice(3) : compact.startsWith('0086') ? compact.slice(4) : compact;
    const phones = new Set([compact, national]);
    if (/^1\d{10}$/.test(national)) phones.add(`+86${national}`);
    return { by: 'phone', phones: [...phones] };
  }
  return { by: 'name_or_address', text };
}

export interface PersonSearchResult {
  /** How the value was read; `name` and `address` both for text, the name's matches first. */
  by: PersonSearchBy[];
  persons: (Person & { matched: PersonSearchBy })[];
  /** True when more persons matched than PERSON_SEARCH_LIMIT: the caller should narrow the search. */
  more: boolean;
  /** Why an ID number typed cannot be anyone's (it is still looked up as typed), or null. */
  idNumberProblem: string | null;
  /** The audit entries written (one per person found, or one when none was). */
  auditIds: number[];
}

/** A masked description of what was searched for, for the audit log when nothing was found. */
function searchedFor(q: PersonQuery): string {
  if (q.by === 'id_number') return 'id-number';
  if (q.by === 'phone') return `phone:${maskPhone(q.phones[0])}`;
  return `text:${maskName(q.text)} (${[...q.text].length} characters)`;
}

/**
 * Finds persons under `ctx.scope` by what was typed (see `readPersonQuery`), and audits the search as `persons:search`
 * with `purpose`. A text is looked up as a full name and as an address fragment (2 characters or more). Throws
 * nothing for a value that finds no one: the answer is empty, and the search is still audited.
 */
export async function searchPersons(
  ctx: Ctx, store: Store, idHashKey: string, typed: string, opts: { purpose: string | null; requestId?: string },
): Promise<PersonSearchResult> {
  const q = readPersonQuery(typed);
  if (!q) return { by: [], persons: [], more: false, idNumberProblem: null, auditIds: [] };
  if (q.by === 'id_number') {
    const { person, entry } = await searchByIdNumber(ctx, store, idHashKey, q.idNumber, {
      action: 'persons:search', purpose: () => opts.purpose ?? '', requestId: opts.requestId,
    });
    return {
      by: ['id_number'], persons: person ? [{ ...person, matched: 'id_number' }] : [], more: false,
      idNumberProblem: idNumberProblem(q.idNumber), auditIds: [entry.id],
    };
  }
  const found: (Person & { matched: PersonSearchBy })[] = [];
  const by: PersonSearchBy[] = [];
  const add = (persons: Person[], matched: PersonSearchBy) => {
    for (const p of persons) if (!found.some((f) => f.id === p.id)) found.push({ ...p, matched });
  };
  if (q.by === 'phone') {
    by.push('phone');
    add(await store.persons.find({ phones: q.phones }, PERSON_SEARCH_LIMIT + 1, ctx.scope ?? undefined), 'phone');
  } else {
    by.push('name');
    add(await store.persons.find({ name: q.text }, PERSON_SEARCH_LIMIT + 1, ctx.scope ?? undefined), 'name');
    if ([...q.text].length >= 2 && found.length <= PERSON_SEARCH_LIMIT) {
      by.push('address');
      add(await store.persons.find({ address: q.text }, PERSON_SEARCH_LIMIT + 1, ctx.scope ?? undefined), 'address');
    }
  }
  const persons = found.slice(0, PERSON_SEARCH_LIMIT);
  const auditIds: number[] = [];
  const audit = (subject: string, detail: string) => recordAudit(ctx, store, {
    action: 'persons:search', subject, purpose: opts.purpose, requestId: opts.requestId ?? null, detail,
  });
  if (persons.length === 0) auditIds.push((await audit(`search:${searchedFor(q)}`, `by ${by.join(', ')}; none found`)).id);
  for (const p of persons) auditIds.push((await audit(`person:${p.id}`, `found by ${p.matched}`)).id);
  return { by, persons, more: found.length > PERSON_SEARCH_LIMIT, idNumberProblem: null, auditIds };
}

/** A case by its number (as typed, then upper-cased), if its person lives under `ctx.scope`. */
export async function searchCase(ctx: Ctx, store: Store, typed: string): Promise<Case | undefined> {
  const text = typed.trim();
  if (text === '') return undefined;
  const found = (await store.cases.byCaseNo(text)) ?? (await store.cases.byCaseNo(text.toUpperCase()));
  if (!found) return undefined;
  return ctx.scope && !(await store.persons.get(found.personId, ctx.scope)) ? undefined : found;
}

/** At most this many places per search. */
export const PLACE_SEARCH_LIMIT = 20;

/** Places within reach of `ctx.scope` by code (exact) or a fragment of their name. */
export async function searchPlaces(ctx: Ctx, store: Store, typed: string): Promise<Place[]> {
  const text = typed.trim();
  if (text === '') return [];
  return store.places.search(text, PLACE_SEARCH_LIMIT, {}, ctx.scope ?? undefined);
}

/**
 * The vehicle places (trips) of a train, flight or coach `number` on `date` (YYYY-MM-DD, its service date): the
 * vehicles whose name or code carries the number as a word of its own (G4301 does not find G43011) and the date (as
 * 2021-07-21 or 20210721). A feed names a trip by its number and date (`G4301 2021-07-21`, as the demo's feeds do);
 * the name is searched as stored (numbers in upper case), at most 200 vehicles of that number.
 */
export async function searchTrips(store: Store, number: string, date: string): Promise<Place[]> {
  const n = number.trim().toUpperCase().replace(/\s+/g, '');
  if (!/^[A-Z0-9]{2,12}$/.test(n) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return [];
  const word = new RegExp(`(^|[^A-Z0-9])${n}([^A-Z0-9]|$)`);
  const dates = [date, date.replaceAll('-', '')];
  const candidates = await store.places.search(n, 200, { category: 'vehicle' });
  return candidates.filter((p) => [p.name, p.code].some((s) => {
    const up = s.toUpperCase();
    return word.test(up) && dates.some((d) => up.includes(d));
  }));
}
