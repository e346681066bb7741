import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('binds this machine only unless HOST opens the server to the network', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('fails listing every bad variable', () => {
    expect(() => loadConfig({ PORT: '70000', CORDON_DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*CORDON_DATABASE_URL|CORDON_DATABASE_URL[\s\S]*PORT/);
  });
});
