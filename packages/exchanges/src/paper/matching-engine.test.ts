import { describe, expect, it } from 'vitest';
import { PaperMatchingEngine } from './matching-engine.ts';
import { BTC_USDT, order, record } from './testing-fixtures.ts';

function engine(config: ConstructorParameters<typeof PaperMatchingEngine>[0] = {}) {
  const e = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '100000', BTC: '1' }, ...config });
  e.onTick('BTC/USDT', 20000, 1_000);
  return e;
}

describe('PaperMatchingEngine: market orders', () => {
  it('fills a market buy at once at the last price, as taker, and moves the balances', () => {
    const e = engine({ config: { makerFeeRate: '0.0002', takerFeeRate: '0.001' } });
    const events = record(e);
    const r = e.submit(order({ clientOrderId: 'm1', quantity: '0.5' }), 2_000);
    expect(r.ok && r.order).toMatchObject({ status: 'filled', filledQuantity: '0.5', averagePrice: '20000', createdAt: 2_000 });
    expect(events.map((x) => (x.type === 'order' ? `order:${x.order.status}` : 'trade'))).toEqual(['order:open', 'trade', 'order:filled']);
    const trade = e.trades('BTC/USDT')[0]!;
    expect(trade).toMatchObject({ tradeId: '1', price: '20000', quantity: '0.5', fee: '10', feeCurrency: 'USDT', liquidity: 'taker', timestamp: 2_000 });
    // 100000 − 0.5 × 20000 − 10 fee
    expect(e.balances()).toEqual({ BTC: { free: '1.5', locked: '0', total: '1.5' }, USDT: { free: '89990', locked: '0', total: '89990' } });
  });

  it("with marketOrders 'next-price' waits for the next bar and fills at its open", () => {
    const e = engine({ config: { marketOrders: 'next-price', takerFeeRate: '0' } });
    const r = e.submit(order({ clientOrderId: 'm1', quantity: '1' }), 2_000);
    expect(r.ok && r.order.status).toBe('open');
    expect(e.balances().USDT).toEqual({ free: '80000', locked: '20000', total: '100000' });
    e.onBar('BTC/USDT', 300_000, 20100, 20500, 19900, 20300, 10);
    expect(e.getOrder('m1')).toMatchObject({ status: 'filled', averagePrice: '20100', updatedAt: 300_000 });
    expect(e.balances().USDT).toEqual({ free: '79900', locked: '0', total: '79900' });
  });

  it('applies slippage against the taker, rounded to the tick', () => {
    const e = engine({ config: { slippage: () => 10, takerFeeRate: '0' } }); // 10 bps
    e.submit(order({ clientOrderId: 'b', quantity: '0.1' }), 1);
    e.submit(order({ clientOrderId: 's', side: 'sell', quantity: '0.1' }), 2);
    expect(e.trades('BTC/USDT').map((t) => t.price)).toEqual(['20020', '19980']);
    e.onTick('BTC/USDT', 20000.05, 3); // off-tick price: a buyer pays the tick above
    e.submit(order({ clientOrderId: 'b2', quantity: '0.1' }), 4);
    expect(e.trades('BTC/USDT')[2]!.price).toBe('20020.1');
  });

  it('refuses a market order before any price, and unknown symbols', () => {
    const e = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '1000' } });
    const r = e.submit(order({ clientOrderId: 'x' }), 1);
    expect(!r.ok && r.error.code).toBe('INVALID_ORDER');
    const u = e.submit(order({ clientOrderId: 'y', symbol: 'ETH/USDT' }), 1);
    expect(!u.ok && u.error.code).toBe('INVALID_ORDER');
    expect(e.stats).toMatchObject({ submitted: 0, refused: 2 });
  });
});

