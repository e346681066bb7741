/**
 * Credentials for the API tests: an app whose `inject` acts, for each request that brings no credentials of its
 * own, as a province-scoped API key of the first role (in PREFERENCE order) that may take the route's action, as a
 * user of that role would. Requests that carry an Authorization header or a cookie are sent as they are (the access
 * tests set their own), and public routes go anonymous. A route only a resident may take (`self:read`) is sent with a
 * resident session of the store's first person. Keys and sessions are entered in the store directly (a fixture):
 * the accounts service's own tests cover issuing them.
 */
import type { FastifyInstance, InjectOptions, RouteOptions } from 'fastify';
import { mayAct, type Action, type Role } from '../src/domain/access.ts';
import { newSecret, tokenHash } from '../src/services/accounts/accounts.ts';
import type { Store } from '../src/storage/store.ts';

/** A role at a region scope, as the API tests name who acts: `[role, division code]`. */
export type Actor = readonly [Role, string];

/** Roles the tests act as, the first that may take a route's action; all take a province scope. */
export const PREFERENCE: readonly Role[] = ['provincial_command', 'cdc_investigator', 'administrator', 'checkpoint_staff', 'lab', 'auditor', 'quarantine_staff', 'hospital', 'agency_feed'];

export interface RouteAction { methods: string[]; url: string; action: Action }

/** Collects the API routes and their actions as an app registers them (pass `onRoute` to buildApp). */
export function routeCollector(): { routes: RouteAction[]; onRoute: (r: RouteOptions) => void } {
  const routes: RouteAction[] = [];
  return {
    routes,
    onRoute: (r) => {
      const action = (r.config as { action?: Action } | undefined)?.action;
      if (action && r.url.startsWith('/api/')) routes.push({ methods: [r.method].flat().map(String), url: r.url, action });
    },
  };
}

/** The route a method and path reach: static segments before parameters, as Fastify's router prefers. */
export function routeMatcher(routes: RouteAction[]): (method: string, path: string) => RouteAction | undefined {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const compiled = routes
    .map((r) => ({ r, params: (r.url.match(/:/g) ?? []).length, re: new RegExp(`^${r.url.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : escape(seg))).join('/')}$`) }))
    .sort((a, b) => a.params - b.params);
  return (method, path) => compiled.find((c) => c.r.methods.includes(method) && c.re.test(path))?.r;
}

/** Enters a province-scoped API key for each role of PREFERENCE; returns the keys. */
export async function roleKeys(store: Store, scope = '43', roles: readonly Role[] = PREFERENCE): Promise<Map<Role, string>> {
  const keys = new Map<Role, string>();
  for (const role of roles) {
    const key = newSecret('ck_');
    await store.accounts.addApiKey({ name: `test-${role}-${scope}-${key.slice(3, 11)}`, keyHash: tokenHash(key), keyPrefix: key.slice(0, 7), role, agencyId: null, regionCode: scope, createdAt: 0 });
    keys.set(role, key);
  }
  return keys;
}

const ORIGINAL = new WeakMap<FastifyInstance, FastifyInstance['inject']>();

/** The app's own `inject`, which sends a request as it is given (no credentials added). */
export const injectAsGiven = (app: FastifyInstance): FastifyInstance['inject'] => ORIGINAL.get(app) ?? app.inject.bind(app);

/** Makes `app.inject` act as a role that may take each request's action (see the module's comment). */
export async function actAsPermittedRoles(app: FastifyInstance, store: Store, routes: RouteAction[]): Promise<void> {
  const keys = await roleKeys(store);
  const find = routeMatcher(routes);
  let resident: string | undefined;
  const residentSession = async () => {
    if (resident) return resident;
    const first = (await store.persons.list({}, { limit: 1 })).items[0];
    if (!first) throw new Error('a resident route needs a person in the store');
    resident = newSecret('cr_');
    await store.accounts.addResidentSession(tokenHash(resident), first.id, 0, 4_000_000_000);
    return resident;
  };
  // Made now when the store has persons already, so a test counting rows around its requests sees none appear.
  if ((await store.persons.list({}, { limit: 1 })).items.length > 0) await residentSession();
  const inject = app.inject.bind(app);
  ORIGINAL.set(app, inject);
  app.inject = ((opts?: InjectOptions | string) => {
    if (typeof opts !== 'object') return inject(opts as never);
    const headers = { ...(opts.headers ?? {}) } as Record<string, string>;
    const url = typeof opts.url === 'string' ? opts.url : opts.path;
    if (headers.authorization === undefined && headers.cookie === undefined && opts.cookies === undefined && typeof url === 'string') {
      const route = find((opts.method ?? 'GET').toUpperCase(), url.split('?')[0]);
      const role = route && !mayAct(null, route.action) ? PREFERENCE.find((r) => mayAct(r, route.action)) : undefined;
      if (role) headers.authorization = `Bearer ${keys.get(role)}`;
      else if (route && mayAct('resident', route.action) && !mayAct(null, route.action)) {
        return (async () => inject({ ...opts, headers: { ...headers, 'x-cordon-csrf': '1', cookie: `cordon_session=${await residentSession()}` } }))() as never;
      }
    }
    return inject({ ...opts, headers });
  }) as typeof app.inject;
}

/**
 * The API tests' actors: `enter` puts in the store an API key for each role at its scope (the keys of an earlier
 * `enter` forgotten), and `as` sends a request as one of them, with its key and nothing added. `app` is read at each
 * request (tests build a new app per test).
 */
export function actorKeys(app: () => FastifyInstance) {
  const keys = new Map<string, string>();
  return {
    async enter(store: Store, actors: readonly Actor[]): Promise<void> {
      keys.clear();
      for (const [role, scope] of actors) for (const [, key] of await roleKeys(store, scope, [role])) keys.set(`${role}@${scope}`, key);
    },
    /** The key of `role` at `scope` (entered by `enter`). */
    key: (role: Role, scope: string): string | undefined => keys.get(`${role}@${scope}`),
    as: (role: Role, scope: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      injectAsGiven(app())({ method, url, payload, headers: { authorization: `Bearer ${keys.get(`${role}@${scope}`)}` } }),
  };
}
