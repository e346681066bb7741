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

/** A time of the API (ISO 8601, +08:00) as people read it: 2021-08-05 14:30. */
export const clock = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');
