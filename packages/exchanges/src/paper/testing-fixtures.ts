import type { CreateOrderRequest, VenueMarket } from '../port.ts';
import type { EngineEvent, PaperMatchingEngine } from './matching-engine.ts';

/** Test data shared by the paper exchange's tests. */
export const BTC_USDT: VenueMarket = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.1',
  lotSize: '0.001',
  minQty: '0.001',
  minNotional: '5',
  active: true,
};

export function order(partial: Partial<CreateOrderRequest> & Pick<CreateOrderRequest, 'clientOrderId'>): CreateOrderRequest {
  return { symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: '0.01', ...partial };
}

/** Collects the engine's events. */
export function record(engine: PaperMatchingEngine): EngineEvent[] {
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  return events;
}

/** Observes a promise without awaiting it, so a test can advance virtual time and then look. */
export function settle<T>(promise: Promise<T>): { done: boolean; value?: T; error?: unknown } {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => {
      state.done = true;
      state.value = value;
    },
    (error: unknown) => {
      state.done = true;
      state.error = error;
    },
  );
  return state;
}
