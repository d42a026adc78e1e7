import { z } from 'zod';

/**
 * A built-in strategy as clients see it: forms are generated from `paramsSchema`, the JSON Schema
 * (2020-12) of its parameters as a form fills them in (titles, descriptions, bounds, defaults).
 * The server validates with the strategy's own zod schema; its messages come back as
 * `STRATEGY_PARAMS_INVALID` details with paths such as `/strategyParams/fast`.
 */
export const strategyInfoSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    paramsSchema: z.record(z.string(), z.unknown()).describe('JSON Schema 2020-12 of the parameters (input form: fields with defaults may be left out)'),
  })
  .meta({ id: 'StrategyInfo' });
export type StrategyInfo = z.infer<typeof strategyInfoSchema>;

export const strategyListSchema = z.object({ items: z.array(strategyInfoSchema) }).meta({ id: 'StrategyList' });
