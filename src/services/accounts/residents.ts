/**
 * Residents (the public): a resident proves who they are with their ID number and a one-time code sent to the phone
 * registered for it, then holds a session that shows them their own code, itinerary and test results and nothing
 * else (DESIGN.md, users; issue "Trust", item 5).
 *
 * The code: RESIDENT_CODE_DIGITS random digits, valid RESIDENT_CODE_SECONDS, at most RESIDENT_CODE_ATTEMPTS wrong tries
 * before it is spent, a new one at most every RESIDENT_CODE_RESEND_SECONDS; stored as a hash. Asking for a code
 * answers the same whether or not the ID number is registered or has a phone, so the form tells no one who lives here.
 * Sending is pluggable (`CodeSender`): the default writes the message to the server's log (a demo or a test bench);
 * a deployment plugs in its SMS gateway (docs/residents.md).
 */
import { randomInt } from 'node:crypto';
import type { Action } from '../../domain/access.ts';
import { hashIdNumber, maskIdNumber, maskPhone } from '../../domain/identity.ts';
import type { Person } from '../../domain/model/index.ts';
import type { Ctx } from '../../platform/context.ts';
import type { AuditEntry } from '../../storage/sql/audit.ts';
import type { Store } from '../../storage/store.ts';
import { recordAudit } from '../audit/audit.ts';
import { newSecret, SESSION_IDLE_SECONDS, tokenHash, type Principal } from './accounts.ts';

/** Digits in a one-time code. */
export const RESIDENT_CODE_DIGITS = 6;
/** How long a one-time code stays valid (seconds). */
export const RESIDENT_CODE_SECONDS = 300;
/** Wrong codes tried before a code is spent. */
export const RESIDENT_CODE_ATTEMPTS = 5;
/** Shortest time between two codes for one person (seconds). */
export const RESIDENT_CODE_RESEND_SECONDS = 60;

/** Sends a text message to a phone: the SMS gateway's adapter. */
export interface CodeSender {
  /** Sends `text` to `phone` (the registered number, as stored); rejects when the gateway refuses it. */
  send(phone: string, text: string): Promise<void>;
}

/** The default sender: writes the message to a log (for demos and tests; the phone number is masked). */
export class LoggingCodeSender implements CodeSender {
  /** `what` names the message in the log line (a sign-in code by default; a follow-up reminder ...). */
  constructor(private readonly log: (fields: Record<string, unknown>, message: string) => void, private readonly what = 'resident sign-in code') {}
  async send(phone: string, text: string): Promise<void> {
    this.log({ to: maskPhone(phone), text }, `${this.what} (logging sender: configure an SMS gateway to send it)`);
  }
}

/** The message a resident receives (zh-CN; the sign-in page tells them to look for it). */
export const codeMessage = (code: string) => `【Cordon 健康码】您的登录验证码是 ${code}，${RESIDENT_CODE_SECONDS / 60} 分钟内有效。请勿告诉他人。`;

const codeHash = (personId: number, code: string) => tokenHash(`${personId}:${code}`);

/** The person registered under an ID number (as typed: normalised, then hashed with the installation's key), if any. */
export async function personByIdNumber(store: Store, idHashKey: string, idNumber: string): Promise<Person | undefined> {
  return (await store.persons.byHashes([hashIdNumber(idNumber, idHashKey)])).values().next().value;
}

/**
 * A search by identity (an ID card read at a checkpoint, a person found by the number on their card): the resident
 * registered under `idNumber`, when one lives within `scope` (the actor's; the whole register without one), written to
 * the audit log whatever it finds, before the caller answers: the person as subject, or the masked number when none
 * is found in reach (a search that finds nothing is a search all the same). `purpose` says why, found or not.
 */
export async function searchByIdNumber(
  ctx: Ctx, store: Store, idHashKey: string, idNumber: string,
  audit: { action: Action; purpose: (found: boolean) => string; requestId?: string },
): Promise<{ person: Person | undefined; entry: AuditEntry }> {
  const found = await personByIdNumber(store, idHashKey, idNumber);
  const person = found && (!ctx.scope || (await store.persons.get(found.id, ctx.scope))) ? found : undefined;
  const entry = await recordAudit(ctx, store, {
    action: audit.action, subject: found ? `person:${found.id}` : `id-number:${maskIdNumber(idNumber)}`, purpose: audit.purpose(person !== undefined), requestId: audit.requestId ?? null,
  });
  return { person, entry };
}

/**
 * Sends a one-time code to the phone registered for `idNumber`, when there is one and no code was sent within
 * RESIDENT_CODE_RESEND_SECONDS. Returns what happened, for the caller's log and tests only: the API answers alike.
 */
export async function requestResidentCode(ctx: Ctx, store: Store, idHashKey: string, idNumber: string, sender: CodeSender): Promise<'sent' | 'unknown' | 'no_phone' | 'too_soon'> {
  const person = await personByIdNumber(store, idHashKey, idNumber);
  if (!person) return 'unknown';
  if (!person.phone) return 'no_phone';
  const now = ctx.clock.now();
  const last = await store.accounts.latestResidentCode(person.id);
  if (last && now - last.createdAt < RESIDENT_CODE_RESEND_SECONDS) return 'too_soon';
  const code = String(randomInt(0, 10 ** RESIDENT_CODE_DIGITS)).padStart(RESIDENT_CODE_DIGITS, '0');
  await store.accounts.addResidentCode(person.id, codeHash(person.id, code), now, now + RESIDENT_CODE_SECONDS);
  await sender.send(person.phone, codeMessage(code));
  return 'sent';
}

/**
 * Signs a resident in with their ID number and the code sent to them: a session token (for the cookie) and the
 * principal, or null when the number is unknown or the code is wrong, expired, used or spent by too many attempts.
 */
export async function residentSignIn(ctx: Ctx, store: Store, idHashKey: string, idNumber: string, code: string): Promise<{ token: string; principal: Principal } | null> {
  const person = await personByIdNumber(store, idHashKey, idNumber);
  if (!person) return null;
  const now = ctx.clock.now();
  const c = await store.accounts.latestResidentCode(person.id);
  if (!c || c.usedAt !== null || c.expiresAt <= now || c.attempts >= RESIDENT_CODE_ATTEMPTS) return null;
  if (c.codeHash !== codeHash(person.id, code)) {
    await store.accounts.attemptResidentCode(c.id);
    return null;
  }
  if (!(await store.accounts.useResidentCode(c.id, now))) return null;
  const token = newSecret('cr_');
  await store.accounts.addResidentSession(tokenHash(token), person.id, now, now + SESSION_IDLE_SECONDS);
  return { token, principal: residentPrincipal(person.id) };
}

/** The principal of a resident: the role `resident`, no region, only themselves. */
export const residentPrincipal = (personId: number): Principal => ({
  kind: 'resident', id: personId, name: `resident:${personId}`, role: 'resident', scope: null, agency: null, mustChangePassword: false,
});

/** The principal of a live resident session, extending it; null when expired, ended or unknown. */
export async function residentSessionPrincipal(ctx: Ctx, store: Store, token: string): Promise<Principal | null> {
  const now = ctx.clock.now(), hash = tokenHash(token);
  const s = await store.accounts.residentSessionByHash(hash, now);
  if (!s) return null;
  await store.accounts.touchResidentSession(hash, now, now + SESSION_IDLE_SECONDS);
  return residentPrincipal(s.personId);
}

/** Ends a resident session (sign out). */
export async function endResidentSession(store: Store, token: string): Promise<void> {
  await store.accounts.deleteResidentSession(tokenHash(token));
}
