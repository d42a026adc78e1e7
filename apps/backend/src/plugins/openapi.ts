import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { KestrelServer } from '@kestrel/server-kit';

/** OpenAPI 3.1 generated from the routes' zod schemas: UI at /docs, document at /docs/json. */
export async function registerOpenApi(app: KestrelServer): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kestrel backend API',
        version: '0.1.0',
        description:
          'REST API of Kestrel. Authenticate with an access token from platform-service (POST /auth/login on :4003) as `Authorization: Bearer <token>`. Errors use one envelope: `{ error: { code, message, requestId, details? } }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
