/**
 * The API's gate on both engines: every registered route x every role, 401 without credentials, 403 with a stable
 * code for a role the catalogue does not allow; web sessions (cookie flags, CSRF header, one-time passwords, sign
 * out, expiry, disabled users, forged cookies) and API keys (malformed, unknown, revoked). Each probe carries a query
 * parameter no route takes, so a request that passes the gate stops at validation (400) and changes nothing.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { injectAsGiven, roleKeys, routeCollector, type RouteAction } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { MINI_REGIONS } from '../../test/fixtures.ts';
import { mayAct, ROLES, type Role } from '../domain/access.ts';
import { SettableClock } from '../platform/clock.ts';
import { systemCtx } from '../platform/context.ts';
import { addUser, disableUser, issueApiKey, revokeApiKey, SESSION_IDLE_SECONDS } from '../services/accounts/accounts.ts';
import type { Store } from '../storage/store.ts';
import { API_SECURITY_HEADERS } from './app.ts';
import { API_KEY_CACHE_SECONDS } from './auth.ts';
import { SIGN_IN_PER_MINUTE } from './routes/session/index.ts';
import { ERRORS } from './errors.ts';

const NOW = 1_790_000_000;
/** A scope each role may hold (the roles scoped to a community or grid get the fixture's grid). */
const SCOPE: Record<Role, string> = Object.fromEntries(ROLES.map((r) => [r, ['grid_worker'].includes(r) ? '43010200100101' : ['quarantine_staff', 'hospital'].includes(r) ? '4301' : r === 'enterprise_liaison' ? '430102' : '43'])) as Record<Role, string>;

const code = (r: LightMyRequestResponse) => (r.statusCode >= 400 ? (r.json() as { error: { code: string } }).error.code : 'ok');

