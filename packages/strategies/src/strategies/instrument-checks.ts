import { dec, decToString, roundPrice, roundQty, type Instrument } from '@kestrel/trading-core';
import { StrategyParamsError } from '../errors.ts';

/**
 * Checks that can only be made once the instrument is known (create's optional argument): a
 * quantity that rounds down to nothing at the lot size would have every order denied.
 */
export function checkQuantityForInstrument(strategyId: string, field: string, qty: number | undefined, instrument: Instrument | undefined): void {
  if (qty === undefined || instrument === undefined) return;
  if (!roundQty(instrument, dec(qty)).greaterThan(0)) {
    throw new StrategyParamsError(strategyId, [
      {
        code: 'custom',
        path: [field],
        input: qty,
        message: `${field} (${qty}) rounds down to 0 at the lot size ${decToString(instrument.lotSize)} of ${instrument.symbol}`,
      },
    ]);
  }
}

/** The price rounded to the instrument's tick (nearest), as a float. */
export function roundToTick(price: number, instrument: Instrument): number {
  return roundPrice(instrument, dec(price), 'nearest').toNumber();
}