describe('PaperMatchingEngine: limit orders', () => {
  it('rests a limit below the market and fills it at its price, as maker, when a tick touches it', () => {
    const e = engine({ config: { makerFeeRate: '0.0002', takerFeeRate: '0.001' } });
    e.submit(order({ clientOrderId: 'l1', type: 'limit', price: '19900', quantity: '1' }), 1);
    expect(e.getOrder('l1')!.status).toBe('open');
    expect(e.balances().USDT).toEqual({ free: '80080.1', locked: '19919.9', total: '100000' }); // 19900 + worst fee 0.1 %
    e.onTick('BTC/USDT', 19950, 2);
    expect(e.getOrder('l1')!.status).toBe('open');
    e.onTick('BTC/USDT', 19900, 3);
    expect(e.trades('BTC/USDT')[0]).toMatchObject({ price: '19900', liquidity: 'maker', fee: '3.98' });
    expect(e.balances().USDT).toEqual({ free: '80096.02', locked: '0', total: '80096.02' });
  });

  it("with limitFill 'cross' needs the price to trade through", () => {
    const e = engine({ config: { limitFill: 'cross' } });
    e.submit(order({ clientOrderId: 'l1', type: 'limit', price: '19900', quantity: '1' }), 1);
    e.onTick('BTC/USDT', 19900, 2);
    expect(e.getOrder('l1')!.status).toBe('open');
    e.onTick('BTC/USDT', 19899.9, 3);
    expect(e.getOrder('l1')!.status).toBe('filled');
  });

  it('fills a marketable limit at once as taker at the market price, never beyond the limit', () => {
    const e = engine({ config: { slippage: () => 100, takerFeeRate: '0.001' } }); // 1 %
    e.submit(order({ clientOrderId: 'l1', type: 'limit', price: '20100', quantity: '1' }), 1);
    expect(e.trades('BTC/USDT')[0]).toMatchObject({ price: '20100', liquidity: 'taker' }); // 20200 slipped, capped
    e.submit(order({ clientOrderId: 'l2', type: 'limit', price: '21000', quantity: '1' }), 2);
    expect(e.trades('BTC/USDT')[1]).toMatchObject({ price: '20200', liquidity: 'taker' });
  });

  it('matches a resting limit against a bar range at its limit price', () => {
    const e = engine();
    e.submit(order({ clientOrderId: 'sell', side: 'sell', type: 'limit', price: '20400', quantity: '0.5' }), 1);
    e.onBar('BTC/USDT', 300_000, 20000, 20300, 19800, 20100, 5);
    expect(e.getOrder('sell')!.status).toBe('open');
    e.onBar('BTC/USDT', 600_000, 20100, 20400, 20000, 20200, 5);
    expect(e.getOrder('sell')).toMatchObject({ status: 'filled', averagePrice: '20400', updatedAt: 600_000 });
  });

  it('IOC fills what it can now and expires the rest; FOK fills completely or not at all', () => {
    const e = engine({ config: { partialFills: { maxFillFraction: 0.5 } } });
    e.submit(order({ clientOrderId: 'ioc', type: 'limit', price: '20000', quantity: '1', timeInForce: 'IOC' }), 1);
    expect(e.getOrder('ioc')).toMatchObject({ status: 'expired', filledQuantity: '0.5' });
    e.submit(order({ clientOrderId: 'fok', type: 'limit', price: '20000', quantity: '1', timeInForce: 'FOK' }), 2);
    expect(e.getOrder('fok')).toMatchObject({ status: 'expired', filledQuantity: '0' });
    e.submit(order({ clientOrderId: 'ioc2', type: 'limit', price: '19000', quantity: '1', timeInForce: 'IOC' }), 3);
    expect(e.getOrder('ioc2')).toMatchObject({ status: 'expired', filledQuantity: '0' });
    expect(e.balances().USDT!.locked).toBe('0');
  });

  it('refuses what a venue filter refuses: lot, tick, minimum quantity and notional, missing price', () => {
    const e = engine();
    const bad = [
      order({ clientOrderId: 'a', quantity: '0.0015' }),
      order({ clientOrderId: 'b', quantity: '0.0001' }),
      order({ clientOrderId: 'c', type: 'limit', price: '19999.95' }),
      order({ clientOrderId: 'd', type: 'limit' }),
      order({ clientOrderId: 'e', quantity: '0.0002' }),
      order({ clientOrderId: 'f', type: 'limit', price: '100', quantity: '0.01' }), // 1 USDT < 5
      order({ clientOrderId: 'g', quantity: '1e-3' }),
      order({ clientOrderId: 'h', price: '20000' }),
      order({ clientOrderId: 'bad id with spaces' }),
    ];
    for (const req of bad) {
      const r = e.submit(req, 1);
      expect(r.ok, req.clientOrderId).toBe(false);
      expect(!r.ok && r.error.code).toBe('INVALID_ORDER');
    }
    expect(e.balances().USDT).toEqual({ free: '100000', locked: '0', total: '100000' });
  });
});

