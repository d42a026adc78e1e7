import { z } from 'zod';

/**
 * ccxt's unified structures as Kestrel accepts them. ccxt parses venue JSON into numbers and
 * leaves `undefined` where the venue said nothing; a venue can still send NaN, negatives,
 * absurdly large values or nothing at all. Only what the adapter reads is checked.
 */
const amount = z.number().nonnegative().lt(1e18);
const positive = z.number().positive().lt(1e18);
const time = z.number().int().nonnegative().lt(8.64e15);
const name = z.string().min(1).max(200);

export const ccxtMarketSchema = z.object({
  symbol: name,
  base: name,
  quote: name,
  active: z.boolean().nullish(),
  spot: z.boolean().nullish(),
  precision: z.object({ amount: positive, price: positive }),
  limits: z.object({
    amount: z.object({ min: amount.nullish() }).nullish(),
    cost: z.object({ min: amount.nullish() }).nullish(),
  }),
});

export const ccxtTickerSchema = z.object({
  symbol: name,
  timestamp: time.nullish(),
  last: positive,
  bid: amount.nullish(),
  ask: amount.nullish(),
});

export const ccxtOhlcvSchema = z.array(z.tuple([time, amount, amount, amount, amount, amount]).rest(z.unknown()));

const level = z.tuple([positive, amount]).rest(z.unknown());
export const ccxtOrderBookSchema = z.object({
  bids: z.array(level),
  asks: z.array(level),
  timestamp: time.nullish(),
});

export const ccxtBalanceSchema = z.object({
  free: z.record(z.string(), amount.nullish()),
  used: z.record(z.string(), amount.nullish()),
  total: z.record(z.string(), amount.nullish()),
});

export const ccxtOrderSchema = z.object({
  id: name,
  clientOrderId: z.string().max(200).nullish(),
  symbol: name,
  type: name,
  side: z.enum(['buy', 'sell']),
  status: z.enum(['open', 'closed', 'canceled', 'expired', 'rejected', 'canceling']),
  amount: positive,
  filled: amount,
  average: amount.nullish(),
  price: amount.nullish(),
  triggerPrice: amount.nullish(),
  timeInForce: z.string().nullish(),
  timestamp: time,
  lastUpdateTimestamp: time.nullish(),
  lastTradeTimestamp: time.nullish(),
  info: z.record(z.string(), z.unknown()).nullish(),
});
export type CcxtOrder = z.infer<typeof ccxtOrderSchema>;

export const ccxtTradeSchema = z.object({
  id: name,
  order: name,
  symbol: name,
  side: z.enum(['buy', 'sell']),
  price: positive,
  amount: positive,
  takerOrMaker: z.enum(['taker', 'maker']),
  fee: z.object({ cost: z.number().gt(-1e18).lt(1e18), currency: name }),
  timestamp: time,
});
export type CcxtTrade = z.infer<typeof ccxtTradeSchema>;
