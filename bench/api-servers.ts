/**
 * Child process of bench/api.bench.ts: serves the routes under test so the load generator
 * (autocannon, in the parent) does not share this process's event loop. Prints one JSON line
 * with the URLs and a trader's access token, then runs until killed.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { startTestStack } from '@kestrel/test-stack';
import type { DbKind } from '@kestrel/db';

const kind = (process.argv[2] ?? 'pglite') as DbKind;

const bare = Fastify({ logger: false });
bare.get('/bare', async () => ({ theme: 'system', timezone: 'UTC', locale: 'en-US' }));
await bare.listen({ host: '127.0.0.1', port: 0 });

const stack = await startTestStack({
  kind,
  // Production settings but for the limits: the load comes from one IP and one user by design.
  backend: { RATE_LIMIT_IP_PER_MINUTE: 0, RATE_LIMIT_USER_PER_MINUTE: 0, LOG_LEVEL: 'warn', DATABASE_POOL_SIZE: 10 },
  platform: { ACCESS_TOKEN_TTL_SECONDS: 3600 },
});
const pair = await stack.platform.login('trader', 'kestrel-trader-demo');
// Give the user a stored preferences row, so the route reads a real row, not defaults.
await stack.api('/api/user/preferences', { method: 'PUT', token: pair.accessToken, body: { theme: 'dark' } });

process.stdout.write(
  JSON.stringify({
    bareUrl: `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/bare`,
    apiUrl: `${stack.backend.url}/api/user/preferences`,
    token: pair.accessToken,
  }) + '\n',
);
const stop = async () => {
  await bare.close();
  await stack.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
