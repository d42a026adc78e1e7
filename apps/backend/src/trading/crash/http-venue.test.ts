import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeError, type CallFault, type VenueStreamEvent } from '@kestrel/exchanges';
import { paperVenue } from '../testing/paper-venue.ts';
import { HttpVenue, serveVenue, type VenueServer } from './http-venue.ts';

const order = (clientOrderId: string, extra: Record<string, string> = {}) => ({ clientOrderId, symbol: 'BTC/USDT', side: 'buy' as const, type: 'market' as const, quantity: '0.5', ...extra });
const failure = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExchangeError);
  const e = err as ExchangeError;
  return { code: e.code, retryable: e.retryable, ambiguous: e.ambiguous, retryAfterMs: e.retryAfterMs };
};

/** The crash test's venue link: a paper exchange in one process, the ExchangeAdapter port over HTTP in another. */
describe('HttpVenue ↔ serveVenue', () => {
  const open: Array<{ server: VenueServer; client: HttpVenue }> = [];
  const connect = async (seed = 1) => {
    const venue = paperVenue({ seed });
    const server = await serveVenue(venue);
    const client = new HttpVenue(server.url, { symbols: ['BTC/USDT'], pollMs: 5 });
    open.push({ server, client });
    return { venue, server, client };
  };
  afterEach(async () => {
    for (const { server, client } of open.splice(0)) {
      client.close();
      await server.close();
    }
  });

  it('answers like the venue itself: orders, look-ups by client order id, trades', async () => {
    const { venue, server, client } = await connect();
    const placed = await client.createOrder(order('c-1'));
    expect(placed).toMatchObject({ clientOrderId: 'c-1', status: 'filled', filledQuantity: '0.5' });
    expect(await client.fetchOrder({ clientOrderId: 'c-1', symbol: 'BTC/USDT' })).toEqual(venue.engine.getOrder('c-1'));
    expect(await client.fetchOrder({ clientOrderId: 'nope', symbol: 'BTC/USDT' })).toBeNull();
    expect(await client.fetchMyTrades('BTC/USDT')).toEqual(await venue.fetchMyTrades('BTC/USDT'));
    expect(server.creates.get('c-1')).toBe(1);
  });

  it.each<[string, CallFault]>([
    ['a 5xx after the order was placed', { kind: 'server_error', placed: true }],
    ['a dropped response', { kind: 'drop_response' }],
    ['a 429 with Retry-After', { kind: 'rate_limited', retryAfterMs: 250 }],
  ])('a venue failure (%s) comes back as the same ExchangeError: code, retryable, ambiguous, retry-after', async (_name, fault) => {
    const direct = paperVenue({ seed: 7 });
    direct.faults.script('createOrder', fault);
    const expected = await failure(direct.createOrder(order('c-2')));
    const { venue, client } = await connect(7);
    venue.faults.script('createOrder', fault);
    expect(await failure(client.createOrder(order('c-2')))).toEqual(expected);
    // What the venue did is the same too (placed or not).
    expect(venue.engine.getOrder('c-2')?.status ?? null).toBe(direct.engine.getOrder('c-2')?.status ?? null);
  });

  it('an explicit refusal is not ambiguous; a venue that cannot be reached is, for writes only', async () => {
    const { server, client } = await connect();
    expect(await failure(client.createOrder(order('c-3', { quantity: '0.0001' })))).toMatchObject({ code: 'INVALID_ORDER', retryable: false, ambiguous: false });
    await server.close();
    expect(await failure(client.createOrder(order('c-4')))).toMatchObject({ code: 'NETWORK', retryable: true, ambiguous: true });
    expect(await failure(client.fetchOrder({ clientOrderId: 'c-4', symbol: 'BTC/USDT' }))).toMatchObject({ code: 'NETWORK', retryable: true, ambiguous: false });
  });

  it('subscribe polls: a resting order that fills later arrives once as a trade, and as order updates', async () => {
    const { venue, client } = await connect();
    await client.createOrder(order('c-0')); // an earlier trade: not the stream's business
    const events: VenueStreamEvent[] = [];
    const stop = client.subscribe((e) => events.push(e));
    await client.createOrder(order('c-5', { type: 'limit', price: '95' }));
    await until(() => events.some((e) => e.type === 'order' && e.order.clientOrderId === 'c-5'));
    venue.engine.onTick('BTC/USDT', 94, Date.now());
    await until(() => events.some((e) => e.type === 'order' && e.order.clientOrderId === 'c-5' && e.order.status === 'filled'));
    await new Promise((r) => setTimeout(r, 30)); // a few more polls: nothing is repeated
    stop();
    const trades = events.flatMap((e) => (e.type === 'trade' ? [e.trade] : []));
    expect(trades.map((t) => t.clientOrderId)).toEqual(['c-5']);
    expect(events.filter((e) => e.type === 'order').map((e) => (e.type === 'order' ? e.order.status : ''))).toEqual(['open', 'filled']);
  });
});

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
