import { errorEnvelopeSchema } from '@kestrel/contracts';

/** Declares the error envelope for each listed status, so the OpenAPI document shows every failure a route can answer. */
export function errorResponses<const S extends readonly number[]>(...statuses: S): { [K in S[number]]: typeof errorEnvelopeSchema } {
  return Object.fromEntries(statuses.map((s) => [s, errorEnvelopeSchema])) as { [K in S[number]]: typeof errorEnvelopeSchema };
}

/** Failures of any route behind the bearer guard. */
export const guardedErrors = [401, 403, 429] as const;
