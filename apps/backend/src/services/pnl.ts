import { AppError, rooms, type ProfilePnl, type ProfilePnlSummary, type TenantPnl, type ValuedPosition } from '@kestrel/contracts';
import { and, eq, isNull, positions, profiles, rowsOf, sql, type Database, type Tx } from '@kestrel/db';
import { Dec, ZERO } from '@kestrel/trading-core';
import type { Logger } from 'pino';
import type { RealtimeHub } from '../realtime/hub.ts';
import type { MarketQueries, Mark } from './market.ts';

const DAY_MS = 86_400_000;

type ProfileRow = { id: string; symbol: string; quoteCurrency: string };
type PositionRow = typeof positions.$inferSelect;
/** Ledger balance of one profile, account kind (reserved:* and position:* summed) and currency. */
type BalanceRow = { profile_id: string; kind: string; currency: string; balance: string };
type DayRow = { profile_id: string; day: string; currency: string; account: string; amount: string };

interface Loaded {
  profiles: ProfileRow[];
  balances: BalanceRow[];
  positions: PositionRow[];
  days: DayRow[];
}

/**
 * Profit and loss of profiles, from their double-entry ledger (realized P&L, fees, deposits, cash)
 * and their positions marked at the market's last price. Reads in one tenant-scoped transaction;
 * the marks are fetched after it (market I/O never runs inside a transaction).
 */
export class PnlService {
  readonly #now: () => number;

  constructor(
    private readonly database: Database,
    private readonly market: MarketQueries,
    opts: { now?: () => number } = {},
  ) {
    this.#now = opts.now ?? Date.now;
  }

