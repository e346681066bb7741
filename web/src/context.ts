/** What every page of the app shell reads: the words of the chosen language and who is signed in. */
import { createContext, useContext } from 'react';
import type { Session } from './api.ts';
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

/** A time of the API (ISO 8601, +08:00) as people read it: 2021-08-05 14:30. */
export const clock = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');
