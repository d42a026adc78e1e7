import { strategyListSchema, type StrategyInfo } from '@kestrel/contracts';
import { STRATEGY_IDS, strategies, strategyParamsJsonSchema } from '@kestrel/strategies';
import type { KestrelServer } from '@kestrel/server-kit';
import { ANY_ROLE } from '../plugins/auth.ts';
import { errorResponses } from './error-responses.ts';

/**
 * The built-in strategies with the JSON Schema of their parameters: clients generate their
 * configuration forms from it, so a new strategy needs no client change. Built once: the registry
 * is fixed at build time.
 */
export function registerStrategyRoutes(app: KestrelServer): void {
  const items: StrategyInfo[] = STRATEGY_IDS.map((id) => ({
    id,
    name: strategies[id].name,
    description: strategies[id].description,
    paramsSchema: strategyParamsJsonSchema(id),
  }));
  app.get(
    '/api/strategies',
    {
      config: { access: ANY_ROLE },
      schema: { tags: ['profiles'], summary: 'Built-in strategies and the JSON Schema of their parameters (forms are generated from it)', security: [{ bearer: [] }], response: { 200: strategyListSchema, ...errorResponses } },
    },
    async () => ({ items }),
  );
}
