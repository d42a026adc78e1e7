import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('platform config', () => {
  it('has working defaults for every variable', () => {
    expect(loadConfig({})).toEqual({
      PLATFORM_HOST: '127.0.0.1',
      PLATFORM_PORT: 4003,
      DATABASE_URL: undefined,
      PLATFORM_DATA_DIR: '.data/platform',
      LOG_LEVEL: 'info',
      JWT_ISSUER: 'http://localhost:4003',
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_SECONDS: 2_592_000,
      LOGIN_MAX_FAILURES_PER_USER: 5,
      LOGIN_MAX_FAILURES_PER_IP: 20,
      LOGIN_THROTTLE_WINDOW_SECONDS: 900,
      SEED_DEMO: true,
      RATE_LIMIT_PER_MINUTE: 600,
      TRUST_PROXY: false,
    });
  });

  it('parses strings from the environment; an empty DATABASE_URL means PGlite', () => {
    const c = loadConfig({ PLATFORM_PORT: '0', SEED_DEMO: 'false', DATABASE_URL: '', ACCESS_TOKEN_TTL_SECONDS: '60', TRUST_PROXY: '1' });
    expect(c).toMatchObject({ PLATFORM_PORT: 0, SEED_DEMO: false, DATABASE_URL: undefined, ACCESS_TOKEN_TTL_SECONDS: 60, TRUST_PROXY: true });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).DATABASE_URL).toBe('postgres://u@h:5432/db');
  });

  it('lists every invalid variable in one error', () => {
    expect(() => loadConfig({ PLATFORM_PORT: '99999', LOGIN_MAX_FAILURES_PER_USER: '0', SEED_DEMO: 'maybe', DATABASE_URL: 'not a url' })).toThrow(
      /PLATFORM_PORT[\s\S]*DATABASE_URL[\s\S]*LOGIN_MAX_FAILURES_PER_USER[\s\S]*SEED_DEMO/,
    );
  });
});
