import type { OrderSide } from '../port.ts';

export interface SlippageInput {
  readonly side: OrderSide;
  /** Base quantity of this fill. */
  readonly quantity: number;
  /** The reference price before slippage. */
  readonly price: number;
  /** Volume of the current bar or tick (base units); NaN when unknown. */
  readonly volume: number;
}

/** Adverse price move for a taker fill, in basis points (1 bp = 0.01 %). Must be deterministic. */
export type SlippageModel = (input: SlippageInput) => number;

export const noSlippage: SlippageModel = () => 0;

export function fixedSlippage(bps: number): SlippageModel {
  assertBps(bps);
  return () => bps;
}

/**
 * Size-dependent slippage: `bps` always, plus `bpsPerUnit` per unit of base quantity, plus
 * `bpsPerVolumeShare` × (quantity / bar volume) — e.g. 50 means taking the whole bar's volume
 * costs 50 bps more than a tiny order.
 */
export function sizeDependentSlippage(options: { bps?: number; bpsPerUnit?: number; bpsPerVolumeShare?: number }): SlippageModel {
  const base = options.bps ?? 0;
  const perUnit = options.bpsPerUnit ?? 0;
  const perShare = options.bpsPerVolumeShare ?? 0;
  for (const v of [base, perUnit, perShare]) assertBps(v);
  return ({ quantity, volume }) => base + perUnit * quantity + (volume > 0 ? (perShare * quantity) / volume : 0);
}

function assertBps(bps: number): void {
  if (!Number.isFinite(bps) || bps < 0) throw new RangeError(`slippage must be a non-negative number of bps, got ${bps}`);
}
