import { z } from 'zod';

/** Options of every parameters object: a clear message when the parameters are not an object at all. */
export const PARAMS_OBJECT = { error: 'parameters must be an object' } as const;

/** Longest indicator window a form may ask for (ring buffers are preallocated at this size). */
export const MAX_PERIOD = 10_000;

/** Shown by generated forms: a label and a help text. */
type FieldText = { readonly title: string; readonly description: string };

/** An indicator period: a whole number of candles with bounds and a default. */
export function periodParam(name: string, text: FieldText, def: number, min = 1, max = MAX_PERIOD) {
  return z
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be a whole number of candles` })
    .min(min, { error: `${name} must be at least ${min}` })
    .max(max, { error: `${name} must be at most ${max}` })
    .default(def)
    .meta(text);
}

/** A strictly positive finite amount (price or quantity). */
export function positiveParam(name: string, text: FieldText) {
  return z
    .number({ error: `${name} must be a number` })
    .positive({ error: `${name} must be greater than 0` })
    .max(1e15, { error: `${name} must be at most 1e15` })
    .meta(text);
}

/** The optional fixed order size of the single-position strategies. */
export const sizeParam = () =>
  positiveParam('size', {
    title: 'Order size',
    description: 'Quantity in the base currency bought on each entry (e.g. 0.01 for 0.01 BTC). Leave empty to size entries from the profile’s stake.',
  }).optional();
