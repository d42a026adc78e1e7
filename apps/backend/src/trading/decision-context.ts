import type { ProfileRules, RiskLimitsInput } from '@kestrel/contracts';
import type { profiles} from '@kestrel/db';
import { platformControl, rowsOf, sql, tenantTradingControl, eq, type Tx } from '@kestrel/db';
import { Dec, ZERO, type Instrument, type Ledger, type RiskState, type Rule, type RuleContext, type TradingStates } from '@kestrel/trading-core';
import { loadLedger } from './ledger-store.ts';
import { lockPosition } from './position-store.ts';
import { buildRiskLimits, buildRules } from './profile-config.ts';

type ProfileRow = typeof profiles.$inferSelect;

export interface DecisionContext {
  readonly ledger: Ledger;
  readonly riskState: RiskState;
  readonly ruleContext: RuleContext;
  readonly rules: readonly Rule[];
}

const DAY_MS = 86_400_000;

/**
 * Everything decide() reads about a profile, loaded in the transaction that holds the profile's
 * row lock, so concurrent intents of one profile see each other's reservations and orders.
 * Phase-1 simplifications (documented): daily P&L counts realized P&L and fees booked since 00:00
 * UTC (not the change of unrealized P&L); equity is valued at cost and its peak is not tracked
 * yet, so the drawdown limit sees no drawdown; the cooldown rule sees no last loss.
 */
export async function loadDecisionContext(tx: Tx, profile: ProfileRow, instrument: Instrument, lastPrice: Dec | null, now: number): Promise<DecisionContext> {
  const ledger = await loadLedger(tx, profile.id);
  const position = await lockPosition(tx, profile.tenantId, profile.id, profile.symbol);
  const open = rowsOf<{ side: 'buy' | 'sell'; leaves: string }>(
    await tx.execute(sql`select side, coalesce(sum(quantity - filled_qty), 0)::text as leaves from orders
      where profile_id = ${profile.id} and symbol = ${profile.symbol} and status in ('new', 'submitted', 'accepted', 'partially_filled', 'cancel_requested') group by side`),
  );
  const leaves = (side: 'buy' | 'sell') => new Dec(open.find((o) => o.side === side)?.leaves ?? '0');
  const dayStart = new Date(Math.floor(now / DAY_MS) * DAY_MS);
  const [today] = rowsOf<{ realized: string; fees: string }>(
    await tx.execute(sql`select coalesce(sum(case when e.account = 'realized_pnl' then -e.amount end), 0)::text as realized,
        coalesce(sum(case when e.account = 'fees' then e.amount end), 0)::text as fees
      from ledger_entries e join ledger_transactions t on t.profile_id = e.profile_id and t.id = e.transaction_id
      where e.profile_id = ${profile.id} and e.currency = ${profile.quoteCurrency} and t.at >= ${dayStart}`),
  );
  const [global] = await tx.select().from(platformControl).where(eq(platformControl.id, 1));
  const [tenant] = await tx.select().from(tenantTradingControl).where(eq(tenantTradingControl.tenantId, profile.tenantId));
  const tradingStates: TradingStates = {
    global: global && !global.tradingEnabled ? { state: 'HALTED', reason: global.killSwitchReason } : { state: 'ACTIVE' },
    tenant: tenant && !tenant.tradingEnabled ? { state: 'HALTED', reason: tenant.killSwitchReason } : { state: 'ACTIVE' },
    profile: { state: profile.tradingState, reason: profile.haltReason },
  };
  const equity = ledger.equityAtCost(profile.quoteCurrency);
  const riskState: RiskState = {
    tradingStates,
    limits: buildRiskLimits(profile.riskLimits as RiskLimitsInput),
    instrument,
    lastPrice,
    positionQty: position.quantity,
    openBuyQty: leaves('buy'),
    openSellQty: leaves('sell'),
    freeCapital: ledger.freeCapital(profile.quoteCurrency),
    dailyPnl: new Dec(today?.realized ?? '0').minus(today?.fees ?? '0'),
    equity,
    peakEquity: equity.greaterThan(ZERO) ? equity : ZERO,
  };
  const [openPositions] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from positions where tenant_id = ${profile.tenantId} and quantity <> 0`));
  const entries = rowsOf<{ at: Date | string }>(
    await tx.execute(sql`select created_at as at from orders where profile_id = ${profile.id} and reduce_only = false and status <> 'rejected' and created_at >= ${new Date(now - 2 * DAY_MS)}`),
  );
  const ruleContext: RuleContext = {
    now,
    symbol: profile.symbol,
    positionQty: position.quantity,
    openPositions: openPositions?.n ?? 0,
    lastLossAt: null,
    entryTimes: entries.map((e) => new Date(e.at).getTime()),
  };
  return { ledger, riskState, ruleContext, rules: buildRules(profile.rules as ProfileRules) };
}
