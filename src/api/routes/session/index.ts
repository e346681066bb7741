/**
 * The web session: POST /api/session signs in with a username and password and sets the session cookie; GET
 * /api/session says who is signed in and what the role may do (the page shows what it may); DELETE /api/session
 * signs out; POST /api/session/password changes the password (required first after a one-time password).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actionsOf, type Role } from '../../../domain/access.ts';
import { authenticate, changePassword, endSession, MIN_PASSWORD_LENGTH, startSession, verifyPassword, type Principal } from '../../../services/accounts/accounts.ts';
import { endResidentSession } from '../../../services/accounts/residents.ts';
import { SESSION_COOKIE, sessionCookie } from '../../auth.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse, PlainText, Text } from '../common.ts';
import { SessionOut } from './schema.ts';

/** Sign-in attempts allowed a minute for one username from one address. */
export const SIGN_IN_PER_MINUTE = 10;

const SignIn = z.strictObject({ username: PlainText.min(1).max(40), password: Text.min(1).max(200) });
const ChangePassword = z.strictObject({ currentPassword: Text.min(1).max(200), newPassword: Text.min(MIN_PASSWORD_LENGTH).max(200) });

const present = (p: Principal, regionName: string | null) => ({
  user: { kind: p.kind, name: p.name, role: p.role, region: p.scope, regionName, agency: p.agency },
  mustChangePassword: p.mustChangePassword,
  // Until a one-time password is changed, only the session's own actions are open.
  actions: p.mustChangePassword ? ['session:read', 'session:sign-out', 'session:change-password'] : actionsOf(p.role as Role),
});

export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.cordon;
  const regionName = async (p: Principal) => (p.scope ? (await store.regions.get(p.scope))?.name ?? null : null);

  // At most SIGN_IN_PER_MINUTE attempts a minute for one username from one address (after the body is read, so the
  // username is known): guessing a password is slow, and one person's typing errors do not lock out their colleagues.
  app.post('/api/session', {
    config: {
      action: 'session:sign-in',
      rateLimit: { max: SIGN_IN_PER_MINUTE, timeWindow: 60_000, hook: 'preHandler', keyGenerator: (req) => `${req.ip}|${(req.body as { username?: string } | undefined)?.username ?? ''}` },
    },
    schema: { tags: ['session'], summary: 'Sign in (sets the session cookie)', body: SignIn, response: { 200: SessionOut, 401: ErrorResponse } },
  }, async (req, reply) => {
    const signedIn = await authenticate(req.ctx, store, req.body.username, req.body.password);
    if (!signedIn) throw new AppError('WRONG_CREDENTIALS');
    const { token } = await startSession(req.ctx, store, signedIn.principal.id);
    void reply.setCookie(SESSION_COOKIE, token, sessionCookie(req));
    return present({ ...signedIn.principal, mustChangePassword: signedIn.mustChangePassword }, await regionName(signedIn.principal));
  });

  app.get('/api/session', { config: { action: 'session:read' },
    schema: { tags: ['session'], summary: 'Who is signed in, and what the role may do', response: { 200: SessionOut, 401: ErrorResponse } },
  }, async (req) => present(req.principal!, await regionName(req.principal!)));

  app.delete('/api/session', { config: { action: 'session:sign-out' },
    schema: { tags: ['session'], summary: 'Sign out (ends the session, clears the cookie)', response: { 204: z.null(), 401: ErrorResponse } },
  }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token?.startsWith('cr_')) await endResidentSession(store, token);
    else if (token) await endSession(req.ctx, store, token);
    void reply.clearCookie(SESSION_COOKIE, sessionCookie(req));
    return reply.code(204).send(null);
  });

  app.post('/api/session/password', {
    config: { action: 'session:change-password', rateLimit: { max: SIGN_IN_PER_MINUTE, timeWindow: 60_000, hook: 'preHandler', keyGenerator: (req) => `password:${req.principal?.kind}:${req.principal?.id}` } },
    schema: { tags: ['session'], summary: 'Change the signed-in user\'s password', body: ChangePassword, response: { 200: SessionOut, 401: ErrorResponse, 403: ErrorResponse } },
  }, async (req) => {
    const p = req.principal!;
    if (p.kind !== 'user') throw new AppError('FORBIDDEN', p.kind === 'api_key' ? 'An API key has no password.' : 'A resident signs in with a code sent to their phone, not a password.');
    const u = await store.accounts.userById(p.id);
    if (!u?.passwordHash || !(await verifyPassword(req.body.currentPassword, u.passwordHash))) throw new AppError('WRONG_CREDENTIALS', 'The current password is wrong.');
    if (req.body.newPassword === req.body.currentPassword) throw new AppError('VALIDATION_FAILED', 'newPassword: must differ from the current password', [{ in: 'body', field: 'newPassword', reason: 'must differ from the current password' }]);
    await changePassword(req.ctx, store, p.id, req.body.newPassword, req.cookies[SESSION_COOKIE]);
    return present({ ...p, mustChangePassword: false }, await regionName(p));
  });
};
