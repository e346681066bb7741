/**
 * Who a request acts as, and whether it may: every API route declares an action (config.action, from the access
 * catalogue in src/domain/access.ts); before validation and the handler, the request's credentials are read and the
 * actor's role is checked against that action.
 *
 * Credentials: `Authorization: Bearer KEY` (an API key, for machine feeds and checkpoint devices) or the web
 * session's cookie (`cordon_session`: HTTP-only, SameSite=Strict, Secure on HTTPS; its value is a random token stored
 * as a hash). A request with neither is anonymous and may take only the public actions.
 *
 * Answers (docs/errors.md): 401 UNAUTHENTICATED without credentials; 401 INVALID_CREDENTIALS for an unknown or
 * revoked key or a malformed Authorization header; 401 SESSION_EXPIRED for a session cookie that is unknown, ended or
 * expired; 403 PASSWORD_CHANGE_REQUIRED while a user signed in with a one-time password has not chosen one; 403
 * FORBIDDEN when the role may not take the action. The message never says more than the code (no role, no action
 * list, whether a user exists). Cookie-authenticated writes also need the header `X-Cordon-CSRF: 1`, which a
 * cross-site form cannot send (403 CSRF_HEADER_MISSING): API keys are not sent by browsers on their own, so requests
 * with a key need no such header.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayAct, SIGNED_IN_ACTIONS, type Action } from '../domain/access.ts';
import { apiKeyPrincipal, SESSION_IDLE_SECONDS, sessionPrincipal, tokenHash, type Principal } from '../services/accounts/accounts.ts';
import { residentSessionPrincipal } from '../services/accounts/residents.ts';
import type { Store } from '../storage/store.ts';
import type { Clock } from '../platform/clock.ts';
import { systemCtx } from '../platform/context.ts';
import { AppError, type ErrorCode } from './errors.ts';

/** Name of the web session's cookie. */
export const SESSION_COOKIE = 'cordon_session';
/** The session cookie's attributes: HTTP-only, same-site only, Secure over HTTPS, living as long as the session's idle expiry. */
export const sessionCookie = (req: FastifyRequest) => ({ path: '/', httpOnly: true, sameSite: 'strict' as const, secure: req.protocol === 'https', maxAge: SESSION_IDLE_SECONDS });

/** Header a cookie-authenticated write must carry (value `1`). */
export const CSRF_HEADER = 'x-cordon-csrf';

/**
 * How long an API key's principal is reused without asking the store again (seconds): a revoked key (`cordon api-keys
 * revoke`) stops working within this time.
 */
export const API_KEY_CACHE_SECONDS = 10;

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts as (null: anonymous). */
    principal: Principal | null;
  }
}

/** Denials by code since the process started (the counters a metrics endpoint reports). */
export type DenialCounts = Partial<Record<ErrorCode, number>>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The refusals counted (GET /api/metrics): authentication, permission and rate limits. */
const DENIAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNAUTHENTICATED', 'INVALID_CREDENTIALS', 'WRONG_CREDENTIALS', 'WRONG_SIGN_IN_CODE', 'SESSION_EXPIRED', 'FORBIDDEN', 'PASSWORD_CHANGE_REQUIRED', 'CSRF_HEADER_MISSING', 'OUT_OF_SCOPE', 'RATE_LIMITED',
]);

/**
 * Registers the cookie parser and the check every API route goes through, and counts into `denials` every refusal
 * of DENIAL_CODES, whoever throws it (this check, sign-in, a rate limit).
 */
