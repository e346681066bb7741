/** A resident of the field cases signed in with the code sent to their phone, and requests made with their session. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { injectAsGiven } from './credentials.ts';
import type { Engine } from '../src/storage/db.ts';
import { fieldApp, fieldWorld, type FieldWorld } from './fieldCases.ts';
import { TEST_KEY } from './services.ts';

/**
 * A field world and its app where residents sign in: the persons' ID hash key is the test's, and the texts the app
 * sends (sign-in codes, reminders) land in `sent`.
 */
export async function residentApp(engine: Engine, now: number): Promise<{ w: FieldWorld; app: FastifyInstance; sent: { phone: string; text: string }[] }> {
  const sent: { phone: string; text: string }[] = [];
  const w = await fieldWorld(engine, now);
  const app = await fieldApp(w, { codeSender: { send: async (phone, text) => { sent.push({ phone, text }); } }, services: { ...w.s, idHashKey: TEST_KEY } });
  return { w, app, sent };
}

/** `sent` gives the texts the app's code sender has sent (residentApp's). */
export function residentSessions(app: () => FastifyInstance, world: () => FieldWorld, sent: () => readonly { phone: string; text: string }[]) {
  return {
    /** A request as the resident whose session cookie this is. */
    as: (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      injectAsGiven(app())({ method, url, payload, headers: { cookie: `cordon_session=${cookie}`, 'x-cordon-csrf': '1' } }),
    /** Signs the person of `label` in with the code texted to `phone`; their session cookie. */
    async signIn(label: string, phone: string): Promise<string> {
      const w = world();
      expect((await injectAsGiven(app())({ method: 'POST', url: '/api/resident/code', payload: { idNumber: w.idNumber(label) } })).statusCode).toBe(202);
      const code = /验证码是 (\d{6})/.exec(sent().filter((m) => m.phone === phone).at(-1)!.text)![1];
      const r: LightMyRequestResponse = await injectAsGiven(app())({ method: 'POST', url: '/api/resident/session', payload: { idNumber: w.idNumber(label), code } });
      expect(r.statusCode, r.body).toBe(200);
      return r.cookies.find((c) => c.name === 'cordon_session')!.value;
    },
  };
}