describeEachEngine('api: access', (engine) => {
  let app: FastifyInstance, store: Store, close: () => Promise<void>;
  const clock = new SettableClock(NOW);
  const ctx = systemCtx(clock);
  const collected = routeCollector();
  let routes: RouteAction[] = [];
  const keys = new Map<Role, string>();

  beforeAll(async () => {
    ({ app, store, close } = await testApp(engine, async (s) => { await s.regions.insertMany(MINI_REGIONS); }, { clock, onRoute: collected.onRoute }));
    routes = collected.routes;
    for (const role of ROLES) {
      if (role === 'resident') continue;
      for (const [r, key] of await roleKeys(store, SCOPE[role], [role])) keys.set(r, key);
    }
  });
  afterAll(async () => close());

  /** A request sent as given (no credentials added), with a query parameter no route takes. */
  const probe = (method: string, url: string, headers: Record<string, string> = {}) =>
    injectAsGiven(app)({ method: method as 'GET', url: `${url.replace(/:(\w+)/g, '1')}?probe=1`, headers });

  it('answers every non-public route 401 UNAUTHENTICATED without credentials, and lets the public ones through', async () => {
    expect(routes.length).toBeGreaterThan(50);
    const wrong: string[] = [];
    for (const r of routes) {
      for (const m of r.methods.filter((x) => x !== 'HEAD')) {
        const res = await probe(m, r.url);
        const want = mayAct(null, r.action) ? 'VALIDATION_FAILED' : 'UNAUTHENTICATED';
        if (code(res) !== want) wrong.push(`${m} ${r.url}: ${code(res)}, want ${want}`);
        else if (want === 'UNAUTHENTICATED') expect(res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: ERRORS.UNAUTHENTICATED.message } });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets each role through to exactly the routes of its actions, and answers the others 403 FORBIDDEN (role x route)', async () => {
    const wrong: string[] = [];
    let allowed = 0, denied = 0;
    for (const role of ROLES.filter((r) => r !== 'resident')) {
      for (const r of routes) {
        for (const m of r.methods.filter((x) => x !== 'HEAD')) {
          const res = await probe(m, r.url, { authorization: `Bearer ${keys.get(role)}` });
          const want = mayAct(role, r.action) ? 'VALIDATION_FAILED' : 'FORBIDDEN';
          if (want === 'FORBIDDEN') denied++; else allowed++;
          if (code(res) !== want) wrong.push(`${role} ${m} ${r.url} (${r.action}): ${code(res)}, want ${want}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(allowed).toBeGreaterThan(100);
    expect(denied).toBeGreaterThan(300);
    const forbidden = await probe('GET', '/api/overview', { authorization: `Bearer ${keys.get('lab')}` });
    expect(forbidden.json()).toEqual({ error: { code: 'FORBIDDEN', message: ERRORS.FORBIDDEN.message } });
    expect(app.cordon.denials.FORBIDDEN).toBeGreaterThanOrEqual(denied);
    // The counters, in Prometheus's text format, for administrators and auditors.
    const metrics = await injectAsGiven(app)({ method: 'GET', url: '/api/metrics', headers: { authorization: `Bearer ${keys.get('auditor')}` } });
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('# TYPE cordon_denials_total counter');
    expect(Number(/cordon_denials_total\{code="FORBIDDEN"\} (\d+)/.exec(metrics.body)?.[1])).toBe(app.cordon.denials.FORBIDDEN);
  });

  it('refuses a malformed Authorization header, an unknown key and, within the cache time, a revoked one with 401 INVALID_CREDENTIALS', async () => {
    // The scheme is case-insensitive: `bearer KEY` is a key like `Bearer KEY`.
    expect(code(await probe('GET', '/api/regions', { authorization: `bearer ${keys.get('lab')}` }))).toBe('VALIDATION_FAILED');
    for (const authorization of ['Bearer', 'Basic YWRtaW46YWRtaW4=', 'Bearer ck_not-a-key-that-exists-anywhere-0000', `Bearer ${keys.get('lab')} x`]) {
      expect(code(await probe('GET', '/api/overview', { authorization })), authorization).toBe('INVALID_CREDENTIALS');
      // Even on a public route: a device with a bad key learns so.
      expect(code(await probe('GET', '/api/health', { authorization })), authorization).toBe('INVALID_CREDENTIALS');
    }
    const { key } = await issueApiKey(ctx, store, { name: 'gate-9', role: 'checkpoint_staff', regionCode: '430102' });
    const verify = () => app.inject({ method: 'POST', url: '/api/codes/verify', headers: { authorization: `Bearer ${key}` }, payload: {} });
    expect(code(await verify())).toBe('VALIDATION_FAILED');
    expect((await store.accounts.apiKeyByName('gate-9'))!.lastUsedAt).toBe(clock.now());
    await revokeApiKey(ctx, store, 'gate-9');
    clock.advance(API_KEY_CACHE_SECONDS);
    expect(code(await verify())).toBe('INVALID_CREDENTIALS');
    expect(app.cordon.denials.INVALID_CREDENTIALS).toBeGreaterThan(0);
  });

  it('sends security headers on API answers, the documentation and the page, and no CORS headers to another origin', async () => {
    for (const url of ['/api/health', '/api/codes/verify', '/api/no-such-route']) {
      const r = await injectAsGiven(app)({ method: url === '/api/codes/verify' ? 'POST' : 'GET', url, headers: { origin: 'https://elsewhere.example' }, ...(url === '/api/codes/verify' ? { payload: {} } : {}) });
      expect(r.statusCode, url).toBe(url === '/api/health' ? 200 : url === '/api/no-such-route' ? 404 : 401);
      // An answer of the API (or a refusal of one) can be neither loaded as a script or style nor framed, nor cached.
      expect(r.headers['content-security-policy'], url).toMatch(/default-src 'none'|default-src 'self'/);
      expect(r.headers['content-security-policy'], url).toMatch(/frame-ancestors '(none|self)'/);
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['x-frame-options'], url).toMatch(/^(DENY|SAMEORIGIN)$/);
      expect(r.headers['access-control-allow-origin'], url).toBeUndefined();
    }
    const api = await injectAsGiven(app)({ method: 'GET', url: '/api/health' });
    for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) expect(api.headers[name], name).toBe(value);
    for (const url of ['/docs/', '/']) {
      const r = await injectAsGiven(app)({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(r.headers['content-security-policy'], url).toContain("frame-ancestors 'self'");
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(r.headers['cache-control'], url).not.toBe('no-store');
    }
  });

  it('answers a path a route has, asked with another method, 405 METHOD_NOT_ALLOWED naming the methods; an unknown /api path 404 with the API\'s headers', async () => {
    const put = await injectAsGiven(app)({ method: 'PUT', url: '/api/session' });
    expect([put.statusCode, put.json().error.code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
    expect(put.headers.allow).toBe('DELETE, GET, HEAD, POST');
    const del = await injectAsGiven(app)({ method: 'DELETE', url: '/api/persons/12' });
    expect([del.statusCode, del.json().error.code, del.headers.allow]).toEqual([405, 'METHOD_NOT_ALLOWED', 'GET, HEAD, PATCH']);
    const unknown = await injectAsGiven(app)({ method: 'GET', url: '/api/no/such/thing' });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) expect(unknown.headers[name], name).toBe(value);
  });

  {
    const signIn = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
    const cookieOf = (r: LightMyRequestResponse) => r.cookies.find((c) => c.name === 'cordon_session')!;

    it('signs in with a password, sets an HTTP-only, same-site cookie, and answers who is signed in and what the role may do', async () => {
      await addUser(ctx, store, { username: 'li.si', displayName: '李四', agency: { name: '长沙市疾控中心', kind: 'public_health' }, role: 'cdc_investigator', regionCode: '4301', password: 'correct horse' });
      expect(code(await signIn('li.si', 'wrong horse!'))).toBe('WRONG_CREDENTIALS');
      expect(code(await signIn('nobody', 'correct horse'))).toBe('WRONG_CREDENTIALS');
      expect((await signIn('nobody', 'correct horse')).json().error.message).toBe(ERRORS.WRONG_CREDENTIALS.message);
      const r = await signIn('li.si', 'correct horse');
      expect(r.statusCode).toBe(200);
      const c = cookieOf(r);
      expect(c).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(c.value).toMatch(/^cs_/);
      expect(r.json()).toMatchObject({ user: { kind: 'user', name: 'li.si', role: 'cdc_investigator', region: '4301', regionName: '长沙市', agency: '长沙市疾控中心' }, mustChangePassword: false });
      expect(r.json().actions).toContain('cases:confirm');
      expect(r.json().actions).not.toContain('codes:keys-rotate');
      const cookies = { cordon_session: c.value };
      const again = await app.inject({ method: 'GET', url: '/api/session', cookies });
      expect(again.json().user.name).toBe('li.si');
      // Each use gives the cookie its full idle lifetime again.
      expect(cookieOf(again)).toMatchObject({ value: c.value, maxAge: SESSION_IDLE_SECONDS, httpOnly: true, sameSite: 'Strict' });
      const wrongBefore = app.cordon.denials.WRONG_CREDENTIALS ?? 0;
      await signIn('li.si', 'wrong horse!');
      expect(app.cordon.denials.WRONG_CREDENTIALS).toBe(wrongBefore + 1);
      expect(code(await app.inject({ method: 'GET', url: '/api/overview?probe=1', cookies }))).toBe('VALIDATION_FAILED');
      expect(code(await app.inject({ method: 'GET', url: '/api/codes/keys?probe=1', cookies }))).toBe('FORBIDDEN');
      // A write with the cookie needs the CSRF header; with it, the request goes through to validation.
      expect(code(await app.inject({ method: 'POST', url: '/api/cases?probe=1', cookies, payload: {} }))).toBe('CSRF_HEADER_MISSING');
      expect(code(await app.inject({ method: 'POST', url: '/api/cases?probe=1', cookies, headers: { 'x-cordon-csrf': '1' }, payload: {} }))).toBe('VALIDATION_FAILED');
      // Sign out: the cookie is cleared and the session no longer works; public routes still answer.
      const out = await app.inject({ method: 'DELETE', url: '/api/session', cookies, headers: { 'x-cordon-csrf': '1' } });
      expect(out.statusCode).toBe(204);
      expect(cookieOf(out).value).toBe('');
      expect(code(await app.inject({ method: 'GET', url: '/api/session', cookies }))).toBe('SESSION_EXPIRED');
      expect(code(await app.inject({ method: 'GET', url: '/api/health', cookies }))).toBe('ok');
    });

    it('refuses a forged cookie, an expired session and a disabled user\'s session with 401 SESSION_EXPIRED', async () => {
      await addUser(ctx, store, { username: 'wang.wu', displayName: '王五', agency: { name: '省指挥部', kind: 'command_centre' }, role: 'provincial_command', regionCode: '43', password: 'a good password' });
      for (const forged of ['cs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'admin', '../../etc/passwd']) {
        expect(code(await app.inject({ method: 'GET', url: '/api/overview', cookies: { cordon_session: forged } })), forged).toBe('SESSION_EXPIRED');
      }
      const cookies = { cordon_session: cookieOf(await signIn('wang.wu', 'a good password')).value };
      clock.advance(SESSION_IDLE_SECONDS - 1);
      expect(code(await app.inject({ method: 'GET', url: '/api/session', cookies }))).toBe('ok');
      // Used just now: idle time starts again.
      clock.advance(SESSION_IDLE_SECONDS - 1);
      expect(code(await app.inject({ method: 'GET', url: '/api/session', cookies }))).toBe('ok');
      clock.advance(SESSION_IDLE_SECONDS + 1);
      expect(code(await app.inject({ method: 'GET', url: '/api/session', cookies }))).toBe('SESSION_EXPIRED');
      const again = { cordon_session: cookieOf(await signIn('wang.wu', 'a good password')).value };
      await disableUser(ctx, store, 'wang.wu');
      expect(code(await app.inject({ method: 'GET', url: '/api/session', cookies: again }))).toBe('SESSION_EXPIRED');
      expect(code(await signIn('wang.wu', 'a good password'))).toBe('WRONG_CREDENTIALS');
      expect(app.cordon.denials.SESSION_EXPIRED).toBeGreaterThanOrEqual(5);
    });

    it('limits sign-in attempts for one username from one address, and not the next user\'s', async () => {
      for (let i = 0; i < SIGN_IN_PER_MINUTE; i++) expect(code(await signIn('guessed.user', `guess ${i}`))).toBe('WRONG_CREDENTIALS');
      const limited = await signIn('guessed.user', 'guess again');
      expect(code(limited)).toBe('RATE_LIMITED');
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(code(await signIn('another.user', 'a guess'))).toBe('WRONG_CREDENTIALS');
    });

    it('holds a user with a one-time password to changing it, then opens the role\'s routes', async () => {
      const { oneTimePassword } = await addUser(ctx, store, { username: 'zhao.liu', displayName: '赵六', agency: { name: '长沙市指挥部', kind: 'command_centre' }, role: 'city_command', regionCode: '4301' });
      const r = await signIn('zhao.liu', oneTimePassword!);
      expect(r.json()).toMatchObject({ mustChangePassword: true, actions: ['session:read', 'session:sign-out', 'session:change-password'] });
      const cookies = { cordon_session: cookieOf(r).value };
      const headers = { 'x-cordon-csrf': '1' };
      expect(code(await app.inject({ method: 'GET', url: '/api/overview?probe=1', cookies }))).toBe('PASSWORD_CHANGE_REQUIRED');
      const change = (currentPassword: string, newPassword: string) => app.inject({ method: 'POST', url: '/api/session/password', cookies, headers, payload: { currentPassword, newPassword } });
      expect(code(await change('not the one', 'my own password'))).toBe('WRONG_CREDENTIALS');
      expect(code(await change(oneTimePassword!, 'short'))).toBe('VALIDATION_FAILED');
      expect(code(await change(oneTimePassword!, oneTimePassword!))).toBe('VALIDATION_FAILED');
      // A second session of the same user, opened before the change, ends with it; the one it was made in lives on.
      const other = { cordon_session: cookieOf(await signIn('zhao.liu', oneTimePassword!)).value };
      const changed = await change(oneTimePassword!, 'my own password');
      expect(code(await app.inject({ method: 'GET', url: '/api/session', cookies: other }))).toBe('SESSION_EXPIRED');
      expect(changed.json()).toMatchObject({ mustChangePassword: false });
      expect(changed.json().actions).toContain('overview:read');
      expect(code(await app.inject({ method: 'GET', url: '/api/overview?probe=1', cookies }))).toBe('VALIDATION_FAILED');
      expect(code(await signIn('zhao.liu', oneTimePassword!))).toBe('WRONG_CREDENTIALS');
      expect(code(await signIn('zhao.liu', 'my own password'))).toBe('ok');
      // Guessing the current password is limited as signing in is.
      let limited = 'none';
      for (let i = 0; i <= SIGN_IN_PER_MINUTE && limited === 'none'; i++) if (code(await change(`guess number ${i}`, 'another password')) === 'RATE_LIMITED') limited = `after ${i}`;
      expect(limited).not.toBe('none');
      // A key has no password to change.
      expect(code(await app.inject({ method: 'POST', url: '/api/session/password', headers: { authorization: `Bearer ${keys.get('lab')}` }, payload: { currentPassword: 'x', newPassword: 'long enough new' } }))).toBe('FORBIDDEN');
    });
  }
});