export async function registerAuth(app: FastifyInstance, opts: { store: Store; clock: Clock; denials: DenialCounts }): Promise<void> {
  const { store, clock, denials } = opts;
  await app.register(cookie);
  const keys = new Map<string, { principal: Principal | null; until: number }>();
  const ctx = systemCtx(clock, 'auth');

  const KEY_HEADER = /^Bearer (ck_[A-Za-z0-9_-]{20,100})$/i;
  /** The cached principal of a key (null: known not to be valid), or undefined when the cache has no live answer. */
  function cachedKeyPrincipal(key: string): Principal | null | undefined {
    const hit = keys.get(tokenHash(key));
    return hit && hit.until > clock.now() ? hit.principal : undefined;
  }
  async function keyPrincipal(key: string): Promise<Principal | null> {
    const cached = cachedKeyPrincipal(key);
    if (cached !== undefined) return cached;
    const principal = await apiKeyPrincipal(ctx, store, key);
    if (keys.size > 10_000) keys.clear();
    keys.set(tokenHash(key), { principal, until: clock.now() + API_KEY_CACHE_SECONDS });
    return principal;
  }

  const deny = (code: ErrorCode): never => {
    throw new AppError(code);
  };

  /** The principal of the request's credentials; null when it carries none; a denial when they are not valid. */
  async function principalOf(req: FastifyRequest, action: Action): Promise<Principal | null> {
    const header = req.headers.authorization;
    if (header !== undefined) {
      // The scheme is case-insensitive (RFC 9110); the key is not.
      const m = KEY_HEADER.exec(header);
      const p = m ? await keyPrincipal(m[1]) : null;
      return p ?? deny('INVALID_CREDENTIALS');
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token === undefined) return null;
    // A staff session's token starts cs_, a resident's cr_ (src/services/accounts/residents.ts).
    const p = /^cs_[A-Za-z0-9_-]{20,100}$/.test(token) ? await sessionPrincipal(ctx, store, token)
      : /^cr_[A-Za-z0-9_-]{20,100}$/.test(token) ? await residentSessionPrincipal(ctx, store, token) : null;
    // A stale cookie does not stop what anyone may do (signing in again, reading public data).
    if (!p) return mayAct(null, action) ? null : deny('SESSION_EXPIRED');
    if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== '1') deny('CSRF_HEADER_MISSING');
    return p;
  }

  app.addHook('onError', async (_req, _reply, err) => {
    if (err instanceof AppError && DENIAL_CODES.has(err.code)) denials[err.code] = (denials[err.code] ?? 0) + 1;
  });

  app.decorateRequest('principal', null);

  /** Admits the request as `principal` for `action`, or answers why not (an AppError to pass to done). */
  function admit(req: FastifyRequest, reply: FastifyReply, action: Action, principal: Principal | null): AppError | undefined {
    req.principal = principal;
    // A session in use lives on: its cookie's lifetime starts again with the session's idle expiry.
    if (principal && principal.kind !== 'api_key' && req.headers.authorization === undefined) void reply.setCookie(SESSION_COOKIE, req.cookies[SESSION_COOKIE]!, sessionCookie(req));
    if (principal) req.ctx = { ...req.ctx, actor: { kind: 'api', name: principal.kind === 'api_key' ? `key:${principal.name}` : principal.name }, scope: principal.scope };
    if (mayAct(null, action)) return undefined;
    if (!principal) return new AppError('UNAUTHENTICATED');
    if (principal.mustChangePassword && !SIGNED_IN_ACTIONS.includes(action)) return new AppError('PASSWORD_CHANGE_REQUIRED');
    if (!mayAct(principal.role, action)) return new AppError('FORBIDDEN');
    return undefined;
  }

  // onRequest, before the body is read and validated: a request that may not act learns nothing about its input.
  // A key whose principal is cached is admitted without a promise (a checkpoint's every scan comes this way: the
  // async path cost bench:verify a quarter of its rate, docs/BENCHMARKS.md); anything else asks the store.
  app.addHook('onRequest', (req, reply, done) => {
    const action = req.routeOptions.config?.action;
    if (!action) { done(); return; } // not an API route (the page, the docs, a path no route has)
    const header = req.headers.authorization;
    const key = header === undefined ? null : KEY_HEADER.exec(header)?.[1];
    const cached = key ? cachedKeyPrincipal(key) : undefined;
    if (cached) { done(admit(req, reply, action, cached)); return; }
    principalOf(req, action).then((p) => done(admit(req, reply, action, p)), (err: Error) => done(err));
  });
}