  /** One profile of the tenant (404 for another tenant's or a deleted one), with `days` UTC days of rows. */
  async profile(tenantId: string, profileId: string, days: number): Promise<ProfilePnl> {
    const from = windowStart(this.#now(), days);
    const data = await this.database.withTenant({ tenantId }, (tx) => this.#load(tx, tenantId, profileId, from));
    if (data.profiles.length === 0) throw new AppError('NOT_FOUND', 'No such profile.');
    const marks = await this.#marks(data);
    const summary = this.#summary(data.profiles[0]!, data, marks);
    return { ...summary, days: dayRows(data.days, from, days, summary.currency) };
  }

  /** Without the per-day rows: what `pnl.update` carries. Null when the profile is gone. */
  async summary(tenantId: string, profileId: string): Promise<ProfilePnlSummary | null> {
    const data = await this.database.withTenant({ tenantId }, (tx) => this.#load(tx, tenantId, profileId, null));
    if (data.profiles.length === 0) return null;
    return this.#summary(data.profiles[0]!, data, await this.#marks(data));
  }

  /** Every (not deleted) profile of the tenant, summed per quote currency. */
  async tenant(tenantId: string, days: number): Promise<TenantPnl> {
    const from = windowStart(this.#now(), days);
    const data = await this.database.withTenant({ tenantId }, (tx) => this.#load(tx, tenantId, null, from));
    const marks = await this.#marks(data);
    const summaries = data.profiles.map((p) => this.#summary(p, data, marks));
    const byCurrency = new Map<string, { realized: Dec; unrealized: Dec; fees: Dec; equity: Dec; netDeposits: Dec; stale: boolean; profiles: number }>();
    for (const s of summaries) {
      const c = byCurrency.get(s.currency) ?? { realized: ZERO, unrealized: ZERO, fees: ZERO, equity: ZERO, netDeposits: ZERO, stale: false, profiles: 0 };
      byCurrency.set(s.currency, {
        realized: c.realized.plus(s.realized),
        unrealized: c.unrealized.plus(s.unrealized),
        fees: c.fees.plus(s.fees),
        equity: c.equity.plus(s.equity),
        netDeposits: c.netDeposits.plus(s.netDeposits),
        stale: c.stale || s.positions.some((p) => p.stale && !new Dec(p.quantity).isZero()),
        profiles: c.profiles + 1,
      });
    }
    const currencies = [...byCurrency.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, c]) => ({
        currency,
        realized: c.realized.toFixed(),
        unrealized: c.unrealized.toFixed(),
        fees: c.fees.toFixed(),
        net: c.realized.plus(c.unrealized).minus(c.fees).toFixed(),
        equity: c.equity.toFixed(),
        netDeposits: c.netDeposits.toFixed(),
        stale: c.stale,
        profiles: c.profiles,
      }));
    const dayList = currencies.flatMap(({ currency }) => dayRows(data.days, from, days, currency).map((d) => ({ ...d, currency })));
    dayList.sort((a, b) => a.day.localeCompare(b.day) || a.currency.localeCompare(b.currency));
    return { currencies, days: dayList, profiles: summaries, asOf: new Date(this.#now()).toISOString() };
  }

  async #load(tx: Tx, tenantId: string, profileId: string | null, from: number | null): Promise<Loaded> {
    const profileRows = await tx
      .select({ id: profiles.id, symbol: profiles.symbol, quoteCurrency: profiles.quoteCurrency })
      .from(profiles)
      .where(and(eq(profiles.tenantId, tenantId), profileId ? eq(profiles.id, profileId) : undefined, isNull(profiles.deletedAt)))
      .orderBy(profiles.createdAt, profiles.id);
    if (profileRows.length === 0) return { profiles: [], balances: [], positions: [], days: [] };
    const only = profileId ? sql`and e.profile_id = ${profileId}` : sql``;
    const balances = rowsOf<BalanceRow>(
      await tx.execute(sql`select e.profile_id, case when e.account like 'reserved:%' then 'reserved' when e.account like 'position:%' then 'position' else e.account end as kind,
        e.currency, sum(e.amount)::text as balance
        from ledger_entries e where e.tenant_id = ${tenantId} ${only} group by 1, 2, 3`),
    );
    const positionRows = await tx
      .select()
      .from(positions)
      .where(and(eq(positions.tenantId, tenantId), profileId ? eq(positions.profileId, profileId) : undefined))
      .orderBy(positions.profileId, positions.symbol);
    const days =
      from === null
        ? []
        : rowsOf<DayRow>(
            await tx.execute(sql`select e.profile_id, to_char(t.at at time zone 'UTC', 'YYYY-MM-DD') as day, e.currency, e.account, sum(e.amount)::text as amount
              from ledger_entries e join ledger_transactions t on t.profile_id = e.profile_id and t.id = e.transaction_id
              where e.tenant_id = ${tenantId} ${only} and e.account in ('realized_pnl', 'fees') and t.at >= ${new Date(from).toISOString()}::timestamptz
              group by 1, 2, 3, 4`),
          );
    return { profiles: profileRows, balances, positions: positionRows, days };
  }

  /** One mark per symbol: of the profiles' own symbols and of every position. */
  async #marks(data: Loaded): Promise<Map<string, Mark | null>> {
    const symbols = new Set([...data.profiles.map((p) => p.symbol), ...data.positions.map((p) => p.symbol)]);
    const marks = new Map<string, Mark | null>();
    await Promise.all([...symbols].map(async (s) => marks.set(s, await this.market.mark(s))));
    return marks;
  }

  #summary(profile: ProfileRow, data: Loaded, marks: Map<string, Mark | null>): ProfilePnlSummary {
    const currency = profile.quoteCurrency;
    const balance = (kind: string) => {
      const row = data.balances.find((b) => b.profile_id === profile.id && b.kind === kind && b.currency === currency);
      return row ? new Dec(row.balance) : ZERO;
    };
    const valued = data.positions.filter((p) => p.profileId === profile.id).map((p) => valuePosition(p, marks.get(p.symbol) ?? null));
    const inCurrency = valued.filter((p) => p.currency === currency);
    const realized = balance('realized_pnl').negated();
    const fees = balance('fees');
    const unrealized = inCurrency.reduce((sum, p) => sum.plus(p.unrealizedPnl), ZERO);
    // Cash, cash held for open orders and positions at the mark (at cost without one).
    const equity = balance('cash').plus(balance('reserved')).plus(balance('position')).plus(unrealized);
    const mark = marks.get(profile.symbol) ?? null;
    return {
      profileId: profile.id,
      symbol: profile.symbol,
      currency,
      realized: realized.toFixed(),
      unrealized: unrealized.toFixed(),
      fees: fees.toFixed(),
      net: realized.plus(unrealized).minus(fees).toFixed(),
      equity: equity.toFixed(),
      netDeposits: balance('external').negated().toFixed(),
      markPrice: mark ? mark.price.toFixed() : null,
      markTime: mark ? new Date(mark.time).toISOString() : null,
      stale: !mark || mark.stale || valued.some((p) => p.stale && !new Dec(p.quantity).isZero()),
      positions: valued,
      asOf: new Date(this.#now()).toISOString(),
    };
  }
}

/** A stored position with its unrealized P&L at the mark (quantity × mark − cost). */
export function valuePosition(p: PositionRow, mark: Mark | null): ValuedPosition {
  const quantity = new Dec(p.quantity);
  const cost = new Dec(p.cost);
  const marketValue = mark ? quantity.times(mark.price) : cost;
  return {
    profileId: p.profileId,
    symbol: p.symbol,
    quantity: quantity.toFixed(),
    avgEntryPrice: p.avgEntryPrice === null ? null : new Dec(p.avgEntryPrice).toFixed(),
    cost: cost.toFixed(),
    realizedPnl: new Dec(p.realizedPnl).toFixed(),
    fees: new Dec(p.fees).toFixed(),
    openedAt: p.openedAt?.toISOString() ?? null,
    updatedAt: p.updatedAt.toISOString(),
    currency: p.symbol.split('/')[1] ?? '',
    markPrice: mark ? mark.price.toFixed() : null,
    markTime: mark ? new Date(mark.time).toISOString() : null,
    stale: !mark || mark.stale,
    unrealizedPnl: quantity.isZero() ? '0' : marketValue.minus(cost).toFixed(),
    marketValue: marketValue.toFixed(),
  };
}

function windowStart(now: number, days: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
}

/** One row per UTC day of the window (zeros on quiet days) for one currency; realized is the credit of realized_pnl. */
function dayRows(rows: readonly DayRow[], from: number, days: number, currency: string): Array<{ day: string; realized: string; fees: string; net: string }> {
  const out: Array<{ day: string; realized: string; fees: string; net: string }> = [];
  for (let i = 0; i < days; i++) {
    const day = new Date(from + i * DAY_MS).toISOString().slice(0, 10);
    let realized = ZERO;
    let fees = ZERO;
    for (const r of rows) {
      if (r.day !== day || r.currency !== currency) continue;
      if (r.account === 'realized_pnl') realized = realized.minus(r.amount);
      else fees = fees.plus(r.amount);
    }
    out.push({ day, realized: realized.toFixed(), fees: fees.toFixed(), net: realized.minus(fees).toFixed() });
  }
  return out;
}

/**
 * `position.update` and `pnl.update` on /trading (tenant room and `profile:<id>`) after a fill
 * committed. Computed from the database after the commit, one computation at a time per profile;
 * fills that arrive meanwhile are folded into one more computation, so a burst of partial fills
 * costs two reads, and an older snapshot never overtakes a newer one.
 */
export class PnlUpdates {
  readonly #pending = new Map<string, { tenantId: string; symbols: Set<string>; rerun: boolean; done: Promise<void> }>();

  constructor(
    private readonly pnl: PnlService,
    private readonly hub: RealtimeHub,
    private readonly logger: Logger,
  ) {}

  fillBooked(tenantId: string, profileId: string, symbol: string): void {
    const running = this.#pending.get(profileId);
    if (running) {
      running.symbols.add(symbol);
      running.rerun = true;
      return;
    }
    const state = { tenantId, symbols: new Set([symbol]), rerun: false, done: Promise.resolve() };
    this.#pending.set(profileId, state);
    state.done = this.#run(profileId, state);
  }

  /** Resolves when every update asked for so far has been published (tests and shutdown). */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending.values()].map((s) => s.done));
  }

  async #run(profileId: string, state: { tenantId: string; symbols: Set<string>; rerun: boolean }): Promise<void> {
    try {
      do {
        state.rerun = false;
        const symbols = [...state.symbols];
        state.symbols.clear();
        const summary = await this.pnl.summary(state.tenantId, profileId);
        if (!summary) break;
        const targets = [rooms.tenant(state.tenantId), rooms.profile(profileId)];
        for (const p of summary.positions.filter((p) => symbols.includes(p.symbol))) for (const room of targets) void this.hub.publish('/trading', room, 'position.update', p);
        for (const room of targets) void this.hub.publish('/trading', room, 'pnl.update', summary);
      } while (state.rerun);
    } catch (err) {
      this.logger.warn({ err, profileId }, 'could not compute P&L after a fill; clients refetch GET /api/profiles/:id/pnl');
    } finally {
      this.#pending.delete(profileId);
    }
  }
}
