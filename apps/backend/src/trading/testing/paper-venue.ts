/**
 * Test-only: the real paper exchange of packages/exchanges (imported by path: its package entry
 * does not export it yet), on the wall clock with 1–3 ms latency, one BTC/USDT market, and a
 * tenant's trading fixture (exchange account + profile with capital) in the database.
 */
import { randomUUID } from 'node:crypto';
import { exchangeAccounts, profiles, type Database } from '@kestrel/db';
import { dec, depositTx, ledgerTxId, Ledger } from '@kestrel/trading-core';
import { PaperExchange, PaperMatchingEngine, systemScheduler, uniformLatency, type PaperFaultConfig } from '@kestrel/exchanges';
import { insertLedgerTx } from '../ledger-store.ts';
import type { ExchangeAdapter, VenueProvider } from '../venue.ts';

export { PaperExchange };

export const BTC_USDT = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', minNotional: '5', active: true };

export function paperVenue(opts: { faults?: PaperFaultConfig; seed?: number; price?: number } = {}): PaperExchange {
  const engine = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '100000000', BTC: '1000' }, config: { takerFeeRate: '0.001', makerFeeRate: '0.001' } });
  engine.onTick('BTC/USDT', opts.price ?? 100, Date.now());
  return new PaperExchange({
    engine,
    scheduler: systemScheduler(),
    seed: opts.seed ?? 1,
    latency: { request: uniformLatency(1, 3), response: uniformLatency(1, 3), stream: uniformLatency(1, 3) },
    faults: { timeoutMs: 40, ...opts.faults },
    onListenerError: () => {},
  });
}

/** Every account gets the same venue (tests use one account per venue). */
export function singleVenue(venue: ExchangeAdapter): VenueProvider {
  return { venueFor: () => venue };
}

/**
 * Counts createOrder calls and lookups in the order they happen, so tests can assert "no second
 * createOrder before a lookup".
 */
export function recordCalls(venue: ExchangeAdapter, opts: { stream?: boolean } = {}): { calls: string[] } {
  const calls: string[] = [];
  // Without the stream, only lookups and polls can tell the pipeline what happened.
  if (opts.stream === false) venue.subscribe = () => () => {};
  const create = venue.createOrder.bind(venue);
  const fetch = venue.fetchOrder.bind(venue);
  venue.createOrder = (req) => {
    calls.push(`create:${req.clientOrderId}`);
    return create(req);
  };
  venue.fetchOrder = (ref) => {
    calls.push(`lookup:${ref.clientOrderId}`);
    return fetch(ref);
  };
  return { calls };
}

export async function tradingFixture(database: Database, opts: { capital?: string; riskLimits?: Record<string, unknown> } = {}) {
  const tenantId = randomUUID();
  const accountId = randomUUID();
  const profileId = randomUUID();
  await database.withTenant({ tenantId }, async (tx) => {
    await tx.insert(exchangeAccounts).values({ id: accountId, tenantId, name: 'paper', kind: 'paper', venue: 'paper', paperConfig: {} });
    await tx.insert(profiles).values({
      id: profileId,
      tenantId,
      name: 'bot',
      exchangeAccountId: accountId,
      symbol: 'BTC/USDT',
      timeframe: '1m',
      strategy: 'sma-cross',
      strategyParams: {},
      rules: {},
      riskLimits: opts.riskLimits ?? { priceBand: '0.05', feeRate: '0.001' },
      capitalAllocation: opts.capital ?? '10000',
      quoteCurrency: 'USDT',
      mode: 'paper',
    });
    const deposit = depositTx(new Ledger(profileId), { id: ledgerTxId.deposit('allocation:1'), at: Date.now(), currency: 'USDT', amount: dec(opts.capital ?? '10000') });
    if (!deposit.ok) throw new Error(deposit.error.message);
    await insertLedgerTx(tx, tenantId, deposit.value);
  });
  return { tenantId, accountId, profileId };
}
