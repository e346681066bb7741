/** What every page of the app shell reads: the words of the chosen language and who is signed in. */
import { createContext, useCallback, useContext, useRef } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, type Session } from './api.ts';
import type { Lang, Words } from './i18n.ts';

export interface AppState { w: Words; lang: Lang; session: Session | null | undefined; may: (action: string) => boolean }
export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('useApp outside the app shell');
  return s;
}

/**
 * A task's note as people read it: the server writes some parts of it (a re-inspection's result, a transfer's site,
 * the roll-up and the event flow's own notes) in English; those parts are put in the page's words.
 */
export function noteText(note: string, w: Words): string {
  const n = w.command.notes;
  let m = /^re-inspection (passed|not passed) \(inspection (\d+)\): ([\s\S]*)$/.exec(note);
  if (m) return n.reinspected(m[1] === 'passed', Number(m[2]), m[3]);
  m = /^([\s\S]*) \(site: ([\s\S]*)\)$/.exec(note);
  if (m) return n.site(m[1], m[2]);
  m = /^single-tube sample (.+) has its result$/.exec(note);
  if (m) return n.retested(m[1]);
  m = /^no record awaits transfer \((.*)\)$/.exec(note);
  if (m) return n.noTransfer;
  m = /^all (\d+) units below done$/.exec(note);
  if (m) return n.allDone(Number(m[1]));
  m = /^all units below done or cancelled \((\d+) done, (\d+) cancelled\)$/.exec(note);
  if (m) return n.doneOrCancelled(Number(m[1]), Number(m[2]));
  return n.fixed[note] ?? note;
}

/**
 * A failed request in the page's language: the API's stable code, not its English message; `own` names what a code
 * means on this form (a validation failure on the sign-in form is not about a new password).
 */
export function problem(w: Words, e: unknown, own: Partial<Record<string, string>> = {}): string {
  return e instanceof ApiError ? own[e.code] ?? codeText(w, e.code) : w.errorOther;
}

/** What an API error code means, in the page's language. */
export const codeText = (w: Words, code: string): string => w.errors[code] ?? w.command.errorCodes[code] ?? w.errorOther;

/**
 * A form's submission sent once however often it is clicked: a call while the last is on its way does nothing.
 * `mutate` is a TanStack mutation's (it calls `onSettled` when the answer has come).
 */
export function useOneAtATime<V>(mutate: (v: V, opts: { onSettled: () => void }) => void): (v: V) => void {
  const sending = useRef(false);
  return useCallback((v: V) => {
    if (sending.current) return;
    sending.current = true;
    mutate(v, { onSettled: () => { sending.current = false; } });
  }, [mutate]);
}

/** A time of the API (ISO 8601, +08:00) as people read it: 2021-08-05 14:30. */
export const clock = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/**
 * A deadline picker's limits: no day before today, and today no hour or minute already past (by this device's clock,
 * only to spare a refusal: the server judges the deadline by its own time).
 */
export const deadlineLimits = {
  /** No "now" button: a deadline of now is past by the time it is sent. */
  showNow: false,
  disabledDate: (d: Dayjs) => d.isBefore(dayjs(), 'day'),
  disabledTime: (d: Dayjs | null) => {
    const now = dayjs();
    if (!d || !d.isSame(now, 'day')) return {};
    // An hour whose every minute is past (its last minute now) is past too.
    return { disabledHours: () => range(0, now.minute() >= 59 ? now.hour() + 1 : now.hour()), disabledMinutes: (h: number) => (h === now.hour() ? range(0, now.minute() + 1) : []) };
  },
};
