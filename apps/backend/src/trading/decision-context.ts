import type { ProfileRules, RiskLimitsInput } from '@kestrel/contracts';
import type { profiles} from '@kestrel/db';
import { rowsOf, sql, type Tx } from '@kestrel/db';
import { Dec, ZERO, type Instrument, type Ledger, type RiskState, type Rule, type RuleContext, type TradingStates } from '@kestrel/trading-core';
import { loadLedger } from './ledger-store.ts';
import { lockPosition } from './position-store.ts';
import { buildRiskLimits, rulesFor } from './profile-config.ts';

type ProfileRow = typeof profiles.$inferSelect;

export interface DecisionContext {
  readonly ledger: Ledger;
  readonly riskState: RiskState;
  readonly ruleContext: RuleContext;
  readonly rules: readonly Rule[];
  /** The equity peak after this decision's look (to store on the profile). */
  readonly peakEquity: Dec;
}

const DAY_MS = 86_400_000;

/**
 * Everything decide() reads about a profile, loaded in the transaction that holds the profile's
 * row lock, so concurrent intents of one profile see each other's reservations and orders.
 * Equity is cash plus the position marked at the last price; its peak is kept on the profile
 * (sampled at each decision) for the drawdown limit; the cooldown rule sees the time of the last
 * fill that realized a loss. Simplification (documented): the daily loss counts realized P&L and
 * fees booked since 00:00 UTC, not the day's change of unrealized P&L.
 */
export async function loadDecisionContext(tx: Tx, profile: ProfileRow, instrument: Instrument, lastPrice: Dec | null, now: number): Promise<DecisionContext> {
  const ledger = await loadLedger(tx, profile.id);
  const position = await lockPosition(tx, profile.tenantId, profile.id, profile.symbol);
  const dayStart = new Date(Math.floor(now / DAY_MS) * DAY_MS);
  // One round trip for the rest: open quantities, today's P&L, the kill switches, open positions.
  const [agg] = rowsOf<{
    open_buy: string;
    open_sell: string;
    realized: string;
    fees: string;
    global_on: boolean | null;
    global_reason: string | null;
    tenant_on: boolean | null;
    tenant_reason: string | null;
    open_positions: number;
    last_loss_at: Date | string | null;
  }>(
    await tx.execute(sql`select
      (select coalesce(sum(quantity - filled_qty), 0)::text from orders where profile_id = ${profile.id} and symbol = ${profile.symbol} and side = 'buy' and status in ('new', 'submitted', 'accepted', 'partially_filled', 'cancel_requested')) as open_buy,
      (select coalesce(sum(quantity - filled_qty), 0)::text from orders where profile_id = ${profile.id} and symbol = ${profile.symbol} and side = 'sell' and status in ('new', 'submitted', 'accepted', 'partially_filled', 'cancel_requested')) as open_sell,
      (select coalesce(sum(-e.amount), 0)::text from ledger_entries e join ledger_transactions t on t.profile_id = e.profile_id and t.id = e.transaction_id
         where e.profile_id = ${profile.id} and e.currency = ${profile.quoteCurrency} and e.account = 'realized_pnl' and t.at >= ${dayStart}) as realized,
      (select coalesce(sum(e.amount), 0)::text from ledger_entries e join ledger_transactions t on t.profile_id = e.profile_id and t.id = e.transaction_id
         where e.profile_id = ${profile.id} and e.currency = ${profile.quoteCurrency} and e.account = 'fees' and t.at >= ${dayStart}) as fees,
      (select trading_enabled from platform_control where id = 1) as global_on,
      (select kill_switch_reason from platform_control where id = 1) as global_reason,
      (select trading_enabled from tenant_trading_control where tenant_id = ${profile.tenantId}) as tenant_on,
      (select kill_switch_reason from tenant_trading_control where tenant_id = ${profile.tenantId}) as tenant_reason,
      (select count(*)::int from positions where tenant_id = ${profile.tenantId} and quantity <> 0) as open_positions,
      (select max(t.at) from ledger_entries e join ledger_transactions t on t.profile_id = e.profile_id and t.id = e.transaction_id
         where e.profile_id = ${profile.id} and e.account = 'realized_pnl' and e.amount > 0) as last_loss_at`),
  );
  const leaves = (side: 'buy' | 'sell') => new Dec((side === 'buy' ? agg?.open_buy : agg?.open_sell) ?? '0');
  const today = { realized: agg?.realized ?? '0', fees: agg?.fees ?? '0' };
  const global = agg?.global_on === false ? { tradingEnabled: false, killSwitchReason: agg.global_reason } : undefined;
  const tenant = agg?.tenant_on === false ? { tradingEnabled: false, killSwitchReason: agg.tenant_reason } : undefined;
  const tradingStates: TradingStates = {
    global: global && !global.tradingEnabled ? { state: 'HALTED', reason: global.killSwitchReason } : { state: 'ACTIVE' },
    tenant: tenant && !tenant.tradingEnabled ? { state: 'HALTED', reason: tenant.killSwitchReason } : { state: 'ACTIVE' },
    profile: { state: profile.tradingState, reason: profile.haltReason },
  };
  // Equity marked to the last price: cash and reservations at face value, the position at the price.
  const atCost = ledger.equityAtCost(profile.quoteCurrency);
  const equity = lastPrice && !position.quantity.isZero() ? atCost.minus(position.costBasis).plus(position.quantity.times(lastPrice)) : atCost;
  const stored = profile.peakEquity === null ? null : new Dec(profile.peakEquity);
  const peakEquity = stored === null || equity.greaterThan(stored) ? equity : stored;
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
    peakEquity: peakEquity.greaterThan(ZERO) ? peakEquity : ZERO,
  };
  // Entry times feed only the trades-per-day rule: read them only for a profile that has it.
  const entries =
    (profile.rules as ProfileRules).maxTradesPerDay === undefined
      ? []
      : rowsOf<{ at: Date | string }>(
          await tx.execute(sql`select created_at as at from orders where profile_id = ${profile.id} and reduce_only = false and status <> 'rejected' and created_at >= ${new Date(now - 2 * DAY_MS)}`),
        );
  const ruleContext: RuleContext = {
    now,
    symbol: profile.symbol,
    positionQty: position.quantity,
    openPositions: agg?.open_positions ?? 0,
    lastLossAt: agg?.last_loss_at ? new Date(agg.last_loss_at).getTime() : null,
    entryTimes: entries.map((e) => new Date(e.at).getTime()),
  };
  return { ledger, riskState, ruleContext, rules: rulesFor(profile.rules as ProfileRules), peakEquity };
}
