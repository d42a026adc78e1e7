import { randomUUID } from 'node:crypto';
import { DEMO_TENANT_ID } from '@kestrel/contracts';
import { eq, exchangeAccounts, profiles, sql, type Database } from '@kestrel/db';
import { dec, depositTx, Ledger, ledgerTxId } from '@kestrel/trading-core';
import { insertLedgerTx } from '../ledger-store.ts';

/** The demo bot of `npm start`: trades the replayed BTC/USDT market from the first minute. */
export const DEMO_PROFILE = {
  name: 'Demo BTC bot',
  symbol: 'BTC/USDT',
  strategy: 'sma-cross',
  // Fast averages on the replay's 1-second bars: a crossing every ~15 bars, a buy every ~30 s.
  strategyParams: { fast: 5, slow: 20, size: 0.05 },
  capital: '100000',
  riskLimits: { maxOrderNotional: '20000', maxPositionNotional: '50000', maxDailyLoss: '5000', priceBand: '0.02', feeRate: '0.001', orderRate: { maxOrders: 30, windowMs: 60_000 } },
} as const;

/**
 * Gives the demo tenant (created by platform-service with the fixed DEMO_TENANT_ID) a paper
 * exchange account and a RUNNING demo profile, once: when the tenant has no exchange account
 * yet. Later starts change nothing (a stopped demo bot stays stopped). Returns whether it did.
 */
export async function seedDemoTrading(database: Database, timeframe: string, log: (message: string) => void = () => {}): Promise<boolean> {
  const tenantId = DEMO_TENANT_ID;
  const seeded = await database.withTenant({ tenantId }, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('kestrel_seed_demo_trading'))`);
    const existing = await tx.select({ id: exchangeAccounts.id }).from(exchangeAccounts).where(eq(exchangeAccounts.tenantId, tenantId)).limit(1);
    if (existing.length > 0) return false;
    const accountId = randomUUID();
    const profileId = randomUUID();
    await tx.insert(exchangeAccounts).values({ id: accountId, tenantId, name: 'Paper (replay)', kind: 'paper', venue: 'paper', paperConfig: {} });
    await tx.insert(profiles).values({
      id: profileId,
      tenantId,
      name: DEMO_PROFILE.name,
      exchangeAccountId: accountId,
      symbol: DEMO_PROFILE.symbol,
      timeframe,
      strategy: DEMO_PROFILE.strategy,
      strategyParams: DEMO_PROFILE.strategyParams,
      rules: {},
      riskLimits: DEMO_PROFILE.riskLimits,
      capitalAllocation: DEMO_PROFILE.capital,
      quoteCurrency: 'USDT',
      mode: 'paper',
      status: 'running',
    });
    const deposit = depositTx(new Ledger(profileId), { id: ledgerTxId.deposit('allocation:1'), at: Date.now(), currency: 'USDT', amount: dec(DEMO_PROFILE.capital), memo: 'capital allocation' });
    if (!deposit.ok) throw new Error(deposit.error.message);
    await insertLedgerTx(tx, tenantId, deposit.value);
    return true;
  });
  if (seeded) log(`seeded the demo tenant's paper account and running profile "${DEMO_PROFILE.name}" (${DEMO_PROFILE.strategy} on ${DEMO_PROFILE.symbol} ${timeframe})`);
  return seeded;
}
