import { jwksSchema } from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import type { KeyStore } from '../services/keys.ts';

export function registerJwksRoutes(app: KestrelServer, deps: { keys: KeyStore }): void {
  app.get(
    '/.well-known/jwks.json',
    { schema: { tags: ['keys'], summary: 'Public keys that verify access tokens', response: { 200: jwksSchema } } },
    async (_req, reply) => {
      // Five minutes: verifiers refetch on an unknown kid anyway, and a rotated-out key stays
      // published far longer than this (see services/keys.ts).
      reply.header('cache-control', 'public, max-age=300');
      return deps.keys.jwks();
    },
  );
}