describe('PaperMatchingEngine: stop orders', () => {
  it('triggers a sell stop inside a bar and fills at the stop price (continuous move)', () => {
    const e = engine({ config: { takerFeeRate: '0' } });
    e.submit(order({ clientOrderId: 'sl', side: 'sell', type: 'stop', stopPrice: '19500', quantity: '1' }), 1);
    e.onBar('BTC/USDT', 300_000, 20000, 20100, 19600, 19700, 5);
    expect(e.getOrder('sl')!.status).toBe('open');
    e.onBar('BTC/USDT', 600_000, 19700, 19800, 19000, 19200, 5);
    expect(e.getOrder('sl')).toMatchObject({ status: 'filled', averagePrice: '19500' });
    expect(e.trades('BTC/USDT')[0]!.liquidity).toBe('taker');
  });

  it('fills at the open when the bar gaps past the stop, and at the tick price when a tick jumps past it', () => {
    const e = engine({ config: { takerFeeRate: '0' } });
    e.submit(order({ clientOrderId: 'bar', side: 'sell', type: 'stop', stopPrice: '19500', quantity: '0.1' }), 1);
    e.onBar('BTC/USDT', 300_000, 19300, 19400, 19100, 19200, 5);
    expect(e.getOrder('bar')!.averagePrice).toBe('19300');
    e.submit(order({ clientOrderId: 'tick', side: 'buy', type: 'stop', stopPrice: '19500', quantity: '0.1' }), 2);
    e.onTick('BTC/USDT', 19600, 3);
    expect(e.getOrder('tick')!.averagePrice).toBe('19600');
  });

  it('refuses a stop that would trigger immediately', () => {
    const e = engine();
    const r = e.submit(order({ clientOrderId: 's', side: 'buy', type: 'stop', stopPrice: '19000' }), 1);
    expect(!r.ok && r.error.message).toMatch(/would trigger immediately/);
  });

  it('walks a bar open → nearer extreme → other extreme → close: a stop-limit triggers then fills on the way back', () => {
    const e = engine({ config: { makerFeeRate: '0' } });
    // buy stop-limit: trigger 20200, limit 20100. Bar: open 20000, high 20300 (nearer), low 19900.
    e.submit(order({ clientOrderId: 'sl', type: 'stop_limit', stopPrice: '20200', price: '20100', quantity: '0.1' }), 1);
    e.onBar('BTC/USDT', 300_000, 20000, 20300, 19900, 19950, 5);
    expect(e.getOrder('sl')).toMatchObject({ status: 'filled', averagePrice: '20100' });
    expect(e.trades('BTC/USDT')[0]!.liquidity).toBe('maker');
  });

  it('respects the path order: of a buy limit and a sell limit, the one on the nearer extreme fills first', () => {
    const e = engine();
    const events = record(e);
    e.submit(order({ clientOrderId: 'buy', type: 'limit', price: '19500', quantity: '0.1' }), 1);
    e.submit(order({ clientOrderId: 'sell', side: 'sell', type: 'limit', price: '20400', quantity: '0.1' }), 1);
    // Open 20000, low 19000 (1000 away), high 20500 (500 away): high comes first.
    e.onBar('BTC/USDT', 300_000, 20000, 20500, 19000, 19800, 5);
    const fills = events.flatMap((x) => (x.type === 'trade' ? [x.trade.clientOrderId] : []));
    expect(fills).toEqual(['sell', 'buy']);
  });
});

describe('PaperMatchingEngine: cancel, lookup, client order ids', () => {
  it('cancels an open order and releases its reserve; a cancel after the fill is ORDER_NOT_FOUND', () => {
    const e = engine();
    e.submit(order({ clientOrderId: 'l', type: 'limit', price: '19000', quantity: '1' }), 1);
    const c = e.cancel({ clientOrderId: 'l', symbol: 'BTC/USDT' }, 5);
    expect(c.ok && c.order).toMatchObject({ status: 'cancelled', updatedAt: 5 });
    expect(e.balances().USDT!.locked).toBe('0');
    e.submit(order({ clientOrderId: 'm' }), 6);
    const late = e.cancel({ clientOrderId: 'm', symbol: 'BTC/USDT' }, 7);
    expect(!late.ok && late.error.code).toBe('ORDER_NOT_FOUND');
    expect(e.getOrder('m')!.status).toBe('filled');
    expect(e.getOrder('nope')).toBeNull();
    expect(e.getOrder('m', 'ETH/USDT')).toBeNull();
  });

  it("refuses a client order id in use by an open order; by default ('open') accepts it again once that order is done", () => {
    const e = engine();
    e.submit(order({ clientOrderId: 'x', type: 'limit', price: '19000' }), 1);
    const dup = e.submit(order({ clientOrderId: 'x', type: 'limit', price: '19000' }), 2);
    expect(!dup.ok && dup.error.code).toBe('DUPLICATE_CLIENT_ORDER_ID');
    e.submit(order({ clientOrderId: 'filled-at-once' }), 3);
    // The realistic hazard: a blind resend of an instantly filled market order doubles it.
    const resend = e.submit(order({ clientOrderId: 'filled-at-once' }), 4);
    expect(resend.ok).toBe(true);
    expect(e.trades('BTC/USDT')).toHaveLength(2);
    expect(e.getOrder('filled-at-once')!.venueOrderId).toBe('3');
  });

  it("with clientIdUniqueness 'all' refuses any id ever used", () => {
    const e = engine({ config: { clientIdUniqueness: 'all' } });
    e.submit(order({ clientOrderId: 'once' }), 1);
    const resend = e.submit(order({ clientOrderId: 'once' }), 2);
    expect(!resend.ok && resend.error.code).toBe('DUPLICATE_CLIENT_ORDER_ID');
    expect(e.trades('BTC/USDT')).toHaveLength(1);
  });

  it('lists open orders in submission order and pages trades by id (exclusive)', () => {
    const e = engine();
    for (let i = 1; i <= 12; i++) e.submit(order({ clientOrderId: `m${i}` }), i);
    e.submit(order({ clientOrderId: 'l1', type: 'limit', price: '19000' }), 20);
    e.submit(order({ clientOrderId: 'l2', type: 'limit', side: 'sell', price: '21000' }), 21);
    expect(e.openOrders().map((o) => o.clientOrderId)).toEqual(['l1', 'l2']);
    expect(e.trades('BTC/USDT', '9').map((t) => t.tradeId)).toEqual(['10', '11', '12']);
    expect(e.trades('BTC/USDT', undefined, 2).map((t) => t.tradeId)).toEqual(['11', '12']);
    expect(e.trades('BTC/USDT', '12')).toEqual([]);
  });
});
