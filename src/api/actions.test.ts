/**
 * Every API route declares the action it takes (src/domain/access.ts), from the app's own registrations, so a new
 * route without one fails here and when the app is built.
 */
import type { RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { ACTIONS, PUBLIC_ACTIONS } from '../domain/access.ts';

describe('route actions', () => {
  it('declares an action of the catalogue on every API route, and a public one only where no account is needed', async () => {
    const registered: RouteOptions[] = [];
    const { app, close } = await testApp('sqlite', async () => undefined, { onRoute: (r) => { registered.push(r); } });
    try {
      const api = registered.filter((r) => r.url.startsWith('/api/'));
      expect(api.length).toBeGreaterThan(50);
      const undeclared = api.filter((r) => !(ACTIONS as readonly string[]).includes(r.config?.action ?? '')).map((r) => `${[r.method].flat().join(',')} ${r.url}`);
      expect(undeclared).toEqual([]);
      const open = new Set(api.filter((r) => PUBLIC_ACTIONS.includes(r.config!.action!)).map((r) => r.url));
      expect([...open].sort()).toEqual(['/api/geo/cities', '/api/health', '/api/protocol', '/api/public/notices', '/api/public/places', '/api/public/same-trip', '/api/resident/code', '/api/resident/session', '/api/risk-areas', '/api/risk-areas/:regionCode/history', '/api/session']);
      // A route added without an action is refused when it is registered.
      expect(() => app.get('/api/undeclared', async () => 'open')).toThrow(/GET \/api\/undeclared: declares no action/);
      expect(() => app.get('/api/misdeclared', { config: { action: 'cases:everything' as never } }, async () => 'open')).toThrow(/declares no action/);
    } finally {
      await close();
    }
  });
});
